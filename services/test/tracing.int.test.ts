import { describe, expect, it } from 'vitest';
import { createUser, eventually, http, labRuntime, testLab, uniqueEmail } from '../../cli/test/test-lab.js';

const lab = testLab();
const g = lab.gatewayUrl;

// Only the log since this file began: after the scenario suite a lab has written tens of thousands
// of lines, and reading them all through the Docker Engine takes longer than a trace may.
const since = new Date(Date.now() - 2000);

async function componentsThatLogged(caseId: string): Promise<Set<string>> {
  const seen = new Set<string>();
  for await (const line of labRuntime().logs(lab.name, { caseId, since })) seen.add(line.record?.service as string);
  return seen;
}

describe('one Case-ID through every hop', () => {
  it('a suggestion request is logged with its Case-ID by the gateway, suggestion, availability and user-service', async () => {
    const a = uniqueEmail('ta');
    const b = uniqueEmail('tb');
    await createUser(g, a, { monday: [9] });
    await createUser(g, b, { monday: [9] });
    const caseId = `trace-${Date.now()}`;
    const res = await http(`${g}/suggestion/suggestions?userId1=${a}&userId2=${b}`, { headers: { 'Case-ID': caseId } });
    expect(res.status).toBe(200);
    expect(res.headers['case-id']).toBe(caseId);
    const expected = ['gateway', 'suggestion-service', 'availability-service', 'user-service'];
    // nginx flushes its access log within a second.
    const seen = await eventually(
      () => componentsThatLogged(caseId),
      (s) => expected.every((c) => s.has(c)),
      5000,
    );
    expect([...seen].sort()).toEqual([...expected].sort());
  });

  it('a queued job carries its Case-ID into the worker and on to suggestion, availability and user-service', async () => {
    const a = uniqueEmail('tqa');
    const b = uniqueEmail('tqb');
    await createUser(g, a, { monday: [9] });
    await createUser(g, b, { monday: [9] });
    const caseId = `job-trace-${Date.now()}`;
    const res = await http(`${g}/worker/tasks`, { method: 'POST', body: { userId1: a, userId2: b }, headers: { 'Case-ID': caseId } });
    expect(res.status).toBe(202);
    expect(res.body.case_id).toBe(caseId);
    const expected = ['gateway', 'worker-service', 'suggestion-service', 'availability-service', 'user-service'];
    const seen = await eventually(
      () => componentsThatLogged(caseId),
      (s) => expected.every((c) => s.has(c)),
      10_000,
    );
    expect([...seen].sort()).toEqual([...expected].sort());
  });
});
