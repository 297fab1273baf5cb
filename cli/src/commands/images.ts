import type { Command } from 'commander';

/** `w2meet images build|list|prune`: the images the Docker runtime runs, built here when no registry answers. */
export function registerImages(program: Command): void {
  const images = program.command('images').description('build, list and prune the images of the Docker runtime');
  images
    .command('build')
    .description("build the local images from Debian's packages (debootstrap) and the service images; cached by content")
    .option('--force', 'build the base image again even when one of the same recipe exists (the Debian mirror has updates)', false)
    .action(async (options: { force: boolean }) => {
      const { buildLabImages, tagStackImages } = await import('../lab/docker/lab-images.js');
      const { dockerForCli } = await import('../lab/docker/docker-runtime.js');
      const { onInterrupt } = await import('../signals.js');
      const { signal, dispose } = onInterrupt('interrupted; stopping the build (Ctrl-C again to quit at once)');
      try {
        const docker = await dockerForCli();
        const refs = await buildLabImages(docker, 'local', (line) => process.stderr.write(`  ${line}\n`), {
          signal,
          force: options.force,
        });
        for (const [role, ref] of Object.entries(refs)) process.stdout.write(`${role.padEnd(22)} ${ref}\n`);
        const tagged = await tagStackImages(docker, refs);
        process.stderr.write(`  tagged ${tagged.join(', ')} (compose/docker-stack.yml runs these)\n`);
      } finally {
        dispose();
      }
    });
  images
    .command('list')
    .description('the images w2meet made, with their size and age')
    .action(async () => {
      const { listLabImages } = await import('../lab/docker/lab-images.js');
      const { dockerForCli } = await import('../lab/docker/docker-runtime.js');
      const rows = await listLabImages(await dockerForCli());
      if (!rows.length) process.stdout.write('no w2meet images (build them with `w2meet images build`)\n');
      for (const r of rows)
        process.stdout.write(`${r.ref.padEnd(48)} ${r.role.padEnd(22)} ${`${Math.round(r.sizeMb)} MB`.padStart(8)}  ${r.created}\n`);
    });
  images
    .command('push')
    .description(
      "fill a registry (a classroom mirror, a swarm's) with the local base image under the official names, and the stack's images",
    )
    .requiredOption('--registry <host:port>', 'the registry to push to')
    .action(async (options: { registry: string }) => {
      const { pushLocalImages } = await import('../lab/docker/lab-images.js');
      const { dockerForCli } = await import('../lab/docker/docker-runtime.js');
      const pushed = await pushLocalImages(await dockerForCli(), options.registry, (line) => process.stderr.write(`  ${line}\n`));
      for (const ref of pushed) process.stdout.write(`${ref}\n`);
    });
  images
    .command('prune')
    .description('remove w2meet images that no lab container uses')
    .action(async () => {
      const { pruneLabImages } = await import('../lab/docker/lab-images.js');
      const { dockerForCli } = await import('../lab/docker/docker-runtime.js');
      const removed = await pruneLabImages(await dockerForCli());
      process.stderr.write(removed.length ? `removed ${removed.join(', ')}\n` : 'nothing to remove\n');
    });
}
