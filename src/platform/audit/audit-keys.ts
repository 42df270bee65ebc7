import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import type { MasterKeyStore } from '../crypto/key-store.js';

/**
 * The audit trail's two keys, kept in the key store beside the facility master keys and never in the
 * database (docs/audit.md "Key custody"):
 * - `audit`: the HMAC-SHA-256 key that seals every event (a secret: whoever holds it can seal events);
 * - `auditsign`: the Ed25519 seed that signs the chain heads exported to the second location(s); its
 *   public half lets anyone check an exported head without being able to make one.
 */
export interface AuditKeys {
  /** The key that seals new events; created on first use when the store allows it. */
  sealingKey(): Promise<{ version: number; key: Buffer }>;
  /** A given version of the sealing key, for verification; undefined when the store lacks it. */
  sealingKeyVersion(version: number): Promise<Buffer | undefined>;
  /** The key that signs exported heads; created on first use when the store allows it. */
  signingKey(): Promise<{ version: number; privateKey: KeyObject }>;
  /** The public key of a signing key version, for verification; undefined when the store lacks it. */
  verifyingKey(version: number): Promise<KeyObject | undefined>;
}

export const AUDIT_SEALING_SCOPE = 'audit';
export const AUDIT_SIGNING_SCOPE = 'auditsign';

// PKCS#8 wrapping of a raw 32-byte Ed25519 seed (RFC 8410).
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

function ed25519FromSeed(seed: Buffer): KeyObject {
  return createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
}

/**
 * The audit keys in a master key store.
 * @param store - the key store (KEY_DIR, or a KMS behind the same interface)
 * @param opts - `create`: make missing keys (the server); verification passes false and fails instead
 * @param opts.create - whether a missing current key is created
 * @returns the keys, cached after the first read
 */
export function auditKeysFrom(store: MasterKeyStore, opts: { create: boolean }): AuditKeys {
  let sealing: Promise<{ version: number; key: Buffer }> | undefined;
  let signing: Promise<{ version: number; privateKey: KeyObject }> | undefined;
  const publicKeys = new Map<number, KeyObject>();
  const missing = (scope: string) => new Error(`the audit key "${scope}" is missing from the key store (KEY_DIR); see docs/audit.md`);
  return {
    sealingKey() {
      sealing ??= store.current(AUDIT_SEALING_SCOPE, opts.create).then((k) => {
        if (!k) throw missing(AUDIT_SEALING_SCOPE);
        return k;
      });
      // A failed read is not cached: the next append tries again.
      sealing.catch(() => (sealing = undefined));
      return sealing;
    },
    sealingKeyVersion: (version) => store.get(AUDIT_SEALING_SCOPE, version),
    signingKey() {
      signing ??= store.current(AUDIT_SIGNING_SCOPE, opts.create).then((k) => {
        if (!k) throw missing(AUDIT_SIGNING_SCOPE);
        return { version: k.version, privateKey: ed25519FromSeed(k.key) };
      });
      signing.catch(() => (signing = undefined));
      return signing;
    },
    async verifyingKey(version) {
      const hit = publicKeys.get(version);
      if (hit) return hit;
      const seed = await store.get(AUDIT_SIGNING_SCOPE, version);
      if (!seed) return undefined;
      const pub = createPublicKey(ed25519FromSeed(seed));
      publicKeys.set(version, pub);
      return pub;
    },
  };
}
