import { randomInt } from 'node:crypto';
import type pg from 'pg';
import type { z } from 'zod';
import type { Clock } from '../clock.js';
import type { IdGen } from '../ids.js';
import { onTransactionRollback, withTransaction, type Db, type Queryable } from '../db/index.js';
import type { RequestCtx } from '../auth/request-context.js';
import { auditEventData, type AuditAction, type AuditEventOf } from '../../contracts/audit-events.js';
import { AUDIT_SEALED_SCHEMA_VERSION, sealOfFields } from './audit-chain.js';
import type { AuditKeys } from './audit-keys.js';

/** What every audit entry may say besides its action and data (STYLE C13). */
interface AuditEntryBase {
  outcome?: 'success' | 'denied' | 'failure';
  /** The patient whose data was read or written, if any (drives "who looked at my record"). */
  patientId?: string;
  /** The facility on whose behalf the actor acted, if any. */
  facilityId?: string;
  subject?: { type: string; id: string };
  /** Why the access happened (e.g. `request:<id>`, `grant:<id>`), shown to the patient. */
  reason?: string;
  /** The person the actor acted for (a representative's patient, an impersonated account), if any. */
  onBehalfOf?: string;
}

/**
 * One audit entry: an action of the catalogue (src/contracts/audit-events.ts) with that action's
 * `data` (small, non-personal details: field names changed, codes, counts). Never clinical content,
 * never names: ids, codes and field names only (STYLE C13).
 */
export type AuditEntry<A extends AuditAction = AuditAction> = AuditEntryBase & AuditEventOf<A>;

/** Which actions exist and the `data` each takes; the application's is `auditEventData`. */
export type AuditCatalogue = Readonly<Record<string, z.ZodType>>;
/** An event of some catalogue: the action and its data. */
export interface AnyAuditEvent {
  action: string;
  data?: unknown;
}

/** The parameters of `AUDIT_INSERT_SQL`, in column order. */
export type AuditRowValues = (string | number | Buffer | null)[];

export interface AuditLog<E extends AnyAuditEvent = AuditEventOf> {
  /**
   * Appends an event in the caller's transaction; if it fails, the business operation fails.
   * @param q - the transaction of the audited change (a `Db` gets a transaction of its own)
   * @param ctx - actor, request id, IP
   * @param entry - what happened
   */
  record(q: Queryable, ctx: RequestCtx, entry: AuditEntryBase & E): Promise<void>;
  /** Appends a denial or failure in its own short transaction (the main one has rolled back). */
  recordStandalone(ctx: RequestCtx, entry: AuditEntryBase & E): Promise<void>;
  /**
   * Appends through one statement the caller runs on `client` outside any transaction (it is its own
   * transaction), e.g. the booking statement that writes the audit row with the booking.
   * @param client - a pool client checked out by the caller, not in a transaction
   * @param run - runs the statement with the audit row's parameters (`AUDIT_INSERT_SQL` column order)
   *   and tells whether the row was inserted (a statement may legitimately insert nothing)
   * @returns what `run` returned
   */
  appendWith<T>(client: pg.PoolClient, ctx: RequestCtx, entry: AuditEntryBase & E, run: (values: AuditRowValues) => Promise<{ inserted: boolean; result: T }>): Promise<T>;
}

/** Schema version of the rows the application writes (migrations/0018_audit_mac.sql). */
export const AUDIT_SCHEMA_VERSION = AUDIT_SEALED_SCHEMA_VERSION;

// Security: `data` is for codes and counts; a cap keeps request bodies and clinical text out by design.
const MAX_DATA_BYTES = 2048;
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class AuditEntryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuditEntryError';
  }
}

function uuidOrUndefined(field: string, v: string | undefined): string | null {
  if (v === undefined) return null;
  if (!UUID_RE.test(v)) throw new AuditEntryError(`audit ${field} must be a uuid`);
  return v.toLowerCase();
}

/** The columns an append supplies, in the order of `AuditRowValues`: position and seal first. */
const INSERT_COLUMNS = [
  'chain', 'seq', 'prev_hash', 'hash', 'key_version',
  'id', 'recorded_at', 'action', 'outcome', 'actor_type', 'actor_id', 'actor_role', 'on_behalf_of', 'patient_id', 'facility_id',
  'subject_type', 'subject_id', 'reason', 'request_id', 'ip', 'user_agent', 'data', 'schema_version',
] as const;

/**
 * The append statement with positional parameters (untyped parameters take their column's type); the
 * booking statement embeds the same row (src/modules/requests/requests.repo.ts).
 */
export const AUDIT_INSERT_SQL = `INSERT INTO audit_event (${INSERT_COLUMNS.join(', ')}) VALUES (${INSERT_COLUMNS.map((_, i) => `$${i + 1}`).join(', ')})`;

/**
 * The instant as microseconds since the epoch (the database's precision) and as the ISO string that
 * stores exactly that instant, so the seal covers what the database keeps.
 */
function microInstant(clock: Clock): { micros: bigint; iso: string } {
  const micros = clock.now().epochNanoseconds / 1000n;
  const iso = `${new Date(Number(micros / 1000n)).toISOString().slice(0, 23)}${String(micros % 1000n).padStart(3, '0')}Z`;
  return { micros, iso };
}

/** An entry validated and rendered: the columns after the seal, and the same fields as the seal's text. */
interface RenderedRow {
  values: (string | number | null)[];
  /** `AUDIT_FIELD_ORDER` from id to schemaVersion (chain and seq are added at sealing) */
  text: (string | null)[];
}

/**
 * Validates an entry and renders its columns.
 * @throws AuditEntryError for an unknown action, data the catalogue does not allow, a malformed id or oversized data
 */
function renderRow(deps: { clock: Clock; ids: IdGen; events: AuditCatalogue }, ctx: RequestCtx, entry: AuditEntryBase & AnyAuditEvent): RenderedRow {
  // Fail loudly: an unknown action or a bad id must fail the business operation, not be dropped.
  const schema = Object.hasOwn(deps.events, entry.action) ? deps.events[entry.action] : undefined;
  if (!schema) throw new AuditEntryError(`unknown audit action ${entry.action}`);
  const shape = schema.safeParse(entry.data);
  if (!shape.success) throw new AuditEntryError(`audit data of ${entry.action} does not match the catalogue: ${shape.error.issues.map((i) => `${i.path.join('.') || 'data'} ${i.code}`).join(', ')}`);
  const data = entry.data === undefined ? null : JSON.stringify(entry.data);
  if (data !== null && Buffer.byteLength(data, 'utf8') > MAX_DATA_BYTES) throw new AuditEntryError('audit data is too large');
  // The json column would keep \u0000 (jsonb refused it); PostgreSQL text cannot hold NUL anyway.
  if (data !== null && data.includes('\\u0000')) throw new AuditEntryError('audit data must not contain NUL');
  const actor = ctx.actor;
  const id = deps.ids.uuid().toLowerCase();
  const at = microInstant(deps.clock);
  const cols: (string | null)[] = [
    entry.action,
    entry.outcome ?? 'success',
    actor.type,
    actor.type === 'anonymous' ? null : actor.id,
    actor.type === 'user' ? actor.role : null,
    uuidOrUndefined('onBehalfOf', entry.onBehalfOf),
    uuidOrUndefined('patientId', entry.patientId),
    uuidOrUndefined('facilityId', entry.facilityId),
    entry.subject?.type ?? null,
    entry.subject?.id ?? null,
    entry.reason ?? null,
    ctx.requestId,
    ctx.ip || null,
    ctx.userAgent ?? null,
    data,
  ];
  return {
    values: [id, at.iso, ...cols, AUDIT_SCHEMA_VERSION],
    text: [id, String(at.micros), ...cols, String(AUDIT_SCHEMA_VERSION)],
  };
}

/**
 * What a connection knows about the chain it appends to. `tail` is the chain's last event as this
 * connection last saw or wrote it; undefined means "read it again before the next append".
 */
interface Cursor {
  chain: number;
  tail: { seq: bigint; hash: Buffer } | undefined;
  /** The drizzle session (one per root transaction) and the handle of the last append. */
  session: unknown;
  handle: unknown;
  /** Appends on one connection run one after another (their seals depend on each other). */
  queue: Promise<unknown>;
}

// Keyed by pg client: a transaction, its savepoints and the chain lock all live on one connection.
const cursors = new WeakMap<object, Cursor>();
let claims = randomInt(0, 1 << 20);

interface DrizzleHandle {
  session?: { client?: unknown };
}

function clientOf(q: Queryable): { client: pg.PoolClient; session: unknown } | undefined {
  const session = (q as unknown as DrizzleHandle).session;
  const client = session?.client as (pg.PoolClient & { release?: unknown }) | undefined;
  // A transaction's session holds a checked-out client (it has release()); a Db's holds the pool.
  return client && typeof client.release === 'function' ? { client, session } : undefined;
}

// A transaction that rolled back took its appends with it: its connection re-reads the tail.
onTransactionRollback((tx) => {
  const held = clientOf(tx);
  const cursor = held && cursors.get(held.client);
  if (cursor && cursor.session === held.session) cursor.tail = undefined;
});

type Tail = { seq: bigint; hash: Buffer };
function tailOf(row: { last_seq: string; last_hash: Buffer } | undefined): Tail {
  if (!row) throw new Error('audit chain tail not found');
  return { seq: BigInt(row.last_seq), hash: Buffer.from(row.last_hash) };
}

async function claimChain(client: pg.ClientBase): Promise<Pick<Cursor, 'chain' | 'tail'>> {
  claims += 1;
  const { rows } = await client.query<{ chain_no: number; last_seq: string; last_hash: Buffer }>('SELECT chain_no, last_seq::text AS last_seq, last_hash FROM audit_claim_chain($1)', [claims]);
  const row = rows[0];
  return { chain: Number(row?.chain_no), tail: tailOf(row) };
}

async function readTail(client: pg.ClientBase, chain: number): Promise<Tail> {
  const { rows } = await client.query<{ last_seq: string; last_hash: Buffer }>('SELECT last_seq::text AS last_seq, last_hash FROM audit_chain_tail($1)', [chain]);
  return tailOf(rows[0]);
}

/**
 * The audit log on PostgreSQL/PGlite (docs/audit.md). The application seals every event with
 * HMAC-SHA-256 under the audit key, which the database never sees, over the event, its chain position
 * and its predecessor's seal; an append is one INSERT in the caller's transaction.
 *
 * Why this design (booking and audit benches: 32 writers, one round trip per append): a seal needs the
 * predecessor, and reading it first would cost a round trip per transaction. Instead each connection
 * claims a chain for its lifetime (session advisory lock, migrations/0018_audit_mac.sql) and remembers
 * its tail; concurrent writers use different connections, hence different chains, and never wait for
 * each other. The tail is read again only after a rollback (withTransaction reports it), around a
 * savepoint, or when the database's trigger refuses a stale position (40001; the transaction is retried).
 * @param deps - the database (for standalone denials), the clock (recorded_at), ids, the audit keys and
 *   the catalogue every entry is checked against (the application's by default; the chain's own tests
 *   use a loose one)
 * @returns the AuditLog
 */
export function createAuditLog<E extends AnyAuditEvent = AuditEventOf>(options: { db: Db; clock: Clock; ids: IdGen; keys: AuditKeys; events?: AuditCatalogue }): AuditLog<E> {
  const deps = { ...options, events: options.events ?? auditEventData };
  async function sealAndRun<T>(
    client: pg.PoolClient,
    session: unknown,
    handle: unknown,
    row: RenderedRow,
    run: (values: AuditRowValues) => Promise<{ inserted: boolean; result: T }>,
  ): Promise<T> {
    const key = await deps.keys.sealingKey();
    let c = cursors.get(client);
    if (!c) {
      c = { chain: -1, tail: undefined, session: undefined, handle: undefined, queue: Promise.resolve() };
      cursors.set(client, c);
    }
    const step = c.queue.then(async () => {
      if (c.chain < 0) Object.assign(c, await claimChain(client));
      const stale =
        !c.tail ||
        // Inside one transaction, a savepoint may have rolled back earlier appends.
        (session !== undefined && c.session === session && c.handle !== handle);
      const tail = stale ? await readTail(client, c.chain) : (c.tail as Tail);
      const seq = tail.seq + 1n;
      const [id, ...rest] = row.text;
      const seal = sealOfFields(key.key, tail.hash, [String(c.chain), String(seq), id ?? null, ...rest, String(key.version)]);
      try {
        const out = await run([c.chain, String(seq), tail.hash, seal, key.version, ...row.values]);
        c.tail = out.inserted ? { seq, hash: seal } : tail;
        c.session = session;
        c.handle = handle;
        return out.result;
      } catch (err) {
        c.tail = undefined;
        throw err;
      }
    });
    c.queue = step.catch(() => undefined);
    return step;
  }

  async function append(q: Queryable, ctx: RequestCtx, entry: AuditEntryBase & E): Promise<void> {
    const held = clientOf(q);
    if (!held) {
      await withTransaction(q as Db, (tx) => append(tx, ctx, entry));
      return;
    }
    const row = renderRow(deps, ctx, entry);
    await sealAndRun(held.client, held.session, q, row, async (values) => {
      // Performance: a named statement is parsed once per connection.
      const res = await held.client.query({ name: 'audit_event_append_v2', text: AUDIT_INSERT_SQL, values });
      return { inserted: res.rowCount === 1, result: undefined };
    });
  }

  return {
    record: append,
    async recordStandalone(ctx, entry) {
      await withTransaction(deps.db, (tx) => append(tx, ctx, entry));
    },
    appendWith(client, ctx, entry, run) {
      return sealAndRun(client, undefined, undefined, renderRow(deps, ctx, entry), run);
    },
  };
}
