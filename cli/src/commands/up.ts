import { InvalidArgumentError, Option, type Command } from 'commander';
import { labSpec, parseReplicas, RUNTIME_CHOICES, runtimeForUp, type RuntimeChoice } from '../lab/open-lab.js';
import { parsePort, withJson, withLab } from './shared-options.js';
import { criticalPath, dependenciesOf, formatStatus } from './format.js';
import { onInterrupt } from '../signals.js';
import { UsageError } from '../errors.js';

interface UpOptions {
  lab: string;
  runtime: RuntimeChoice;
  port: number;
  replicas?: string;
  env: string[];
  json: boolean;
  images: 'local' | 'official';
  registry?: string;
  exposeInfra: boolean;
  spread: boolean;
}

function collect(value: string, previous: string[]): string[] {
  if (!/^[A-Z][A-Z0-9_]*=/.test(value)) throw new InvalidArgumentError(`--env needs NAME=VALUE, got "${value}"`);
  return [...previous, value];
}

export function registerUp(program: Command): void {
  const command = program
    .command('up')
    .description('start the lab (Docker when a daemon answers, else local processes); returns when everything is healthy')
    .addOption(new Option('--runtime <runtime>', 'where the lab runs').choices(RUNTIME_CHOICES).default('auto'))
    .option('--port <port>', 'gateway port on 127.0.0.1 (0 picks a free one)', parsePort, 8080)
    .option('--replicas <list>', 'replicas per service, e.g. availability=3,suggestion=1')
    .option('--env <NAME=VALUE>', 'extra environment for every service (repeatable), e.g. JOB_WORK_MS=50', collect, [])
    .addOption(
      new Option('--images <source>', "docker: build images here from Debian's packages, or pull the official ones")
        .choices(['local', 'official'])
        .default('local'),
    )
    .option(
      '--registry <host:port>',
      'pull the official image names from this registry (a classroom mirror); on a swarm, also push the service images there, so every node pulls them',
    )
    .option(
      '--expose-infra',
      'also publish Postgres, Redis and RabbitMQ on 127.0.0.1 (docker and swarm; of a remote manager, through the tunnel status prints)',
      false,
    )
    .option(
      '--spread',
      "swarm: put each service's replicas on different nodes, replica 1 on this Engine's node (the one the scenarios break); otherwise the Engine places them",
      false,
    );
  withJson(withLab(command)).action(async (options: UpOptions) => {
    if (options.spread && options.runtime !== 'swarm')
      throw new UsageError('--spread places replicas on the nodes of a swarm', 'add --runtime swarm, or leave --spread out');
    const runtime = await runtimeForUp(options.runtime, {
      images: options.registry ? 'official' : options.images,
      registry: options.registry,
      exposeInfra: options.exposeInfra,
      spread: options.spread,
      onChoice: (line) => process.stderr.write(`${line}\n`),
    });
    const spec = await labSpec(
      {
        name: options.lab,
        gatewayPort: options.port,
        replicas: parseReplicas(options.replicas),
        serviceEnv: Object.fromEntries(options.env.map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)])),
      },
      runtime,
    );
    const { signal, dispose } = onInterrupt('interrupted; stopping what was started (Ctrl-C again to quit at once)');
    try {
      const status = await runtime.up(spec, {
        signal,
        onProgress: (e) => {
          if (e.type === 'starting') process.stderr.write(`  starting ${e.id}\n`);
          if (e.type === 'healthy') process.stderr.write(`  healthy  ${e.id} (${(e.ms / 1000).toFixed(2)}s)\n`);
          if (e.type === 'info') process.stderr.write(`  ${e.message}\n`);
        },
      });
      if (options.json) {
        process.stdout.write(`${JSON.stringify(status, null, 2)}\n`);
      } else {
        process.stdout.write(`${formatStatus(status)}\n\nstart-up critical path: ${criticalPath(status, dependenciesOf(status))}\n`);
        // On a manager of another machine the URL answers here once the tunnel (in the status above) is open.
        process.stdout.write(`\nThe lab is up: ${status.gatewayUrl}${status.gatewayVia ? ', through the tunnel above' : ''}\n`);
        process.stdout.write(
          `Try: curl ${status.gatewayUrl}/suggestion/health   Stop it: w2meet down${options.lab === 'default' ? '' : ` --lab ${options.lab}`}\n`,
        );
      }
    } finally {
      dispose();
    }
  });
}
