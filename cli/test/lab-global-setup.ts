import type { TestProject } from 'vitest/node';
import { labSpec } from '../src/lab/open-lab.js';
import type { RuntimeName } from '../src/lab/runtime.js';
import { runtimeNamed, type TestLab, testLabName } from './test-lab.js';

declare module 'vitest' {
  export interface ProvidedContext {
    lab: TestLab;
  }
}

/**
 * Starts the lab every integration test file uses, once per run, on a free gateway port, and
 * removes it (with its data) when the run ends, whether the tests passed or not.
 */
export async function startTestLab(project: TestProject, runtimeName: RuntimeName) {
  const runtime = runtimeNamed(runtimeName);
  const labName = testLabName(runtimeName);
  await runtime.down(labName, { volumes: true });
  const spec = await labSpec(
    {
      name: labName,
      gatewayPort: 0,
      // Two workers, so the queue-burst scenario can compare the drain of one with two.
      replicas: { 'worker-service': 2 },
      // Jobs take a little while, so a queue burst builds up a real backlog.
      serviceEnv: { JOB_WORK_MS: '20', LOG_LEVEL: 'info' },
    },
    runtime,
  );
  try {
    const status = await runtime.up(spec);
    // Infrastructure is reached at the address status reports: a loopback port for processes, the
    // port published on 127.0.0.1 (--expose-infra) for Docker.
    const port = (id: string) => status.instances.find((i) => i.id === id)!.address;
    const s = spec.secrets;
    project.provide('lab', {
      name: labName,
      runtime: runtimeName,
      gatewayUrl: status.gatewayUrl,
      rabbitUrl: `amqp://${s.rabbitUser}:${encodeURIComponent(s.rabbitPassword)}@${port('rabbitmq')}`,
      pgDsn: `postgres://${s.postgresUser}:${encodeURIComponent(s.postgresPassword)}@${port('postgres')}/${s.postgresDb}`,
      addresses: Object.fromEntries(status.instances.map((i) => [i.id, `http://${i.address}`])),
    });
  } catch (err) {
    await runtime.down(labName, { volumes: true });
    throw err;
  }
  return teardown(runtimeName);
}

function teardown(runtimeName: RuntimeName) {
  const runtime = runtimeNamed(runtimeName);
  const labName = testLabName(runtimeName);
  return async () => {
    await runtime.down(labName, { volumes: true });
    // The suite must leave nothing behind: `w2meet status` afterwards shows no lab.
    if (await runtime.status(labName)) throw new Error(`lab ${labName} is still there after the integration run`);
  };
}
