import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { completeSecrets, generateSecrets, readSecretsFile } from './secrets.js';
import { decodeCredentials, credentialLabels, LABEL_CREDENTIALS } from './docker/volume-credentials.js';

describe('lab credentials', () => {
  it('are new random passwords for every lab, Redis included', () => {
    const a = generateSecrets();
    const b = generateSecrets();
    expect(a.redisPassword).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(a.postgresPassword).not.toBe(b.postgresPassword);
  });

  it('kept from before Redis had a password get a random one, saved with them', async () => {
    const { redisPassword, ...old } = generateSecrets();
    expect(redisPassword).toBeTruthy();
    const dir = mkdtempSync(join(tmpdir(), 'w2meet-secrets-'));
    try {
      writeFileSync(join(dir, 'secrets.json'), JSON.stringify(old));
      const first = await readSecretsFile(dir);
      expect(first!.redisPassword).toMatch(/^[A-Za-z0-9_-]{24}$/);
      expect((await readSecretsFile(dir))!.redisPassword).toBe(first!.redisPassword);
      expect(completeSecrets(old).redisPassword).not.toBe(completeSecrets(old).redisPassword);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('survive the round trip through a volume label', () => {
    const secrets = generateSecrets();
    expect(decodeCredentials(credentialLabels(secrets)[LABEL_CREDENTIALS]!)).toEqual(secrets);
  });
});
