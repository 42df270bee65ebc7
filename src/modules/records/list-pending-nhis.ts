import type { Clock } from '../../platform/clock.js';
import { withTransaction, type Db } from '../../platform/db/index.js';
import type { RequestCtx } from '../../platform/auth/request-context.js';
import { AppError, ForbiddenError } from '../../platform/errors/app-error.js';
import type { PendingNhisSubmission } from '../../contracts/records.js';
import * as repo from './records.repo.js';

/**
 * What is waiting for the NHIS and why (docs/nhis.md#offline; Art. 17(1): the deadline counts the NHIS
 * acknowledgement): a specialist sees the records of their own services, facility administrators and
 * coordinators those of their facilities. Identifiers, statuses and error codes only, no clinical content.
 * @param deps - database and clock
 * @param ctx - the caller
 * @returns the submissions not acknowledged, oldest first
 * @throws {ForbiddenError} for anyone else
 */
export async function listPendingNhis(deps: { db: Db; clock: Clock }, ctx: RequestCtx): Promise<{ now: string; items: PendingNhisSubmission[] }> {
  const actor = ctx.actor;
  if (actor.type === 'anonymous') throw new AppError('auth.unauthenticated');
  if (actor.type !== 'user') throw new ForbiddenError();
  const now = deps.clock.now();
  const rows = await withTransaction(deps.db, async (tx) => {
    if (actor.role === 'specialist') {
      const practitionerId = await repo.practitionerOfAccount(tx, actor.id);
      if (!practitionerId) throw new ForbiddenError('The list belongs to specialists and facility staff');
      return repo.listPendingSubmissions(tx, { practitionerId });
    }
    if (actor.role === 'facility_admin' || actor.role === 'coordinator') return repo.listPendingSubmissions(tx, { facilityIds: actor.facilityIds });
    throw new ForbiddenError('The list belongs to specialists and facility staff');
  });
  return {
    now: now.toString(),
    items: rows.map((r) => ({
      submissionId: r.id,
      requestId: r.request_id,
      documentId: r.document_id,
      facilityId: r.facility_id,
      operation: r.operation,
      status: r.status,
      attempts: r.attempts,
      lastError: r.last_error,
      lastAttemptAt: r.last_at ? r.last_at.toISOString() : null,
      lastMessageType: r.last_type,
      // Mirrors nhis-submission.service.ts: a first revision without an NRN that already failed goes as X013.
      offline: r.operation === 'open_close' && r.status === 'pending' && r.attempts > 0,
      queuedAt: r.created_at.toISOString(),
      dueAt: r.due_at ? r.due_at.toISOString() : null,
    })),
  };
}
