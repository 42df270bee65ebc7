import { fromDate, toDate, type Clock } from '../../platform/clock.js';
import type { IdGen } from '../../platform/ids.js';
import { withTransaction, type Db, type Queryable } from '../../platform/db/index.js';
import type { Keyring } from '../../platform/crypto/keyring.js';
import type { AuditLog } from '../../platform/audit/audit-log.js';
import type { RequestCtx } from '../../platform/auth/request-context.js';
import { AppError } from '../../platform/errors/app-error.js';
import type { InsuranceCheck } from '../../contracts/insurance.js';
import type { AccessPolicy } from '../access/index.js';
import type { PatientsService } from '../patients/index.js';
import type { InsuranceRegistry, InsuranceRegistryAnswer } from './insurance-registry.js';
import { cacheDay, nhifPays, normaliseAnswer } from './insurance-rules.js';
import { findCheck, insertCheck } from './insurance.repo.js';

export interface InsuranceDeps {
  db: Db;
  clock: Clock;
  ids: IdGen;
  keyring: Keyring;
  audit: AuditLog;
  policy: AccessPolicy;
  patients: Pick<PatientsService, 'readPatientIn'>;
  registry: InsuranceRegistry;
  zone: string;
  /** How long one round trip may take before it counts as an outage. */
  timeoutMs: number;
}

const answerContext = (id: string) => `insurance_status_check:${id}`;

/** The cached status check; `authorise` decides who may ask and gives the audit reason, `identify` the identifier. */
function createStatusCheck(deps: InsuranceDeps) {
  const inFlight = new Map<string, Promise<InsuranceRegistryAnswer>>();

  async function ask(identifierKind: 'egn' | 'lnch', identifier: string, on: string, day: string): Promise<InsuranceRegistryAnswer> {
    const key = `${identifierKind}:${identifier}:${on}:${day}`;
    const running = inFlight.get(key);
    if (running) return running;
    const call = (async () => {
      let timer: NodeJS.Timeout | undefined;
      try {
        const timeout = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error('insurance registry timeout')), deps.timeoutMs);
        });
        return normaliseAnswer(await Promise.race([deps.registry.checkStatus({ identifierKind, identifier, on }), timeout]));
      } finally {
        clearTimeout(timer);
      }
    })();
    inFlight.set(key, call);
    try {
      return await call;
    } finally {
      inFlight.delete(key);
    }
  }

  function toCheck(patientId: string, on: string, a: InsuranceRegistryAnswer, checkedAt: Date, source: InsuranceCheck['source']): InsuranceCheck {
    return {
      patientId,
      on,
      status: a.status,
      missingMonths: a.status === 'interrupted' ? a.missingMonths : [],
      nhifPays: nhifPays(a.status),
      checkedAt: fromDate(checkedAt).toString(),
      source,
    };
  }

  async function fromCache(q: Queryable, ctx: RequestCtx, patientId: string, on: string, day: string): Promise<InsuranceCheck | undefined> {
    const row = await findCheck(q, patientId, on, day);
    if (!row) return undefined;
    const answer = await deps.keyring.decryptJson<InsuranceRegistryAnswer>(ctx, q, 'registry', row.answerEnc, answerContext(row.id));
    return toCheck(patientId, on, answer, row.checkedAt, 'cache');
  }

  async function audited(q: Queryable, ctx: RequestCtx, patientId: string, check: InsuranceCheck, authorise: Authorise): Promise<InsuranceCheck> {
    const access = await authorise(q);
    await deps.audit.record(q, ctx, {
      action: 'insurance.checked',
      patientId,
      subject: { type: 'patient', id: patientId },
      reason: access.reason,
      ...(access.facilityId ? { facilityId: access.facilityId } : {}),
      ...(access.onBehalfOf ? { onBehalfOf: access.onBehalfOf } : {}),
      data: { on: check.on, source: check.source },
    });
    return check;
  }

  return async function run(ctx: RequestCtx, patientId: string, onDate: string | undefined, authorise: Authorise, identify: (q: Queryable) => Promise<{ identifierKind: string; identifier: string }>): Promise<InsuranceCheck> {
    const now = deps.clock.now();
    const day = cacheDay(now, deps.zone);
    const on = onDate ?? day;
    return deps.policy.guard(ctx, async () => {
      const first = await withTransaction(deps.db, async (tx): Promise<{ cached: InsuranceCheck } | { identifierKind: string; identifier: string }> => {
        await authorise(tx);
        const cached = await fromCache(tx, ctx, patientId, on, day);
        if (cached) return { cached: await audited(tx, ctx, patientId, cached, authorise) };
        return identify(tx);
      });
      if ('cached' in first) return first.cached;
      const { identifierKind, identifier } = first;
      if (identifierKind !== 'egn' && identifierKind !== 'lnch') {
        throw new AppError('insurance.identifier_not_supported', { detail: 'The registry answers for an EGN or LNCh only' });
      }
      let answer: InsuranceRegistryAnswer;
      try {
        answer = await ask(identifierKind, identifier, on, day);
      } catch (err) {
        await deps.audit.recordStandalone(ctx, { action: 'insurance.check_failed', outcome: 'failure', patientId, subject: { type: 'patient', id: patientId }, data: { on } });
        throw new AppError('insurance.registry_unavailable', { detail: 'The insurance registry did not answer; try again later', cause: err });
      }
      return withTransaction(deps.db, async (tx) => {
        const id = deps.ids.uuid();
        const checkedAt = toDate(deps.clock.now());
        const answerEnc = await deps.keyring.encryptJson(tx, 'registry', answer, answerContext(id));
        if (!(await insertCheck(tx, { id, patientId, on, checkedOn: day, answerEnc, checkedAt }))) {
          // Another process stored today's answer first: that one is the day's answer.
          const cached = await fromCache(tx, ctx, patientId, on, day);
          if (cached) return audited(tx, ctx, patientId, cached, authorise);
        }
        return audited(tx, ctx, patientId, toCheck(patientId, on, answer, checkedAt, 'registry'), authorise);
      });
    });
  };
}

type Authorise = (q: Queryable) => Promise<{ reason: string; facilityId?: string; onBehalfOf?: string }>;

/**
 * `GET /patients/:id/insurance?on=`: the patient's insurance status on a date, from today's cached answer
 * or one round trip to the registry (at most one per person, date and day: the cache's unique key, and
 * concurrent misses in this process share one call). Access-checked and audited (`insurance.checked`).
 * Concurrency: the round trip runs between two short transactions, never inside one (PGlite has one
 * connection, and a slow registry must not hold a transaction open).
 * @param deps - database, clock, keyring, audit, access policy, patient registry and the port
 * @returns the use case
 */
export function checkInsuranceStatusUseCase(deps: InsuranceDeps) {
  const run = createStatusCheck(deps);
  return async function checkInsuranceStatus(ctx: RequestCtx, patientId: string, onDate?: string): Promise<InsuranceCheck> {
    return run(ctx, patientId, onDate, (q) => deps.policy.assertCanReadPatient(ctx, q, patientId, 'demographics'), async (q) => {
      // The identifier is needed only for a round trip; reading it is itself audited (`patient.read`).
      const p = await deps.patients.readPatientIn(q, ctx, patientId);
      return { identifierKind: p.identifierKind, identifier: p.identifier };
    });
  };
}

/**
 * Today's insurance status of a patient whose identity documents are presented at a GP practice's desk
 * (W8-W10: the practice checks the rights before it lists the patient, as GP software asks the NRA with
 * the EGN). The caller has matched the documents to the record and checked that the actor works at the
 * practice; the check is audited (`insurance.checked`, reason `documents_presented`) like any other.
 * @param deps - as `checkInsuranceStatusUseCase`
 * @returns the use case
 */
export function checkPresentedInsuranceUseCase(deps: InsuranceDeps) {
  const run = createStatusCheck(deps);
  return async function checkPresentedInsurance(ctx: RequestCtx, presented: { patientId: string; facilityId: string; identifierKind: string; identifier: string }): Promise<InsuranceCheck> {
    const authorise: Authorise = async () => ({ reason: 'documents_presented', facilityId: presented.facilityId });
    return run(ctx, presented.patientId, undefined, authorise, async () => ({ identifierKind: presented.identifierKind, identifier: presented.identifier }));
  };
}
