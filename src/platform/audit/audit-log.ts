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

/**
 * The audit log on PostgreSQL/PGlite. Chaining (seq, prev_hash, hash) is done by the database's
 * BEFORE INSERT trigger, so every path that inserts an event chains it (migrations/0004_audit.sql).
 * @param deps - the database (for standalone denials), the clock (recorded_at) and ids
 * @returns the AuditLog
 */
export function createAuditLog(deps: { db: Db; clock: Clock; ids: IdGen }): AuditLog {
  async function append(q: Queryable, ctx: RequestCtx, entry: AuditEntry): Promise<void> {
    // Fail loudly: an unknown action or a bad id must fail the business operation, not be dropped.
    if (!knownActions.has(entry.action)) throw new AuditEntryError(`unknown audit action ${entry.action}`);
    const data = entry.data === undefined ? null : JSON.stringify(entry.data);
    if (data !== null && Buffer.byteLength(data, 'utf8') > MAX_DATA_BYTES) throw new AuditEntryError('audit data is too large');
    const actor = ctx.actor;
    const actorId = actor.type === 'anonymous' ? null : actor.id;
    const actorRole = actor.type === 'user' ? actor.role : null;
    await q.execute(sql`INSERT INTO audit_event (id, recorded_at, action, outcome, actor_type, actor_id, actor_role, on_behalf_of,
      patient_id, facility_id, subject_type, subject_id, reason, request_id, ip, user_agent, data, schema_version)
      VALUES (${deps.ids.uuid()}, ${deps.clock.now().toString()}::timestamptz, ${entry.action}, ${entry.outcome ?? 'success'},
      ${actor.type}, ${actorId}, ${actorRole}, ${uuidOrUndefined('onBehalfOf', entry.onBehalfOf)},
      ${uuidOrUndefined('patientId', entry.patientId)}, ${uuidOrUndefined('facilityId', entry.facilityId)},
      ${entry.subject?.type ?? null}, ${entry.subject?.id ?? null}, ${entry.reason ?? null}, ${ctx.requestId},
      ${ctx.ip || null}, ${ctx.userAgent ?? null}, ${data}::jsonb, ${AUDIT_SCHEMA_VERSION})`);
  }
  return {
    record: append,
    async recordStandalone(ctx, entry) {
      await withTransaction(deps.db, (tx) => append(tx, ctx, entry));
    },
  };
}
