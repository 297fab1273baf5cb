import type { OutgoingRequest } from '../http-exchange.js';
import type { RequestSpec } from '../scenario-types.js';
import { fill, templateNames, type Vars } from '../template.js';

/**
 * Turns a request as written into what is sent: placeholders filled and a Case-ID set (unless the
 * file sets one), so every request of a run can be found in the logs.
 */
export function outgoing(spec: RequestSpec, vars: Vars, caseId: string): OutgoingRequest {
  const filled = fill({ path: spec.path, headers: spec.headers ?? {}, body: spec.body }, vars);
  const headers = { ...filled.headers };
  if (!Object.keys(headers).some((h) => h.toLowerCase() === 'case-id')) headers['Case-ID'] = caseId;
  return { method: spec.method ?? 'GET', path: filled.path, headers, body: filled.body };
}

/** True when the request varies with `{{i}}`, `{{item}}` or a `$i` index, so it must be filled per send. */
export function variesPerSend(spec: RequestSpec): boolean {
  return templateNames(JSON.stringify(spec)).some((n) => n === 'i' || n.startsWith('item') || n.split('.').includes('$i'));
}
