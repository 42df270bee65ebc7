import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import type { Clock } from '../../platform/clock.js';
import type { IdGen } from '../../platform/ids.js';
import { withTransaction, type Db, type Queryable } from '../../platform/db/index.js';
import type { AuditLog } from '../../platform/audit/audit-log.js';
import { systemCtx, type RequestCtx } from '../../platform/auth/request-context.js';
import type { Outbox, OutboxMessage } from '../../platform/outbox/outbox.js';
import { createDailyJob } from '../../platform/daily-job.js';
import type { NhisRegistration } from '../../contracts/registry.js';
import { NotFoundError } from '../../platform/errors/app-error.js';
import { assertManages } from './registry-access.js';
import { NhisDirectoryError, type NhisDirectory, type NhisDirectoryEntry } from './nhis-directory.js';
import * as repo from './nhis-registration.repo.js';

/** The outbox message that brings one facility's NHIS entry in line with what it publishes. */
export const NHIS_FACILITY_SYNC = 'registry.nhis_sync';
/** The daily reconciliation's job name (catches changes that queued nothing, e.g. a schedule ending). */
export const NHIS_FACILITY_RECONCILE_JOB = 'registry.nhis_reconcile';

export interface NhisRegistrationDeps {
  db: Db;
  clock: Clock;
  ids: IdGen;
  audit: AuditLog;
  outbox: Outbox;
  directory: NhisDirectory;
  log: Logger;
  zone: string;
}

/**
 * Art. 24 (R-TM-34): the NHIS keeps a database of the facilities that provide care at a distance. Every
 * change to what a facility publishes (its data, services, specialists, weekly hours) queues a sync in the
 * change's own transaction; the sync sends the facility's whole entry when it differs from what the NHIS
 * last acknowledged, and takes it out when the facility is suspended or publishes nothing. A daily run
 * reconciles every facility, for what changes with the date alone (a schedule that ends).
 * @param deps - database, clock, ids, audit, outbox, the NHIS directory port, log and the zone
 * @returns the use cases, the outbox handler and the daily job
 */
export function createNhisRegistration(deps: NhisRegistrationDeps) {
  const today = () => deps.clock.now().toZonedDateTimeISO(deps.zone).toPlainDate().toString();

  async function entryOf(q: Queryable, facilityId: string): Promise<{ entry: NhisDirectoryEntry | undefined; number: string } | undefined> {
    const src = await repo.loadEntrySource(q, facilityId, today());
    if (!src) return undefined;
    const { status, ...facility } = src.facility;
    const services = src.services
      .map((s) => ({ ...s, hours: src.hours.filter((h) => h.serviceId === s.id).map(({ uin, weekday, start, end }) => ({ uin, weekday, start, end })) }))
      // A published service no specialist is scheduled for cannot be booked: the NHIS is not told of it.
      .filter((s) => s.hours.length > 0);
    const publishes = status === 'active' && services.length > 0;
    return { number: facility.number, entry: publishes ? { facility, services, practitioners: src.practitioners } : undefined };
  }

  const sha256 = (entry: NhisDirectoryEntry) => createHash('sha256').update(JSON.stringify(entry)).digest('hex');

  /**
   * Brings one facility's entry in line. Idempotent: an entry the NHIS already holds is not sent again.
   * @returns what was done
   * @throws {NhisDirectoryError} `unavailable`, so the outbox retries
   */
  async function sync(facilityId: string): Promise<'registered' | 'deregistered' | 'unchanged' | 'refused'> {
    const ctx = systemCtx(NHIS_FACILITY_SYNC);
    const current = await entryOf(deps.db, facilityId);
    if (!current) return 'unchanged';
    const before = await repo.findRegistration(deps.db, facilityId);
    const at = deps.clock.now().toString();
    const save = (row: Parameters<typeof repo.saveRegistration>[1], audit?: Parameters<AuditLog['record']>[2]) =>
      withTransaction(deps.db, async (tx) => {
        await repo.saveRegistration(tx, row);
        if (audit) await deps.audit.record(tx, ctx, audit);
      });
    try {
      if (!current.entry) {
        if (!before || before.status === 'deregistered') return 'unchanged';
        if (before.reference) await deps.directory.deregister(current.number);
        await save(
          { facilityId, status: 'deregistered', at, lastError: null, acknowledged: { entrySha256: null, reference: null, services: 0, practitioners: 0 } },
          { action: 'facility.nhis_deregistered', facilityId, subject: { type: 'facility', id: facilityId } },
        );
        return 'deregistered';
      }
      const hash = sha256(current.entry);
      if (before?.status === 'registered' && before.entrySha256 === hash) return 'unchanged';
      const receipt = await deps.directory.register(current.entry);
      const counts = { services: current.entry.services.length, practitioners: current.entry.practitioners.length };
      await save(
        { facilityId, status: 'registered', at, lastError: null, acknowledged: { entrySha256: hash, reference: receipt.reference, ...counts } },
        { action: 'facility.nhis_registered', facilityId, subject: { type: 'facility', id: facilityId }, data: counts },
      );
      return 'registered';
    } catch (err) {
      if (!(err instanceof NhisDirectoryError)) throw err;
      if (err.kind === 'refused') {
        // The entry itself is wrong: retrying the same entry cannot help; the next change queues a new sync.
        await save({ facilityId, status: 'refused', at, lastError: err.reason }, { action: 'facility.nhis_registration_refused', facilityId, subject: { type: 'facility', id: facilityId }, data: { reason: err.reason } });
        return 'refused';
      }
      await save({ facilityId, status: 'failed', at, lastError: 'nhis_unavailable' });
      throw err;
    }
  }

  const reconcile = createDailyJob(
    { db: deps.db, clock: deps.clock, ids: deps.ids, log: deps.log, zone: deps.zone },
    {
      job: NHIS_FACILITY_RECONCILE_JOB,
      run: async () => {
        const counts = { registered: 0, deregistered: 0, unchanged: 0, refused: 0, failed: 0 };
        for (const id of await repo.facilitiesToReconcile(deps.db)) {
          try {
            counts[await sync(id)] += 1;
          } catch (err) {
            if (!(err instanceof NhisDirectoryError)) throw err;
            counts.failed += 1;
          }
        }
        if (counts.failed > 0) throw new Error(`${counts.failed} facility entries could not reach the NHIS`);
        return counts;
      },
      done: 'NHIS facility entries reconciled',
      failure: 'NHIS facility reconciliation failed',
    },
  );

  return {
    /**
     * Queues a sync of the facility in the caller's transaction (a registry or schedule change); a sync
     * already waiting covers this change too, since it reads the facility when it runs.
     * @param q - the change's transaction
     * @param facilityId - the facility whose public data changed
     */
    async queueSync(q: Queryable, facilityId: string): Promise<void> {
      if (await repo.syncQueued(q, NHIS_FACILITY_SYNC, facilityId)) return;
      await deps.outbox.enqueue(q, NHIS_FACILITY_SYNC, { facilityId });
    },

    /** The outbox handler of `registry.nhis_sync`. */
    async handleSync(msg: OutboxMessage): Promise<void> {
      const { facilityId } = msg.payload as { facilityId: string };
      await sync(facilityId);
    },

    sync,
    reconcile,

    /**
     * The facility's NHIS registration as its administrators see it.
     * @param ctx - an administrator or coordinator of the facility
     * @param facilityId - facility id
     * @returns the state, and whether the NHIS holds what the facility publishes today
     */
    async getRegistration(ctx: RequestCtx, facilityId: string): Promise<NhisRegistration> {
      await assertManages(deps.db, ctx, facilityId);
      const current = await entryOf(deps.db, facilityId);
      if (!current) throw new NotFoundError('facility', facilityId);
      const row = await repo.findRegistration(deps.db, facilityId);
      const upToDate = current.entry ? row?.status === 'registered' && row.entrySha256 === sha256(current.entry) : !row || row.status === 'deregistered';
      return {
        status: row?.status ?? (current.entry ? 'pending' : 'not_registered'),
        upToDate,
        reference: row?.reference ?? null,
        acknowledgedAt: row?.acknowledgedAt ?? null,
        lastAttemptAt: row?.lastAttemptAt ?? null,
        lastError: row?.lastError ?? null,
        services: row?.services ?? 0,
        practitioners: row?.practitioners ?? 0,
      };
    },

    /**
     * "Изпрати сега": an administrator asks for the sync at once (after the NHIS was down, or a refusal
     * was fixed). Audited; the sync itself runs in the outbox.
     * @param ctx - an administrator or coordinator of the facility
     * @param facilityId - facility id
     */
    async requestSync(ctx: RequestCtx, facilityId: string): Promise<void> {
      await assertManages(deps.db, ctx, facilityId);
      await withTransaction(deps.db, async (tx) => {
        await deps.outbox.enqueue(tx, NHIS_FACILITY_SYNC, { facilityId });
        await deps.audit.record(tx, ctx, { action: 'facility.nhis_sync_requested', facilityId, subject: { type: 'facility', id: facilityId } });
      });
    },
  };
}
export type NhisRegistrationService = ReturnType<typeof createNhisRegistration>;
