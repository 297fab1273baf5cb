import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { afterAll, describe, expect, it } from 'vitest';
import { EngineLostError } from '../../errors.js';
import { freePort, freePorts } from '../free-port.js';
import { engineLost } from './engine-lost.js';

// The errors are real ones: dockerode's own client connecting where nothing listens, as it does
// when an Engine stops part-way through a command.
const refusedBy = (docker: Docker) =>
  docker.listServices().then(
    () => {
      throw new Error('something answered');
    },
    (err: unknown) => err,
  );
const dir = mkdtempSync(join(tmpdir(), 'w2meet-engine-lost-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('engineLost', () => {
  it('names the Engine at DOCKER_HOST when a TCP connection to it is refused, and says what to do', async () => {
    const port = await freePort();
    const err = await refusedBy(new Docker({ host: '127.0.0.1', port }));
    const lost = engineLost(err, { DOCKER_HOST: `tcp://127.0.0.1:${port}` });
    expect(lost).toBeInstanceOf(EngineLostError);
    expect(lost?.message).toBe(
      `the Docker Engine at tcp://127.0.0.1:${port} stopped answering during this command (connect ECONNREFUSED 127.0.0.1:${port})`,
    );
    expect(lost?.hint).toContain('run the same command again');
  });

  it('names the socket when the Engine’s socket file is gone', async () => {
    const socket = join(dir, 'docker.sock');
    const err = await refusedBy(new Docker({ socketPath: socket }));
    expect(engineLost(err, { DOCKER_HOST: `unix://${socket}` })?.message).toContain(`at unix://${socket} stopped answering`);
    // With no DOCKER_HOST the Engine is Docker's own socket, not this one.
    expect(engineLost(err, {})).toBeNull();
  });

  it('finds the socket error inside one a caller wrapped it in', async () => {
    const port = await freePort();
    const err = await refusedBy(new Docker({ host: '127.0.0.1', port }));
    const wrapped = new Error('removing the lab’s services failed', { cause: err });
    expect(engineLost(wrapped, { DOCKER_HOST: `127.0.0.1:${port}` })).toBeInstanceOf(EngineLostError);
  });

  it('finds it among the attempts of a host name with several addresses (an AggregateError), by the port', async () => {
    const [v4, v6] = (await freePorts(2)) as [number, number];
    const attempts = [
      await refusedBy(new Docker({ host: '127.0.0.1', port: v4 })),
      await refusedBy(new Docker({ host: '127.0.0.1', port: v6 })),
    ];
    // As Node reports a connect to a name that resolved to several addresses, every one refused.
    const aggregate = Object.assign(new AggregateError(attempts), { code: 'ECONNREFUSED' });
    expect(engineLost(aggregate, { DOCKER_HOST: `tcp://manager.lan:${v6}` })?.message).toContain(
      `at tcp://manager.lan:${v6} stopped answering`,
    );
  });

  it('with no port in DOCKER_HOST, goes by the address alone (the Docker client and dockerode pick different ports)', async () => {
    const port = await freePort();
    const err = await refusedBy(new Docker({ host: '127.0.0.1', port }));
    expect(engineLost(err, { DOCKER_HOST: 'tcp://127.0.0.1' })).toBeInstanceOf(EngineLostError);
    expect(engineLost(err, { DOCKER_HOST: 'tcp://10.0.0.9' })).toBeNull();
  });

  it('leaves alone a refused connection to anything but the Engine, and errors that are no connection’s', async () => {
    const [enginePort, otherPort] = (await freePorts(2)) as [number, number];
    const err = await refusedBy(new Docker({ host: '127.0.0.1', port: otherPort }));
    expect(engineLost(err, { DOCKER_HOST: `tcp://127.0.0.1:${enginePort}` })).toBeNull();
    expect(engineLost(err, { DOCKER_HOST: `tcp://10.0.0.9:${otherPort}` })).toBeNull();
    expect(engineLost(new Error('no such service'), { DOCKER_HOST: `tcp://127.0.0.1:${enginePort}` })).toBeNull();
    expect(engineLost(undefined, {})).toBeNull();
  });
});
