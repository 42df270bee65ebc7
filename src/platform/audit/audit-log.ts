import type { Queryable } from '../db/index.js';
import type { RequestCtx } from '../auth/request-context.js';
import type { AuditAction } from './audit-events.js';

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
