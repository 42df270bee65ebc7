import { Temporal } from 'temporal-polyfill';
import { toDate } from '../../platform/clock.js';
import { withTransaction } from '../../platform/db/index.js';
import { facilityScope } from '../../platform/crypto/keyring.js';
import type { RequestCtx } from '../../platform/auth/request-context.js';
import { NotFoundError } from '../../platform/errors/app-error.js';
import type { PatientBanner, PatientIdentifier, RequestForm } from '../../contracts/requests.js';
import * as repo from './requests.repo.js';
import { formContext, type RequestsDeps } from './request-common.js';
import type { RequestViews } from './request-view.js';

const ZONE = 'Europe/Sofia';

/**
 * Whole years between a birth date and a day (a birthday counts on its day; 29 February on 28 February
 * in other years would be a day early, so it counts from 1 March).
 * @param birthDate - ISO date
 * @param on - the day
 * @returns the age in years
 */
export function ageOn(birthDate: string, on: Temporal.PlainDate): number {
  const born = Temporal.PlainDate.from(birthDate);
  let age = on.year - born.year;
  if (on.month < born.month || (on.month === born.month && on.day < born.day)) age -= 1;
  return Math.max(0, age);
}

/**
 * The identifier with all but its last two characters hidden.
 * @param identifier - EGN, LNCh or a document number
 * @returns the masked text, e.g. `••••••••23`
 */
export function maskIdentifier(identifier: string): string {
  const visible = identifier.slice(-2);
  return `${'•'.repeat(Math.max(0, identifier.length - 2))}${visible}`;
}

/** The first line of a free text, at most `max` characters (the banner shows a reason, not the anamnesis). */
function firstLine(text: string | undefined | null, max = 160): string | null {
  const line = text?.trim().split(/\r?\n/)[0]?.trim();
  if (!line) return null;
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/**
 * The patient banner of a request's clinical screens and the audited reveal of the identifier. Access is
 * the request's: only its participants (viewerOf, deny by default) see it; every read is audited.
 * @param deps - the requests dependencies (with the patients registry)
 * @param views - the shared viewer helpers
 * @returns patientBanner, revealPatientIdentifier
 */
export function createRequestPatientBanner(deps: RequestsDeps, views: RequestViews) {
  const { db, clock, keyring, audit, policy, patients } = deps;
  const { loadVisible } = views;

  async function basisOf(ctx: RequestCtx, id: string, tx: Parameters<Parameters<typeof withTransaction>[1]>[0]) {
    const visible = await loadVisible(tx, ctx, id);
    // A request for a specialist's own case names no patient: there is no banner to show.
    if (!visible.row.patient_id) throw new NotFoundError('patient', id);
    return { ...visible, patientId: visible.row.patient_id, basis: { reason: `request:${id}`, facilityId: visible.row.provider_facility_id, ...(visible.viewer.onBehalfOf ? { onBehalfOf: visible.viewer.onBehalfOf } : {}) } };
  }

  return {
    /**
     * `GET /requests/:id/patient-banner`: who the patient of a request is, for its participants.
     * @param ctx - either side of the request
     * @param id - the request
     * @returns the banner (identifier masked)
     * @throws {NotFoundError} unknown, not the actor's, or without a patient
     */
    async patientBanner(ctx: RequestCtx, id: string): Promise<PatientBanner> {
      return policy.guard(ctx, () =>
        withTransaction(db, async (tx) => {
          const { row, viewer, patientId, basis } = await basisOf(ctx, id, tx);
          const patient = await patients.readForRequestIn(tx, ctx, patientId, basis);
          const form = await keyring.decryptJson<RequestForm>(ctx, tx, facilityScope(row.provider_facility_id), row.form_enc, formContext(row.id));
          await audit.record(tx, ctx, {
            action: 'request.read',
            patientId,
            facilityId: row.provider_facility_id,
            subject: { type: 'service_request', id },
            reason: viewer.reason,
            ...(viewer.onBehalfOf ? { onBehalfOf: viewer.onBehalfOf } : {}),
            data: { fields: 'banner' },
          });
          const representative =
            row.requester_kind === 'representative' ? { basis: (await repo.representativeBasis(tx, row.requester_account_id, patientId, toDate(clock.now()))) ?? null } : null;
          const day = (row.appointment_start ? Temporal.Instant.from(row.appointment_start.toISOString()) : clock.now()).toZonedDateTimeISO(ZONE).toPlainDate();
          return {
            requestId: id,
            patientId,
            givenName: patient.givenName,
            middleName: patient.middleName ?? null,
            familyName: patient.familyName,
            sex: patient.sex,
            birthDate: patient.birthDate,
            ageYears: ageOn(patient.birthDate, day),
            identifierKind: patient.identifierKind,
            identifierMasked: maskIdentifier(patient.identifier),
            representative,
            reason: firstLine(form.circumstances) ?? firstLine(form.intake.anamnesis),
            medicines: form.intake.medicines?.trim() || null,
          };
        }),
      );
    },

    /**
     * `POST /requests/:id/patient-identifier`: the full EGN/LNCh, audited as a reveal.
     * @param ctx - either side of the request
     * @param id - the request
     * @returns the identifier
     */
    async revealPatientIdentifier(ctx: RequestCtx, id: string): Promise<PatientIdentifier> {
      return policy.guard(ctx, () =>
        withTransaction(db, async (tx) => {
          const { patientId, basis } = await basisOf(ctx, id, tx);
          return patients.revealIdentifierIn(tx, ctx, patientId, basis);
        }),
      );
    },
  };
}
