import { inject } from 'vitest';
import { request } from 'undici';
import { DockerRuntime } from '../src/lab/docker/docker-runtime.js';
import { ProcessRuntime } from '../src/lab/process/process-runtime.js';
import type { FaultVerb, Runtime, RuntimeName } from '../src/lab/runtime.js';

/**
 * The lab name an integration run uses on a runtime: never `default`, so a person's own lab is
 * left alone, and one per runtime, since the process and Docker suites run at the same time and
 * a lab's name chooses its runtime (a process lab's state wins).
 */
export function testLabName(runtime: RuntimeName): string {
  return runtime === 'process' ? 'w2meet-it' : `w2meet-it-${runtime}`;
}

export interface TestLab {
  name: string;
  runtime: RuntimeName;
  gatewayUrl: string;
  rabbitUrl: string;
  pgDsn: string;
  /** Base URL of every instance, by instance id (`availability-service-1`). */
  addresses: Record<string, string>;
}

export function testLab(): TestLab {
  return inject('lab');
}

export function runtimeNamed(name: RuntimeName): Runtime {
  return name === 'docker' ? new DockerRuntime({ images: 'local', exposeInfra: true }) : new ProcessRuntime();
}

/** The runtime the current integration project runs its lab on. */
export function labRuntime(): Runtime {
  return runtimeNamed(testLab().runtime);
}

// biome-ignore lint/suspicious/noExplicitAny: a test reads whatever JSON a route answers; each test checks the fields it needs
export interface Res<T = any> {
  status: number;
  headers: Record<string, string>;
  body: T;
  text: string;
}

/** One HTTP exchange with the lab; the body is parsed when it is JSON. */
// biome-ignore lint/suspicious/noExplicitAny: as Res
export async function http<T = any>(
  url: string,
  options: { method?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
): Promise<Res<T>> {
  const headers: Record<string, string> = { ...options.headers };
  let body: string | undefined = options.rawBody;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  const res = await request(url, { method: (options.method ?? 'GET') as 'GET', headers, body });
  const text = await res.body.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    /* not JSON: keep the text */
  }
  const flat: Record<string, string> = {};
  for (const [k, v] of Object.entries(res.headers)) flat[k] = Array.isArray(v) ? v.join(', ') : String(v);
  return { status: res.statusCode, headers: flat, body: parsed as T, text };
}

/** A fault through the same runtime verbs the CLI and scenarios use. */
export function fault(verb: FaultVerb, target: string): Promise<string[]> {
  return labRuntime().fault(testLab().name, verb, target);
}

/** Runs a fault, then the test body, and always undoes the fault (start/unpause) afterwards. */
export async function withFault<T>(verb: FaultVerb, target: string, body: () => Promise<T>): Promise<T> {
  await fault(verb, target);
  try {
    return await body();
  } finally {
    await fault(verb === 'pause' ? 'unpause' : 'start', target);
  }
}

let counter = 0;
/** A fresh email per call, so tests never depend on each other's users. */
export function uniqueEmail(prefix = 'user'): string {
  counter += 1;
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${counter}@example.com`;
}

export async function createUser(
  gateway: string,
  email: string,
  availabilities: Record<string, number[]>,
  preferences?: string,
): Promise<void> {
  const res = await http(`${gateway}/users/users`, {
    method: 'POST',
    body: { email, availabilities, ...(preferences ? { preferences } : {}) },
  });
  if (res.status !== 201) throw new Error(`creating ${email} answered ${res.status}: ${res.text}`);
}

/** Polls until the check passes or the time is up; returns the last value either way. */
export async function eventually<T>(read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 15_000, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!ok(value) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, intervalMs));
    value = await read();
  }
  return value;
}
