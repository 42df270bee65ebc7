import { Temporal, toDate } from '../../platform/clock.js';
import { withTransaction, type Queryable } from '../../platform/db/index.js';
import type { RequestCtx } from '../../platform/auth/request-context.js';
import { facilityScope } from '../../platform/crypto/keyring.js';
import { AppError, ForbiddenError } from '../../platform/errors/app-error.js';
import type { NationalExamination, NationalPrescription, NationalRecord, NationalReferral } from '../../contracts/records.js';
import { AccessDeniedError, type AccessGranted } from '../access/index.js';
import { readTreatmentConsentIn } from '../consent/index.js';
import { readConsultationFactsByIdIn } from '../consultation/index.js';
import { NhisRejectedError, NhisUnavailableError, type FetchedExamination, type FetchedPrescription, type FetchedReferral, type NhisClient, type NhisDocumentsClient } from '../nhis/index.js';
import * as repo from './records.repo.js';
import type { RecordsDeps } from './records.deps.js';

/** How far back "recent" reaches: two years, the span of a dispensary follow-up cycle and of most referrals' relevance. */
export const NATIONAL_RECORD_YEARS = 2;

/** The NHIS reads the panel needs (X005, R015, P017 by patient). */
export interface NationalRecordReader {
  examinations: Pick<NhisClient, 'fetchExaminations'>;
  documents: Pick<NhisDocumentsClient, 'fetchReferrals' | 'fetchPrescriptions'>;
}

/**
 * What is kept, encrypted, per consultation: the NHIS's answers as parsed, names resolved when shown.
 * Persisted JSON: a change of shape needs a new `v` and a reader for the old one.
 */
interface KeptRecord {
  v: 1;
  examinations: FetchedExamination[];
  referrals: FetchedReferral[];
  prescriptions: FetchedPrescription[];
}

const keptContext = (consultationId: string) => `national_record:${consultationId}:content`;
const counts = (k: KeptRecord) => ({ examinations: k.examinations.length, referrals: k.referrals.length, prescriptions: k.prescriptions.length });
const unique = (xs: (string | null | undefined)[]) => [...new Set(xs.filter((x): x is string => typeof x === 'string' && x !== ''))];

/** Who may read the record into this consultation, decided in the caller's transaction. */
interface Allowed {
  consultationId: string;
  requestId: string;
  patientId: string;
  facilityId: string;
  practitionerId: string;
  accountId: string;
  consentId: string;
  granted: AccessGranted;
}

/**
 * The patient's national record (НЗИС) read into a consultation (Art. 13 of the ordinance, R-TM-29:
 * the providing specialist may access the patient's health record): recent examinations (X005), e-referrals
 * (R015) and e-prescriptions (P017), read-only, kept encrypted for the consultation so that opening it again
 * does not ask the NHIS again. Deny by default: only the consultation's own specialist, with the access
 * policy's care relationship and the patient's written treatment consent in force (Art. 10-11; the
 * consent form says the data goes to and from the national record). Every fetch and every read is audited;
 * refusals too. An NHIS that cannot be reached is an answer (`unavailable`), never an error that would stop
 * the consultation. Docs: docs/records.md#the-national-record.
 * @param deps - the records dependencies with the NHIS reader
 * @returns the read and fetch use cases
 */
export function createNationalRecord(deps: RecordsDeps) {
  const { db, clock, audit, keyring, policy, patients, nationalRecord: nhis } = deps;

  async function authorise(tx: Queryable, ctx: RequestCtx, consultationId: string): Promise<Allowed> {
    const actor = ctx.actor;
    if (actor.type === 'anonymous') throw new AppError('auth.unauthenticated');
    const facts = await readConsultationFactsByIdIn(tx, consultationId);
    const practitionerId = actor.type === 'user' && actor.role === 'specialist' ? await repo.practitionerOfAccount(tx, actor.id) : undefined;
    // Security: one refusal whether the consultation does not exist or is another specialist's (no oracle).
    if (actor.type !== 'user' || !facts || !facts.patientId || !practitionerId || facts.practitionerId !== practitionerId) {
      throw new ForbiddenError('Only the consultation’s specialist reads the national record into it');
    }
    const granted = await policy.assertCanReadPatient(ctx, tx, facts.patientId, 'clinical');
    const consent = await readTreatmentConsentIn(tx, facts.requestId);
    if (!consent) throw new AppError('consent.missing', { detail: 'The national record is read with the patient’s written consent in force' });
    return { consultationId, requestId: facts.requestId, patientId: facts.patientId, facilityId: facts.facilityId, practitionerId, accountId: actor.id, consentId: consent.id, granted };
  }

  /** Records a refusal after the transaction rolled back (STYLE C13), then rethrows; the policy's own refusals go through `policy.guard`. */
  async function refusing<T>(ctx: RequestCtx, action: 'national_record.fetched' | 'national_record.read', consultationId: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      const code = err instanceof AppError && !(err instanceof AccessDeniedError) && (err.code === 'auth.forbidden' || err.code === 'consent.missing') ? err.code : undefined;
      if (code) await audit.recordStandalone(ctx, { action, outcome: 'denied', subject: { type: 'consultation', id: consultationId }, data: { code } });
      throw err;
    }
  }

  const base = (a: Allowed) => ({ patientId: a.patientId, facilityId: a.facilityId, subject: { type: 'consultation', id: a.consultationId }, reason: a.granted.reason, ...(a.granted.onBehalfOf ? { onBehalfOf: a.granted.onBehalfOf } : {}) });

  /** The kept copy, decrypted, audited as read, with names. */
  async function showKept(ctx: RequestCtx, tx: Queryable, a: Allowed, row: repo.NationalRecordRow, action: 'national_record.read' | 'national_record.fetched'): Promise<NationalRecord> {
    const kept = await keyring.decryptJson<KeptRecord>(ctx, tx, facilityScope(row.facility_id), Buffer.from(row.content_enc), keptContext(a.consultationId));
    await audit.record(tx, ctx, { action, ...base(a), data: counts(kept) });
    return view(tx, kept, row, action === 'national_record.read');
  }

  /** Time zone: the facility's (dates of the period and of naive NHIS times are its local dates). */
  async function zoneOf(tx: Queryable, facilityId: string): Promise<string> {
    return (await repo.facilityTimeZoneOf(tx, facilityId)) ?? 'Europe/Sofia';
  }

  /** Names for codes, newest first: what the panel shows (no internal codes, docs/design.md). */
  async function view(tx: Queryable, kept: KeptRecord, row: repo.NationalRecordRow, fromCache: boolean): Promise<NationalRecord> {
    const zone = await zoneOf(tx, row.facility_id);
    const names = await repo.namesForNationalRecord(tx, {
      specialties: unique([...kept.examinations.map((e) => e.qualification), ...kept.referrals.flatMap((r) => [r.requesterQualification, r.consultedQualification]), ...kept.prescriptions.map((p) => p.requesterQualification)]),
      icd10: unique([...kept.examinations.flatMap((e) => e.diagnoses.map((d) => d.code)), ...kept.referrals.map((r) => r.diagnosisCode), ...kept.prescriptions.map((p) => p.diagnosisCode)]),
      uins: unique([...kept.examinations.map((e) => e.performerUin), ...kept.referrals.map((r) => r.requesterUin), ...kept.prescriptions.map((p) => p.requesterUin)]),
    });
    const specialty = (code: string | undefined) => {
      const s = code ? names.specialties.find((x) => x.code === code) : undefined;
      return s ? { bg: s.name_bg, en: s.name_en } : null;
    };
    const diagnosis = (code: string) => {
      const d = names.icd10.find((x) => x.code === code);
      return { code, title: d ? { bg: d.title_bg, en: d.title_en } : null };
    };
    const doctor = (uin: string | undefined, qualification: string | undefined) => {
      const p = uin ? names.doctors.find((x) => x.uin === uin) : undefined;
      return { name: p ? `${p.given_name} ${p.family_name}` : null, uin: uin ?? null, specialty: specialty(qualification) };
    };
    const newestFirst = <T extends { date: string | null }>(xs: T[]) => xs.sort((x, y) => (y.date ?? '').localeCompare(x.date ?? ''));
    const examinations = newestFirst(
      kept.examinations.map((e): NationalExamination => ({ nrn: e.nrnExamination, date: recordDate(e.openDate ?? e.closeDate, zone), status: e.status, doctor: doctor(e.performerUin, e.qualification), diagnoses: e.diagnoses.map((d) => diagnosis(d.code)) })),
    );
    const referrals = newestFirst(
      kept.referrals.map((r): NationalReferral => ({ nrn: r.nrnReferral, date: recordDate(r.authoredOn, zone), status: r.status, form: r.form ?? null, consultedSpecialty: specialty(r.consultedQualification), doctor: doctor(r.requesterUin, r.requesterQualification), diagnoses: r.diagnosisCode ? [diagnosis(r.diagnosisCode)] : [] })),
    );
    const prescriptions = newestFirst(
      kept.prescriptions.map((p): NationalPrescription => ({ nrn: p.nrnPrescription, date: recordDate(p.authoredOn, zone), status: p.status, doctor: doctor(p.requesterUin, p.requesterQualification), diagnoses: p.diagnosisCode ? [diagnosis(p.diagnosisCode)] : [], medications: p.medications })),
    );
    return { status: 'ready', fetchedAt: row.fetched_at.toISOString(), fromDate: row.from_date, toDate: row.to_date, fromCache, examinations, referrals, prescriptions };
  }

  return {
    /**
     * The national record kept for the consultation, without asking the NHIS.
     * @param ctx - the consultation's specialist
     * @param consultationId - which consultation
     * @returns the kept record, or `not_fetched`
     * @throws {ForbiddenError} to anyone but the consultation's specialist (recorded)
     * @throws {AppError} `consent.missing` without the patient's written consent in force (recorded)
     */
    async getNationalRecord(ctx: RequestCtx, consultationId: string): Promise<NationalRecord> {
      return policy.guard(ctx, () =>
        refusing(ctx, 'national_record.read', consultationId, () =>
          withTransaction(db, async (tx) => {
            const a = await authorise(tx, ctx, consultationId);
            const row = await repo.findNationalRecord(tx, consultationId);
            return row ? showKept(ctx, tx, a, row, 'national_record.read') : { status: 'not_fetched' as const };
          }),
        ),
      );
    },

    /**
     * Asks the NHIS for the patient's recent record (X005, R015, P017 in parallel) and keeps it for the
     * consultation; when a copy is already kept, shows that copy and asks nothing.
     * @param ctx - the consultation's specialist
     * @param consultationId - which consultation
     * @returns the record, or `unavailable` / `refused` when the NHIS could not be reached or declined
     * @throws {ForbiddenError} to anyone but the consultation's specialist (recorded)
     * @throws {AppError} `consent.missing` without the patient's written consent in force (recorded)
     */
    async fetchNationalRecord(ctx: RequestCtx, consultationId: string): Promise<NationalRecord> {
      return policy.guard(ctx, () =>
        refusing(ctx, 'national_record.fetched', consultationId, async (): Promise<NationalRecord> => {
          const prep = await withTransaction(db, async (tx) => {
            const a = await authorise(tx, ctx, consultationId);
            const row = await repo.findNationalRecord(tx, consultationId);
            if (row) return { kind: 'kept' as const, shown: await showKept(ctx, tx, a, row, 'national_record.read') };
            // The identifier goes to the NHIS: the read of the patient's demographics is audited (patient.read).
            const patient = await patients.readForRequestIn(tx, ctx, a.patientId, { reason: a.granted.reason, facilityId: a.facilityId, ...(a.granted.onBehalfOf ? { onBehalfOf: a.granted.onBehalfOf } : {}) });
            const me = await repo.practitionerInfo(tx, a.practitionerId);
            if (!me) throw new ForbiddenError('The specialist is not in the registry');
            return { kind: 'ask' as const, a, patient, uin: me.uin.trim(), zone: await zoneOf(tx, a.facilityId) };
          });
          if (prep.kind === 'kept') return prep.shown;
          const { a, patient, uin, zone } = prep;
          const today = clock.now().toZonedDateTimeISO(zone).toPlainDate();
          const period = { fromDate: today.subtract({ years: NATIONAL_RECORD_YEARS }).toString(), toDate: today.toString() };
          const query = { identifierType: patient.identifierKind, identifier: patient.identifier, ...period };
          // The exchanges that failed, for the audit row: evidence of an NHIS outage (S-02).
          const failed = new Set<'X005' | 'R015' | 'P017'>();
          const note = (x: { messageType: string; outcome: string }) => {
            if (x.outcome !== 'ok' && (x.messageType === 'X005' || x.messageType === 'R015' || x.messageType === 'P017')) failed.add(x.messageType);
          };
          let kept: KeptRecord;
          // Concurrency: the NHIS is asked outside any transaction, so a slow or hanging NHIS holds no database connection.
          try {
            const [examinations, referrals, prescriptions] = await Promise.all([nhis.examinations.fetchExaminations(uin, query, note), nhis.documents.fetchReferrals(uin, query, note), nhis.documents.fetchPrescriptions(uin, query, note)]);
            kept = { v: 1, examinations, referrals, prescriptions };
          } catch (err) {
            if (!(err instanceof NhisUnavailableError) && !(err instanceof NhisRejectedError)) throw err;
            const failure = err instanceof NhisUnavailableError ? ('unavailable' as const) : ('refused' as const);
            await withTransaction(db, (tx) => audit.record(tx, ctx, { action: 'national_record.fetched', outcome: 'failure', ...base(a), data: { failure, messageTypes: [...failed].sort() } }));
            return { status: failure, checkedAt: clock.now().toString() };
          }
          return withTransaction(db, async (tx) => {
            const contentEnc = await keyring.encryptJson(tx, facilityScope(a.facilityId), kept, keptContext(consultationId));
            await repo.insertNationalRecord(tx, { consultationId, requestId: a.requestId, patientId: a.patientId, facilityId: a.facilityId, fetchedBy: a.accountId, consentId: a.consentId, ...period, fetchedAt: toDate(clock.now()), contentEnc });
            // The first copy kept wins (a concurrent first open): show what is kept, audited as this fetch.
            const row = await repo.findNationalRecord(tx, consultationId);
            if (!row) throw new Error('national record not kept');
            const shown = await showKept(ctx, tx, a, row, 'national_record.fetched');
            return shown.status === 'ready' ? { ...shown, fromCache: false } : shown;
          });
        }),
      );
    },
  };
}

/**
 * An NHIS date as the contract carries it: a plain date stays a date; a time with an offset becomes an
 * instant; a time without one is read in the facility's zone (Time zone: the NHIS writes local times).
 */
function recordDate(value: string | undefined, zone: string): string | null {
  if (!value) return null;
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
  try {
    return Temporal.Instant.from(value).toString();
  } catch {
    try {
      return Temporal.PlainDateTime.from(value).toZonedDateTime(zone).toInstant().toString();
    } catch {
      return /^\d{4}-\d{2}-\d{2}/.test(value) ? value.slice(0, 10) : null;
    }
  }
}
