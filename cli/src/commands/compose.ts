import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';

/** `w2meet compose [--write|--check]`: the compose file derived from the lab spec. */
export function registerCompose(program: Command): void {
  program
    .command('compose')
    .description('print compose/docker-compose.yml as the lab spec generates it (--write to update it, --check to compare)')
    .option('--write', 'write compose/docker-compose.yml, compose/gateway.conf and compose/docker-stack.yml', false)
    .option('--check', 'exit 1 when the committed files differ from the spec', false)
    .action(async (options: { write: boolean; check: boolean }) => {
      const { renderCompose } = await import('../lab/compose-file.js');
      const { packageRoot } = await import('../shared/paths.js');
      const files = renderCompose();
      const dir = join(packageRoot(), 'compose');
      if (options.write) {
        for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
        process.stderr.write(
          `wrote ${Object.keys(files)
            .map((n) => `compose/${n}`)
            .join(', ')}\n`,
        );
        return;
      }
      if (options.check) {
        const stale: string[] = [];
        for (const [name, text] of Object.entries(files)) {
          const committed = await readFile(join(dir, name), 'utf8').catch(() => '');
          if (committed !== text) stale.push(`compose/${name}`);
        }
        if (stale.length) {
          process.stderr.write(`${stale.join(', ')} differ from the lab spec; run \`npm run compose\`\n`);
          process.exitCode = 1;
        }
        return;
      }
      process.stdout.write(files['docker-compose.yml']);
    });
}
