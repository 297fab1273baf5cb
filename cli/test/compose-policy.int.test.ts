import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

// A student's compose file that reaches the grading machine, checked with the machine's own compose
// (Debian's docker-compose 1.29 where `doctor --fix --test-tools` installed it) before anything runs.
const dir = mkdtempSync(join(tmpdir(), 'w2meet-policy-it-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('grade --compose with a file that reaches the machine', () => {
  it('refuses it before anything starts, naming each service and key and the flag that accepts them', async () => {
    const file = join(dir, 'docker-compose.yml');
    copyFileSync(join(import.meta.dirname, '..', 'src', 'lab', 'compose-project', 'fixtures', 'host-reaching.compose.yml'), file);
    const res = await runCli(['grade', 'smoke', '--compose', file, '--project', 'w2meet-policy-it']);
    expect(res.code, res.stderr).toBe(2);
    expect(res.stderr).toContain('reaches the grading machine, so nothing of it was started');
    for (const finding of [
      'service app: privileged',
      "service app: volumes (a bind mount of /, outside the file's folder)",
      "service app: env_file /etc/hostname, outside the file's folder",
      "secrets s1: file /root/.ssh/id_rsa, outside the file's folder",
    ])
      expect(res.stderr).toContain(finding);
    expect(res.stderr).toContain('--allow-host-access');
    expect(res.stderr).not.toContain('bringing compose project');
  });
});
