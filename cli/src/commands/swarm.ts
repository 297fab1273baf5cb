import type { Command } from 'commander';

/** `w2meet swarm init|leave`: a swarm of this machine's Engine alone, for `--runtime swarm`, and undoing it. */
export function registerSwarm(program: Command): void {
  const swarm = program.command('swarm').description("a one-node Docker swarm on this machine's Engine, for `up --runtime swarm`");
  swarm
    .command('init')
    .description(
      'make the local Engine a one-node swarm (its manager), listening on 127.0.0.1 only; nothing happens if it is in one; refused while a Docker lab runs on the Engine',
    )
    .option('--advertise-addr <ip>', 'the address other nodes would join it at (127.0.0.1: none can)', '127.0.0.1')
    .action(async (options: { advertiseAddr: string }) => {
      const { dockerForCli } = await import('../lab/docker/docker-runtime.js');
      const { initSwarm } = await import('../lab/swarm/swarm-membership.js');
      process.stderr.write(`${(await initSwarm(await dockerForCli(), options.advertiseAddr)).message}\n`);
    });
  swarm
    .command('leave')
    .description('take the local Engine out of its swarm; refused while a lab runs on it or on the Engine (w2meet down first)')
    .action(async () => {
      const { dockerForCli } = await import('../lab/docker/docker-runtime.js');
      const { leaveSwarm } = await import('../lab/swarm/swarm-membership.js');
      process.stderr.write(`${(await leaveSwarm(await dockerForCli())).message}\n`);
    });
}
