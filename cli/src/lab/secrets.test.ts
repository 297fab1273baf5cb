import { describe, expect, it } from 'vitest';
import { completeSecrets, generateSecrets } from './secrets.js';
import { decodeCredentials, credentialLabels, LABEL_CREDENTIALS } from './docker/volume-credentials.js';

describe('lab credentials', () => {
  it('are new random passwords for every lab, Redis included', () => {
    const a = generateSecrets();
    const b = generateSecrets();
    expect(a.redisPassword).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(a.postgresPassword).not.toBe(b.postgresPassword);
  });

  it('kept from before Redis had a password get a stable one derived from them', () => {
    const { redisPassword, ...old } = generateSecrets();
    expect(redisPassword).toBeTruthy();
    expect(completeSecrets(old).redisPassword).toBe(completeSecrets(old).redisPassword);
    expect(completeSecrets(old).redisPassword).not.toBe(completeSecrets({ ...old, postgresPassword: 'other' }).redisPassword);
  });

  it('survive the round trip through a volume label', () => {
    const secrets = generateSecrets();
    expect(decodeCredentials(credentialLabels(secrets)[LABEL_CREDENTIALS]!)).toEqual(secrets);
  });
});
