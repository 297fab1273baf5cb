// Builds w2meet: each service into one CommonJS file (all dependencies inside, so a container
// needs only node and that file), the CLI and the benchmarks as ES modules that load their
// dependencies from node_modules. Type checking is `npm run typecheck`; esbuild only transpiles.
// With --if-stale (the test and bench scripts) it does nothing when dist/ is newer than every input.
import { build } from 'esbuild';
import { readdirSync, statSync } from 'node:fs';
import { chmod, cp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const services = ['user-service', 'availability-service', 'suggestion-service', 'worker-service'];
const stamp = join(root, 'dist', '.built');

/** The newest modification time among the build's inputs: the sources, the templates, the lock file. */
function newestInput() {
  let newest = 0;
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === 'node_modules') continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) newest = Math.max(newest, statSync(path).mtimeMs);
    }
  };
  for (const dir of ['cli', 'services', 'nginx']) walk(join(root, dir));
  for (const file of ['package.json', 'package-lock.json', 'tsconfig.json']) newest = Math.max(newest, statSync(join(root, file)).mtimeMs);
  return newest;
}

if (process.argv.includes('--if-stale')) {
  const built = (() => {
    try {
      return statSync(stamp).mtimeMs;
    } catch {
      return 0;
    }
  })();
  if (built > newestInput()) {
    console.log('dist/ is up to date: nothing to build');
    process.exit(0);
  }
}

await rm(join(root, 'dist'), { recursive: true, force: true });

await Promise.all(
  services.map((name) =>
    build({
      entryPoints: [join(root, 'services', name, 'src', 'server.ts')],
      outfile: join(root, 'dist', 'services', `${name}.cjs`),
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      sourcemap: 'linked',
      legalComments: 'none',
      logLevel: 'warning',
    }),
  ),
);
// swagger-ui's static files, served at /docs, travel beside the bundles (see services/shared/src/docs.ts).
const swaggerUiStatic = join(dirname(require.resolve('@fastify/swagger-ui/package.json')), 'static');
await cp(swaggerUiStatic, join(root, 'dist', 'services', 'static'), { recursive: true });
// The services' one Dockerfile joins their bundles, so dist/services is the whole (small) build context.
await cp(join(root, 'services', 'Dockerfile'), join(root, 'dist', 'services', 'service.Dockerfile'));

await build({
  entryPoints: {
    'cli/w2meet': join(root, 'cli', 'src', 'w2meet.ts'),
    'bench/services': join(root, 'cli', 'bench', 'services.ts'),
    'bench/startup': join(root, 'cli', 'bench', 'startup.ts'),
    'bench/engine': join(root, 'cli', 'bench', 'engine.ts'),
    'bench/engine-server': join(root, 'cli', 'bench', 'engine-server.ts'),
    'bench/dashboard': join(root, 'cli', 'bench', 'dashboard.ts'),
    'bench/grade-repeat': join(root, 'cli', 'bench', 'grade-repeat.ts'),
    'bench/runtimes': join(root, 'cli', 'bench', 'runtimes.ts'),
    'bench/two-node-swarm': join(root, 'cli', 'bench', 'two-node-swarm.ts'),
    'bench/swarm-stops': join(root, 'cli', 'bench', 'swarm-stops.ts'),
    'test/run-suites': join(root, 'cli', 'test', 'suites', 'run-suites.ts'),
  },
  outdir: join(root, 'dist'),
  bundle: true,
  splitting: true,
  packages: 'external',
  platform: 'node',
  target: 'node20',
  format: 'esm',
  sourcemap: 'linked',
  logLevel: 'warning',
  banner: { js: '#!/usr/bin/env node' },
  chunkNames: 'cli/chunks/[name]-[hash]',
});
// The package's bin: npm sets its mode only on install, and a rebuild writes it anew with 644.
await chmod(join(root, 'dist', 'cli', 'w2meet.js'), 0o755);
// Written last: only a whole build counts as up to date.
await writeFile(stamp, `${new Date().toISOString()}\n`);
