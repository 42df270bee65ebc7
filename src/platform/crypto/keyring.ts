import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { and, desc, eq, isNull } from 'drizzle-orm';
import { integer, customType, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { toDate, type Clock } from '../clock.js';
import type { IdGen } from '../ids.js';
import type { Db, Queryable } from '../db/index.js';
import type { RequestCtx } from '../auth/request-context.js';
import { ForbiddenError } from '../errors/app-error.js';
import type { MasterKeyStore } from './key-store.js';

export const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });

export const dataKeyTable = pgTable('data_key', {
  id: uuid('id').primaryKey(),
  scope: text('scope').notNull(),
  masterVersion: integer('master_version').notNull(),
  wrapped: bytea('wrapped').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  retiredAt: timestamp('retired_at', { withTimezone: true }),
});

/**
 * Key scopes. Regulatory: patient data is encrypted with keys that belong to the facility (Art. 28(3)-(4),
 * docs/decisions.md#d13); the patient registry (who a patient is) has its own scope held by the deploying
 * organisation, not by the platform operator.
 */
export type KeyScope = 'registry' | `facility:${string}`;

export const facilityScope = (facilityId: string): KeyScope => `facility:${facilityId}`;

const MAGIC = Buffer.from([0x44, 0x31]); // "D1": envelope format version 1
const IV_LEN = 12;
const TAG_LEN = 16;
const ID_LEN = 16;

function uuidToBytes(id: string): Buffer {
  return Buffer.from(id.replace(/-/g, ''), 'hex');
}
function bytesToUuid(b: Buffer): string {
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function seal(key: Buffer, plaintext: Buffer, aad: Buffer): { iv: Buffer; tag: Buffer; ct: Buffer } {
  const iv = randomBytes(IV_LEN);
  const c = createCipheriv('aes-256-gcm', key, iv);
  c.setAAD(aad);
  const ct = Buffer.concat([c.update(plaintext), c.final()]);
  return { iv, tag: c.getAuthTag(), ct };
}

function open(key: Buffer, iv: Buffer, tag: Buffer, ct: Buffer, aad: Buffer): Buffer {
  const d = createDecipheriv('aes-256-gcm', key, iv);
  d.setAAD(aad);
  d.setAuthTag(tag);
  return Buffer.concat([d.update(ct), d.final()]);
}

export interface Keyring {
  /**
   * Encrypts with the scope's active data key (AES-256-GCM); the envelope names its key, so rotation
   * never requires re-encrypting old data at once.
   * @param q - the transaction (a data key may be created on first use)
   * @param scope - whose key
   * @param plaintext - the data
   * @param context - bound as associated data, e.g. `patient:<id>:pii`; decrypt must pass the same
   * @returns the envelope
   */
  encrypt(q: Queryable, scope: KeyScope, plaintext: Buffer | string, context: string): Promise<Buffer>;
  /**
   * Decrypts an envelope for an authorised actor. Security: the operator role can never decrypt (Art. 28(3)).
   * @throws {ForbiddenError} for the platform operator
   */
  decrypt(ctx: RequestCtx, q: Queryable, scope: KeyScope, envelope: Buffer, context: string): Promise<Buffer>;
  /** Encrypts a JSON value. */
  encryptJson(q: Queryable, scope: KeyScope, value: unknown, context: string): Promise<Buffer>;
  /** Decrypts a JSON value. */
  decryptJson<T>(ctx: RequestCtx, q: Queryable, scope: KeyScope, envelope: Buffer, context: string): Promise<T>;
  /** A keyed hash for equality lookups of encrypted values (e.g. EGN), without revealing them. */
  blindIndex(scope: KeyScope, value: string): Promise<string>;
  /** Retires the scope's active data key; new data uses a new one, old data stays readable. */
  rotateDataKey(q: Queryable, scope: KeyScope): Promise<string>;
  /** Creates a new master key version and rewraps the scope's data keys under it (no data re-encryption). */
  rotateMasterKey(db: Db, scope: KeyScope): Promise<number>;
}

/**
 * Envelope encryption with per-scope data keys wrapped by master keys kept outside the database.
 * @param deps - database, master key store, clock and ids
 * @returns the keyring
 */
export function createKeyring(deps: { store: MasterKeyStore; clock: Clock; ids: IdGen }): Keyring {
  const unwrapped = new Map<string, { scope: KeyScope; key: Buffer }>(); // data key id → key; never written anywhere
  const active = new Map<string, string>(); // scope → active data key id

  async function master(scope: KeyScope, version?: number): Promise<Buffer> {
    if (version !== undefined) {
      const key = await deps.store.get(scope, version);
      if (!key) throw new Error(`master key ${scope} v${version} is missing`);
      return key;
    }
    const cur = await deps.store.current(scope, true);
    if (!cur) throw new Error(`master key ${scope} is missing`);
    return cur.key;
  }

  async function unwrapRow(row: { id: string; scope: string; masterVersion: number; wrapped: Buffer }): Promise<Buffer> {
    const mk = await master(row.scope as KeyScope, row.masterVersion);
    const iv = row.wrapped.subarray(0, IV_LEN);
    const tag = row.wrapped.subarray(IV_LEN, IV_LEN + TAG_LEN);
    const ct = row.wrapped.subarray(IV_LEN + TAG_LEN);
    return open(mk, iv, tag, ct, Buffer.from(`data_key:${row.id}:${row.scope}`));
  }

  async function activeKey(q: Queryable, scope: KeyScope): Promise<{ id: string; key: Buffer }> {
    const cachedId = active.get(scope);
    if (cachedId) {
      const hit = unwrapped.get(cachedId);
      if (hit) return { id: cachedId, key: hit.key };
    }
    const [row] = await q
      .select()
      .from(dataKeyTable)
      .where(and(eq(dataKeyTable.scope, scope), isNull(dataKeyTable.retiredAt)))
      .orderBy(desc(dataKeyTable.createdAt))
      .limit(1);
    if (row) {
      const key = await unwrapRow(row);
      unwrapped.set(row.id, { scope, key });
      active.set(scope, row.id);
      return { id: row.id, key };
    }
    return createDataKey(q, scope);
  }

  async function createDataKey(q: Queryable, scope: KeyScope): Promise<{ id: string; key: Buffer }> {
    const cur = await deps.store.current(scope, true);
    if (!cur) throw new Error(`master key ${scope} is missing`);
    const id = deps.ids.uuid();
    const key = randomBytes(32);
    const { iv, tag, ct } = seal(cur.key, key, Buffer.from(`data_key:${id}:${scope}`));
    // Concurrency: two first encryptions of a scope at once (two bookings at a new facility) must not
    // fail on the one-active-key index: the loser waits for the winner's commit and uses its key.
    const inserted = await q
      .insert(dataKeyTable)
      .values({ id, scope, masterVersion: cur.version, wrapped: Buffer.concat([iv, tag, ct]), createdAt: toDate(deps.clock.now()) })
      .onConflictDoNothing({ target: dataKeyTable.scope, where: isNull(dataKeyTable.retiredAt) })
      .returning({ id: dataKeyTable.id });
    if (inserted.length === 0) {
      const [row] = await q.select().from(dataKeyTable).where(and(eq(dataKeyTable.scope, scope), isNull(dataKeyTable.retiredAt))).limit(1);
      if (!row) throw new Error(`data key of ${scope} vanished`);
      const winner = await unwrapRow(row);
      unwrapped.set(row.id, { scope, key: winner });
      active.set(scope, row.id);
      return { id: row.id, key: winner };
    }
    unwrapped.set(id, { scope, key });
    active.set(scope, id);
    return { id, key };
  }

  async function keyById(q: Queryable, scope: KeyScope, id: string): Promise<Buffer> {
    const hit = unwrapped.get(id);
    // Security: the cache is checked against the scope too, so one facility's key never opens another's data.
    if (hit) {
      if (hit.scope !== scope) throw new Error('data key not found for this scope');
      return hit.key;
    }
    const [row] = await q.select().from(dataKeyTable).where(eq(dataKeyTable.id, id)).limit(1);
    if (!row || row.scope !== scope) throw new Error('data key not found for this scope');
    const key = await unwrapRow(row);
    unwrapped.set(id, { scope, key });
    return key;
  }

  const keyring: Keyring = {
    async encrypt(q, scope, plaintext, context) {
      const { id, key } = await activeKey(q, scope);
      const data = typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : plaintext;
      const { iv, tag, ct } = seal(key, data, Buffer.from(context));
      return Buffer.concat([MAGIC, uuidToBytes(id), iv, tag, ct]);
    },
    async decrypt(ctx, q, scope, envelope, context) {
      if (ctx.actor.type === 'user' && ctx.actor.role === 'operator') {
        throw new ForbiddenError('The platform operator cannot read patient data');
      }
      if (envelope.length < MAGIC.length + ID_LEN + IV_LEN + TAG_LEN || !envelope.subarray(0, 2).equals(MAGIC)) {
        throw new Error('not a Distansia envelope');
      }
      let o = MAGIC.length;
      const id = bytesToUuid(envelope.subarray(o, (o += ID_LEN)));
      const iv = envelope.subarray(o, (o += IV_LEN));
      const tag = envelope.subarray(o, (o += TAG_LEN));
      const key = await keyById(q, scope, id);
      return open(key, iv, tag, envelope.subarray(o), Buffer.from(context));
    },
    async encryptJson(q, scope, value, context) {
      return keyring.encrypt(q, scope, JSON.stringify(value), context);
    },
    async decryptJson<T>(ctx: RequestCtx, q: Queryable, scope: KeyScope, envelope: Buffer, context: string): Promise<T> {
      return JSON.parse((await keyring.decrypt(ctx, q, scope, envelope, context)).toString('utf8')) as T;
    },
    async blindIndex(scope, value) {
      // The index key is derived from master key v1 so it stays stable across master rotations.
      const mk = (await deps.store.get(scope, 1)) ?? (await master(scope));
      const k = Buffer.from(hkdfSync('sha256', mk, Buffer.alloc(0), Buffer.from('distansia blind index'), 32));
      return createHmac('sha256', k).update(value.normalize('NFC')).digest('base64url');
    },
    async rotateDataKey(q, scope) {
      await q.update(dataKeyTable).set({ retiredAt: toDate(deps.clock.now()) }).where(and(eq(dataKeyTable.scope, scope), isNull(dataKeyTable.retiredAt)));
      active.delete(scope);
      return (await createDataKey(q, scope)).id;
    },
    async rotateMasterKey(db, scope) {
      const next = await deps.store.rotate(scope);
      await db.transaction(async (tx) => {
        const rows = await tx.select().from(dataKeyTable).where(eq(dataKeyTable.scope, scope)).for('update');
        for (const row of rows) {
          const key = await unwrapRow(row);
          const { iv, tag, ct } = seal(next.key, key, Buffer.from(`data_key:${row.id}:${scope}`));
          await tx.update(dataKeyTable).set({ masterVersion: next.version, wrapped: Buffer.concat([iv, tag, ct]) }).where(eq(dataKeyTable.id, row.id));
        }
      });
      return next.version;
    },
  };
  return keyring;
}
