import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const fixtures = join(import.meta.dirname, 'reporter-fixtures');

/** A real vitest run of the fixtures with the summary reporter: its exit code and what it printed. */
async function runFixtures(config = 'vitest.config.ts'): Promise<{ code: number; stdout: string }> {
  const vitest = join(import.meta.dirname, '..', '..', 'node_modules', 'vitest', 'vitest.mjs');
  const args = [vitest, 'run', '--config', join(fixtures, config)];
  return run(process.execPath, args, { env: { ...process.env, CI: 'true', NO_COLOR: '1' }, timeout: 60_000 }).then(
    ({ stdout }) => ({ code: 0, stdout }),
    (err: { code?: number; stdout?: string }) => ({ code: err.code ?? -1, stdout: err.stdout ?? '' }),
  );
}

describe('the closing summary line', () => {
  it('counts the tests of a file whose set-up failed, and a tear-down that failed, as failed; names every skip', async () => {
    const { code, stdout } = await runFixtures();
    expect(code).toBe(1);
    const lines = stdout.trimEnd().split('\n');
    // passes (1 passed, 1 skipped), setup-fails (2 never ran), teardown-fails (1 passed, its afterAll
    // failed), suite-setup-fails (1 passed outside the suite, 1 never ran inside it).
    expect(lines).toContain('fixtures: 3 passed, 4 failed, 1 skipped');
    expect(lines).toContain('  skipped: passes.fixture.ts > is skipped on this machine (needs a tool it lacks)');
    expect(lines).toContain('  failed in set-up or tear-down: setup-fails.fixture.ts (the set-up failed)');
    expect(lines).toContain('  failed in set-up or tear-down: teardown-fails.fixture.ts (the tear-down failed)');
    expect(lines).toContain('  failed in set-up or tear-down: suite-setup-fails.fixture.ts (the suite set-up failed)');
  }, 60_000);

  it('counts a run whose global set-up threw (a lab that did not come up) as failed', async () => {
    const { code, stdout } = await runFixtures('global-setup-fails.config.ts');
    expect(code).toBe(1);
    const lines = stdout.trimEnd().split('\n');
    expect(lines).toContain('fixtures: 0 passed, 1 failed, 0 skipped');
    expect(lines).toContain('  failed before any test ran (its global set-up: see the error above)');
  }, 60_000);
});
