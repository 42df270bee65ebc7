import { sql } from 'drizzle-orm';
import type { Clock } from '../clock.js';
import type { IdGen } from '../ids.js';
import { withTransaction, type Db, type Queryable } from '../db/index.js';
import type { RequestCtx } from '../auth/request-context.js';
import { auditActions, type AuditAction } from './audit-events.js';

/** One audit entry. Never clinical content, never names: ids, codes and field names only (STYLE C13). */
export interface AuditEntry {
  action: AuditAction;
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
  /** Small, non-personal details: field names changed, codes, counts. */
  data?: Record<string, unknown>;
}

export interface AuditLog {
  /**
   * Appends an event in the caller's transaction; if it fails, the business operation fails.
   * @param q - the transaction of the audited change
   * @param ctx - actor, request id, IP
   * @param entry - what happened
   */
  record(q: Queryable, ctx: RequestCtx, entry: AuditEntry): Promise<void>;
  /** Appends a denial or failure in its own short transaction (the main one has rolled back). */
  recordStandalone(ctx: RequestCtx, entry: AuditEntry): Promise<void>;
}

/** Schema version of the persisted row and of the canonical hash encoding (migrations/0004_audit.sql). */
export const AUDIT_SCHEMA_VERSION = 1;

// Security: `data` is for codes and counts; a cap keeps request bodies and clinical text out by design.
const MAX_DATA_BYTES = 2048;
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const knownActions: ReadonlySet<string> = new Set(auditActions);

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

/** The columns an append supplies, in the order of `auditInsertValues`; the trigger fills chain, seq and hashes. */
const INSERT_COLUMNS = [
  'id', 'recorded_at', 'action', 'outcome', 'actor_type', 'actor_id', 'actor_role', 'on_behalf_of', 'patient_id', 'facility_id',
  'subject_type', 'subject_id', 'reason', 'request_id', 'ip', 'user_agent', 'data', 'schema_version',
] as const;

/**
 * The append statement with positional parameters (untyped parameters take their column's type), for
 * clients that prepare it by name: the audit bench's pipelined writers (bench/audit-append.ts).
 */
export const AUDIT_INSERT_SQL = `INSERT INTO audit_event (${INSERT_COLUMNS.join(', ')}) VALUES (${INSERT_COLUMNS.map((_, i) => `$${i + 1}`).join(', ')})`;

/**
 * Validates an entry and renders the parameters of `AUDIT_INSERT_SQL`.
 * @param deps - the clock (recorded_at) and ids (the event id)
 * @param ctx - actor, request id, IP
 * @param entry - what happened
 * @returns the parameters, in column order
 * @throws AuditEntryError for an unknown action, a malformed id or oversized data
 */
export function auditInsertValues(deps: { clock: Clock; ids: IdGen }, ctx: RequestCtx, entry: AuditEntry): (string | number | null)[] {
  // Fail loudly: an unknown action or a bad id must fail the business operation, not be dropped.
  if (!knownActions.has(entry.action)) throw new AuditEntryError(`unknown audit action ${entry.action}`);
  const data = entry.data === undefined ? null : JSON.stringify(entry.data);
  if (data !== null && Buffer.byteLength(data, 'utf8') > MAX_DATA_BYTES) throw new AuditEntryError('audit data is too large');
  const actor = ctx.actor;
  return [
    deps.ids.uuid(),
    deps.clock.now().toString(),
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
    AUDIT_SCHEMA_VERSION,
  ];
}

/**
 * The audit log on PostgreSQL/PGlite. An append is one INSERT in the caller's transaction; the
 * database's BEFORE INSERT trigger chains it (chain, seq, prev_hash, hash), so every path that inserts
 * an event chains it and a committed event is sealed at once (migrations/0004_audit.sql).
 *
 * Why this design (targets: 10,000 events/s with 32 writers, 1,000,000 verified in under 10 s): the
 * trigger writes nothing but the event row. Its chain is held by an in-memory advisory lock (no head
 * row to lock and update: that cost two tuple writes per event on 64 hot rows), the predecessor comes
 * from the primary key, and a writer takes the first free chain, so concurrent transactions do not wait
 * for each other's commits. Hashing stays synchronous (a few µs per event): a deferred sealer would be
 * cheaper per insert but leaves freshly committed rows unsealed, open to undetected edits.
 * @param deps - the database (for standalone denials), the clock (recorded_at) and ids
 * @returns the AuditLog
 */
export function createAuditLog(deps: { db: Db; clock: Clock; ids: IdGen }): AuditLog {
  async function append(q: Queryable, ctx: RequestCtx, entry: AuditEntry): Promise<void> {
    const values = auditInsertValues(deps, ctx, entry);
    await q.execute(sql`INSERT INTO audit_event (${sql.raw(INSERT_COLUMNS.join(', '))}) VALUES (${sql.join(
      values.map((v) => sql`${v}`),
      sql`, `,
    )})`);
  }
  return {
    record: append,
    async recordStandalone(ctx, entry) {
      await withTransaction(deps.db, (tx) => append(tx, ctx, entry));
    },
  };
}
