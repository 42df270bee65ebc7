import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { fixedClock } from '../clock.js';
import { systemIds } from '../ids.js';
import { createTestDatabase } from '../db/testing.js';
import type { Database } from '../db/index.js';
import type { RequestCtx } from '../auth/request-context.js';
import { AppError } from '../errors/app-error.js';
import { fileKeyStore } from './key-store.js';
import { createKeyring, dataKeyTable, facilityScope, type Keyring } from './keyring.js';

// Encryption at rest (docs/decisions.md#d13): envelope encryption with facility master keys kept
// outside the database, rotation without re-encrypting data, and an operator that can never decrypt.

const clock = fixedClock('2026-11-25T08:00:00Z');
const facilityA = facilityScope('0190a000-0000-7000-8000-0000000000fa');
const facilityB = facilityScope('0190a000-0000-7000-8000-0000000000fb');
const reader: RequestCtx = { actor: { type: 'user', id: '0190a000-0000-7000-8000-000000000001', role: 'specialist', sessionId: 's', facilityIds: [] }, requestId: 'r', ip: '127.0.0.1', userAgent: undefined, lang: 'en' };
const operator: RequestCtx = { ...reader, actor: { type: 'user', id: '0190a000-0000-7000-8000-000000000002', role: 'operator', sessionId: 's', facilityIds: [] } };

/** The data key id an envelope names (bytes 2-17 after the "D1" magic). */
const keyIdOf = (envelope: Buffer) => envelope.subarray(2, 18).toString('hex');

describe('keyring (R-TM-28-3: vendors without access)', () => {
  let database: Database;
  let keyDir: string;
  const fresh = (dir = keyDir): Keyring => createKeyring({ store: fileKeyStore(dir), clock, ids: systemIds });

  beforeAll(async () => {
    database = await createTestDatabase();
    keyDir = await mkdtemp(join(tmpdir(), 'distansia-keys-'));
  });
  afterAll(async () => {
    await database?.close();
    await rm(keyDir, { recursive: true, force: true });
  });

  it('stores only ciphertext and binds it to its context', async () => {
    const k = fresh();
    const env = await k.encrypt(database.db, facilityA, 'Иван Петров, диагноза I10', 'note:1:text');
    expect(env.includes(Buffer.from('Иван'))).toBe(false);
    expect((await k.decrypt(reader, database.db, facilityA, env, 'note:1:text')).toString()).toBe('Иван Петров, диагноза I10');
    // Security: a ciphertext moved to another record (another context) does not decrypt.
    await expect(k.decrypt(reader, database.db, facilityA, env, 'note:2:text')).rejects.toThrow();
    // A key of one facility never opens another facility's data.
    await expect(k.decrypt(reader, database.db, facilityB, env, 'note:1:text')).rejects.toThrow(/scope/);
  });

  it('refuses the operator role, with a valid envelope and the right context (Art. 28(3))', async () => {
    const k = fresh();
    const env = await k.encrypt(database.db, facilityA, 'secret', 'x:1');
    const err = await k.decrypt(operator, database.db, facilityA, env, 'x:1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('auth.forbidden');
    await expect(k.decryptJson(operator, database.db, 'registry', await k.encryptJson(database.db, 'registry', { a: 1 }, 'y:1'), 'y:1')).rejects.toMatchObject({ code: 'auth.forbidden' });
  });

  it('data-key rotation: old data still decrypts, new data uses the new key', async () => {
    const k = fresh();
    const before = await k.encrypt(database.db, facilityA, 'before rotation', 'r:1');
    const newKeyId = await k.rotateDataKey(database.db, facilityA);
    const after = await k.encrypt(database.db, facilityA, 'after rotation', 'r:2');
    expect(keyIdOf(after)).toBe(newKeyId.replace(/-/g, ''));
    expect(keyIdOf(after)).not.toBe(keyIdOf(before));
    // A fresh process (no cached keys) reads both.
    const k2 = fresh();
    expect((await k2.decrypt(reader, database.db, facilityA, before, 'r:1')).toString()).toBe('before rotation');
    expect((await k2.decrypt(reader, database.db, facilityA, after, 'r:2')).toString()).toBe('after rotation');
    const rows = await database.db.select().from(dataKeyTable).where(eq(dataKeyTable.scope, facilityA));
    expect(rows.filter((r) => r.retiredAt === null)).toHaveLength(1);
  });

  it('master-key rotation rewraps data keys without touching the data', async () => {
    const k = fresh();
    const env = await k.encrypt(database.db, facilityB, 'wrapped under v1', 'm:1');
    const [beforeRow] = await database.db.select().from(dataKeyTable).where(eq(dataKeyTable.scope, facilityB));
    expect(beforeRow?.masterVersion).toBe(1);

    const version = await k.rotateMasterKey(database.db, facilityB);
    expect(version).toBe(2);
    const [afterRow] = await database.db.select().from(dataKeyTable).where(eq(dataKeyTable.id, beforeRow!.id));
    expect(afterRow?.masterVersion).toBe(2);
    expect(afterRow?.wrapped.equals(beforeRow!.wrapped)).toBe(false);

    // The same envelope (never re-encrypted) opens with only the v2 master key present.
    const onlyV2 = await mkdtemp(join(tmpdir(), 'distansia-keys-v2-'));
    try {
      const { copyFile } = await import('node:fs/promises');
      const v2 = (await readdir(keyDir)).find((f) => f.startsWith('facility_') && f.includes(facilityB.slice(9)) && f.endsWith('.v2.key'));
      expect(v2).toBeDefined();
      await copyFile(join(keyDir, v2!), join(onlyV2, v2!));
      expect((await fresh(onlyV2).decrypt(reader, database.db, facilityB, env, 'm:1')).toString()).toBe('wrapped under v1');
    } finally {
      await rm(onlyV2, { recursive: true, force: true });
    }
  });

  it('fails loudly when the master key file is missing', async () => {
    const k = fresh();
    const env = await k.encrypt(database.db, facilityA, 'needs the key file', 'k:1');
    const empty = await mkdtemp(join(tmpdir(), 'distansia-nokeys-'));
    try {
      await expect(fresh(empty).decrypt(reader, database.db, facilityA, env, 'k:1')).rejects.toThrow(/master key .* is missing/);
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });

  it('keeps master keys out of the database: data_key rows hold only wrapped keys', async () => {
    const files = (await readdir(keyDir)).filter((f) => f.endsWith('.key'));
    expect(files.length).toBeGreaterThan(0);
    const { readFile } = await import('node:fs/promises');
    const masters = await Promise.all(files.map(async (f) => Buffer.from((await readFile(join(keyDir, f), 'utf8')).trim(), 'base64')));
    const rows = await database.db.select().from(dataKeyTable);
    for (const row of rows) for (const m of masters) expect(row.wrapped.includes(m)).toBe(false);
  });
});
