import type { Command } from 'commander';
import { UsageError } from '../errors.js';

/** `w2meet swarm init|leave`: a swarm of this machine's Engine alone, for `--runtime swarm`, and undoing it. */
export function registerSwarm(program: Command): void {
  const swarm = program.command('swarm').description("a one-node Docker swarm on this machine's Engine, for `up --runtime swarm`");
  swarm
    .command('init')
    .description('make the local Engine a one-node swarm (its manager), listening on 127.0.0.1 only; nothing happens if it is in one')
    .option('--advertise-addr <ip>', 'the address other nodes would join it at (127.0.0.1: none can)', '127.0.0.1')
    .action(async (options: { advertiseAddr: string }) => {
      const { dockerForCli } = await import('../lab/docker/docker-runtime.js');
      const { SwarmEngine } = await import('../lab/swarm/swarm-engine.js');
      const engine = new SwarmEngine(await dockerForCli());
      const before = await engine.localState();
      if (before.state === 'active') {
        process.stderr.write(`the Engine is already a ${before.manager ? 'manager' : 'worker'} of a swarm of ${before.nodes} node(s)\n`);
        return;
      }
      await engine.init(options.advertiseAddr);
      process.stderr.write(
        `swarm made: this Engine is its manager, at ${options.advertiseAddr}:2377\nbring the lab up on it: w2meet up --runtime swarm\n`,
      );
    });
  swarm
    .command('leave')
    .description('take the local Engine out of its swarm; refused while a lab runs on it (w2meet down first)')
    .action(async () => {
      const { dockerForCli } = await import('../lab/docker/docker-runtime.js');
      const { SwarmEngine } = await import('../lab/swarm/swarm-engine.js');
      const { LABEL_LAB } = await import('../lab/docker/labels.js');
      const docker = await dockerForCli();
      const engine = new SwarmEngine(docker);
      const local = await engine.localState();
      if (local.state !== 'active') {
        process.stderr.write('the Engine is in no swarm: nothing to leave\n');
        return;
      }
      // Only the one-node swarm `swarm init` makes: leaving a cluster's manager can cost it its quorum.
      if (!local.manager || local.nodes > 1)
        throw new UsageError(
          `this Engine is one of ${local.nodes} nodes of its swarm${local.manager ? '' : ' (a worker)'}, which w2meet did not make`,
          'leave it with `docker swarm leave` yourself, knowing what it does to the cluster',
        );
      const labs = new Set(
        ((await docker.listServices({ filters: { label: [LABEL_LAB] } })) as Array<{ Spec?: { Labels?: Record<string, string> } }>).map(
          (s) => s.Spec?.Labels?.[LABEL_LAB],
        ),
      );
      if (labs.size)
        throw new UsageError(`lab ${[...labs].join(', ')} runs on this swarm`, `take it down first: w2meet down --lab ${[...labs][0]}`);
      await engine.leave();
      process.stderr.write('the Engine left its swarm\n');
    });
}
