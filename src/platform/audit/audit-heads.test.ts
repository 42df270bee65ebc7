import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { memoryKeyStore } from '../crypto/key-store.js';
import { auditKeysFrom } from './audit-keys.js';
import { headSignatureValid, signHead } from './audit-heads.js';

const head = { chain: 3, seq: '42', hash: 'ab'.repeat(32), exportedAt: '2026-11-25T08:00:00.000000Z' };

describe('signed audit heads (docs/audit.md)', () => {
  it('verify with the signing key of the key store, and not after any change or with another key', async () => {
    const keys = auditKeysFrom(memoryKeyStore(), { create: true });
    const { version, privateKey } = await keys.signingKey();
    const pub = await keys.verifyingKey(version);
    if (!pub) throw new Error('no public key');
    const signed = signHead(privateKey, version, head);
    expect(headSignatureValid(pub, signed)).toBe(true);
    for (const change of [{ seq: '41' }, { chain: 4 }, { hash: 'cd'.repeat(32) }, { exportedAt: '2026-11-25T08:00:01.000000Z' }, { key: version + 1 }]) {
      expect(headSignatureValid(pub, { ...signed, ...change }), JSON.stringify(change)).toBe(false);
    }
    expect(headSignatureValid(pub, signHead(generateKeyPairSync('ed25519').privateKey, version, head))).toBe(false);
    expect(headSignatureValid(pub, head)).toBe(false);
  });

  it('verification never creates a key it does not find', async () => {
    const keys = auditKeysFrom(memoryKeyStore(), { create: false });
    await expect(keys.sealingKey()).rejects.toThrow(/missing/);
    await expect(keys.signingKey()).rejects.toThrow(/missing/);
  });

  it('heads are exported at least every 10 s by default, and the interval cannot be set longer', () => {
    expect(loadConfig({}).AUDIT_HEAD_EXPORT_INTERVAL_SECONDS).toBeLessThanOrEqual(10);
    expect(loadConfig({ AUDIT_HEAD_EXPORT_INTERVAL_SECONDS: '2' }).AUDIT_HEAD_EXPORT_INTERVAL_SECONDS).toBe(2);
    expect(() => loadConfig({ AUDIT_HEAD_EXPORT_INTERVAL_SECONDS: '300' })).toThrow(/AUDIT_HEAD_EXPORT_INTERVAL_SECONDS/);
  });
});
