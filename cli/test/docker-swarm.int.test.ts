import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceLogLines } from '../src/lab/docker/container-logs.js';
import { dockerClient } from '../src/lab/docker/engine.js';
import { LABEL_LAB } from '../src/lab/docker/labels.js';
import type { LabStatus } from '../src/lab/runtime.js';
import { planFaultJob, runFaultJob } from '../src/lab/swarm/remote-fault.js';
import { SwarmEngine } from '../src/lab/swarm/swarm-engine.js';
import { SwarmRuntime } from '../src/lab/swarm/swarm-runtime.js';
import type { RunResults } from '../src/scenarios/run-results.js';
import { runCli } from './run-cli.js';
import { correctnessFailures, loadReadings } from './scenario-outcome.js';
import { joinTestSwarm } from './test-swarm.js';
import { eventually } from './test-lab.js';

// A lab of its own on a one-node swarm of the test Engine (made here when the Engine is in none,
// and left again at the end), beside the Docker lab the other files use.
const LAB = 'w2meet-it-swarm';
const docker = dockerClient();
const swarm = new SwarmEngine(docker);
// Made when the run begins (not when the file is loaded, as by `vitest list`), removed at its end.
let reports = '';
let leaveSwarm = async () => {};
let status: LabStatus;

const labFilter = { label: [`${LABEL_LAB}=${LAB}`] };

/** Everything of the lab the Engine still has, by kind. */
async function leftovers(): Promise<Record<string, number>> {
  return {
    services: (await docker.listServices({ filters: labFilter })).length,
    containers: (await docker.listContainers({ all: true, filters: labFilter })).length,
    networks: (await docker.listNetworks({ filters: labFilter })).length,
    secrets: (await docker.listSecrets({ filters: labFilter })).length,
    volumes: ((await docker.listVolumes({ filters: labFilter })).Volumes ?? []).length,
  };
}

/**
 * GETs the URL from 4 connections until `count` answers or 30 s: what each status and replica
 * answered, the requests that failed, and those sent twice. A GET whose connection closed before
 * any answer is sent once more, as HTTP allows for an idempotent request and as browsers do: the
 * gateway reloads nginx when a replaced task comes back at a new address, and an idle keep-alive
 * connection it closes then can cross a request just sent on it.
 */
async function boundedLoad(
  url: string,
  count: number,
): Promise<{ codes: Record<number, number>; replicas: Record<string, number>; failures: string[]; retried: number }> {
  const deadline = Date.now() + 30_000;
  const out = { codes: {} as Record<number, number>, replicas: {} as Record<string, number>, failures: [] as string[], retried: 0 };
  let sent = 0;
  const once = async (n: number) => {
    const res = await fetch(url, { headers: { 'Case-ID': `swarm-it-load-${n}` } });
    await res.arrayBuffer();
    return res;
  };
  const worker = async () => {
    while (sent < count && Date.now() < deadline) {
      const n = sent++;
      try {
        const res = await once(n).catch(() => {
          out.retried++;
          return once(n);
        });
        out.codes[res.status] = (out.codes[res.status] ?? 0) + 1;
        const replica = res.headers.get('x-instance') ?? '?';
        out.replicas[replica] = (out.replicas[replica] ?? 0) + 1;
      } catch (err) {
        out.failures.push(`${n}: ${(err as Error).message}`);
      }
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  return out;
}

beforeAll(async () => {
  reports = mkdtempSync(join(tmpdir(), 'w2meet-swarm-'));
  leaveSwarm = await joinTestSwarm(swarm);
  const up = await runCli(['up', '--runtime', 'swarm', '--lab', LAB, '--port', '0', '--replicas', 'worker-service=2'], 300_000);
  expect(up.code, up.stderr).toBe(0);
  status = JSON.parse((await runCli(['status', '--lab', LAB, '--json'])).stdout) as LabStatus;
}, 330_000);

afterAll(async () => {
  // Whatever happened: the lab goes, and the swarm if this file made it.
  await new SwarmRuntime().down(LAB, { volumes: true }).catch(() => {});
  await leaveSwarm();
  if (reports) rmSync(reports, { recursive: true, force: true });
}, 120_000);

describe('the lab on a one-node Docker swarm (--runtime swarm)', () => {
  it('runs every instance as a healthy swarm service, reached on 127.0.0.1 only, with no password in any service', async () => {
    expect(status.runtime).toBe('swarm');
    expect(status.nodes?.length).toBeGreaterThanOrEqual(1);
    expect(status.instances.filter((i) => i.state !== 'running' || i.health !== 'healthy').map((i) => i.id)).toEqual([]);
    expect(status.gatewayUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    const services = (await docker.listServices({ filters: labFilter })) as Array<{
      Spec: { Name: string; TaskTemplate: { ContainerSpec: { Env?: string[] } } };
      Endpoint?: { Ports?: unknown[] };
    }>;
    expect(services.map((s) => s.Spec.Name).sort()).toEqual(status.instances.map((i) => `w2meet-${LAB}-${i.id}`).sort());
    expect(services.filter((s) => s.Endpoint?.Ports?.length).map((s) => s.Spec.Name)).toEqual([]);
    const credentials = (await new SwarmRuntime().credentials(LAB))!;
    const passwords = [credentials.postgresPassword, credentials.redisPassword, credentials.rabbitPassword];
    const exposed = services.flatMap((s) =>
      (s.Spec.TaskTemplate.ContainerSpec.Env ?? []).filter((e) => passwords.some((p) => e.includes(p))),
    );
    expect(exposed).toEqual([]);
    expect((await docker.listSecrets({ filters: labFilter })).length).toBeGreaterThan(0);

    // What is published at all: the edge, on 127.0.0.1.
    const published = (await docker.listContainers({ filters: labFilter })).flatMap((c) => (c.Ports ?? []).filter((p) => p.PublicPort));
    expect(published.map((p) => p.IP)).toEqual(['127.0.0.1']);

    // The swarm cannot be left while the lab runs on it.
    const leave = await runCli(['swarm', 'leave']);
    expect(leave.code).toBe(2);
    expect(leave.stderr).toContain(`lab ${LAB} runs on this swarm`);
  });

  it("reads a service's log through the manager, as for a lab spread over several nodes", async () => {
    const [service] = (await docker.listServices({
      filters: { label: [`${LABEL_LAB}=${LAB}`], name: [`w2meet-${LAB}-user-service`] },
    })) as Array<{
      ID: string;
    }>;
    const lines: string[] = [];
    for await (const line of serviceLogLines(docker, service!.ID, { follow: false, tail: 50 })) lines.push(line);
    // The service's own start-up line, in the JSON its logger writes, with no framing bytes left in it.
    expect(lines.some((l) => l.includes('"service":"user-service"'))).toBe(true);
    expect(lines.filter((l) => [...l].some((ch) => ch.charCodeAt(0) < 9))).toEqual([]);
  });

  it('pauses and unpauses a task through a one-off task on its node, as for a task of another node, and leaves no job behind', async () => {
    const [service] = (await docker.listServices({
      filters: { label: [`${LABEL_LAB}=${LAB}`], name: [`w2meet-${LAB}-availability-service-1`] },
    })) as Array<{ ID: string; Spec: { TaskTemplate: { ContainerSpec: { Image: string } } } }>;
    const task = (await swarm.tasks(service!.ID)).find((t) => t.Status?.State === 'running')!;
    const container = task.Status!.ContainerStatus!.ContainerID!;
    const image = service!.Spec.TaskTemplate.ContainerSpec.Image;
    const noLog = async () => '';
    try {
      await runFaultJob(swarm, planFaultJob(LAB, image, task.NodeID!, container, 'pause'), 'pause', noLog);
      expect((await docker.getContainer(container).inspect()).State.Paused).toBe(true);
    } finally {
      await runFaultJob(swarm, planFaultJob(LAB, image, task.NodeID!, container, 'unpause'), 'unpause', noLog);
    }
    expect((await docker.getContainer(container).inspect()).State.Paused).toBe(false);
    // A refused call is a clear failure: unpausing what runs.
    const refused = runFaultJob(swarm, planFaultJob(LAB, image, task.NodeID!, container, 'unpause'), 'unpause', noLog);
    await expect(refused).rejects.toThrow(/unpause on its node did not happen: .*ended failed/);
    const jobs = (await docker.listServices({ filters: labFilter })) as Array<{ Spec: { Name: string } }>;
    expect(jobs.map((j) => j.Spec.Name).filter((n) => n.includes('fault-job'))).toEqual([]);
  });

  it('a killed task is replaced by the Engine and skipped by the gateway: no client sees an error', async () => {
    const url = `${status.gatewayUrl}/availability/health`;
    const service = `w2meet-${LAB}-availability-service-1`;
    const before = (await swarm.tasks(service)).map((t) => t.ID);
    const load = boundedLoad(url, 3000);
    await new Promise((r) => setTimeout(r, 1000));
    const kill = await runCli(['kill', 'availability-service#1', '--lab', LAB]);
    expect(kill.code, kill.stderr).toBe(0);
    const seen = await load;
    expect(seen.failures).toEqual([]);
    expect(Object.keys(seen.codes)).toEqual(['200']);
    // A request sent again is one whose connection the reload closed: a handful at most, never an answer lost.
    expect(seen.retried).toBeLessThan(10);
    // A task of its own replaced the killed one, and the gateway reaches it at its new address.
    const tasks = await swarm.tasks(service);
    expect(tasks.filter((t) => !before.includes(t.ID) && t.Status?.State === 'running')).toHaveLength(1);
    const after = await eventually(
      () => boundedLoad(url, 40),
      (s) => (s.replicas['availability-service-1'] ?? 0) > 0,
      30_000,
    );
    expect(Object.keys(after.replicas).sort()).toEqual(['availability-service-1', 'availability-service-2']);
  }, 90_000);

  it('passes the smoke, load-balancing and error-path scenarios; the queue burst loses no job across a broker task restart', async () => {
    const run = await runCli(
      ['scenario', 'run', 'smoke', 'load-balancing', 'error-paths', 'queue-burst', '--lab', LAB, '--reports', reports],
      // 520 s and over 600 s in two fresh CI runs, with the Docker suites on the same 2 cores.
      900_000,
    );
    const dir = readdirSync(reports)[0]!;
    const results = JSON.parse(readFileSync(join(reports, dir, 'results.json'), 'utf8')) as RunResults;
    const failed = results.scenarios.flatMap((s) =>
      s.steps.filter((st) => st.status === 'failed').map((st) => `${s.name}/${st.name}: ${st.failures.slice(0, 2).join('; ')}`),
    );
    expect(failed, run.stderr).toEqual([]);
    // Smoke, load balancing and the error paths are correct here; their load checks are recorded.
    const [smoke, balancing, errors] = results.scenarios;
    // On a swarm the Engine replaces a killed task within seconds: whether the new one answered
    // before the one-down load ended (1,000 requests) is a race with this machine's speed (it did
    // under three suites at once), so that one count is printed, not asserted. No client error is.
    const oneDown = 'availability-one-down.instances.missing';
    console.log(`${oneDown} on the swarm lab: ${balancing!.checks.find((c) => c.metric === oneDown)?.actual}`);
    expect({
      smoke: correctnessFailures(smoke!),
      balancing: correctnessFailures(balancing!).filter((f) => !f.startsWith(`${oneDown} `)),
      errors: correctnessFailures(errors!),
    }).toEqual({
      smoke: [],
      balancing: [],
      errors: [],
    });
    console.log(`load checks on the swarm lab:\n  ${loadReadings(results).join('\n  ')}`);
    // The queue burst's correctness, which is what this runtime must keep: every accepted job
    // completes, a worker killed and the broker's task restarted on the way. Its timing checks
    // (lag, depth, drain rates) are measurements of this 2-core machine, reported, not asserted here.
    const burst = results.scenarios.find((s) => s.name === 'queue-burst')!;
    const steps = burst.steps.filter((st) => st.metrics.lost !== undefined);
    expect(steps.map((st) => `${st.name} lost ${st.metrics.lost}`)).toEqual(steps.map((st) => `${st.name} lost 0`));
    const faults = burst.steps.find((st) => st.name === 'through-faults')!;
    expect(faults.metrics.accepted).toBeGreaterThan(0);
    expect(burst.faults.filter((f) => !f.undo).map((f) => `${f.verb} ${f.target} ${f.ok}`)).toContain('restart rabbitmq true');
  }, 920_000);

  it('down -v leaves no service, container, network, secret or volume of the lab', async () => {
    const down = await runCli(['down', '--lab', LAB, '-v'], 120_000);
    expect(down.code, down.stderr).toBe(0);
    expect(await leftovers()).toEqual({ services: 0, containers: 0, networks: 0, secrets: 0, volumes: 0 });
  }, 130_000);
});
