import { Temporal } from 'temporal-polyfill';
import { withTransaction } from '../../platform/db/index.js';
import type { RequestCtx } from '../../platform/auth/request-context.js';
import { AppError, ForbiddenError } from '../../platform/errors/app-error.js';
import type { GpDeskLookup, GpDeskLookupBody } from '../../contracts/gp.js';
import { assertUser } from '../identity/index.js';
import { ruleOn } from './dated-rules.js';
import { ageOn, changeWindowInfo, localDate, representationNeeded } from './gp-rules.js';
import type { GpDeps } from './gp.deps.js';
import * as repo from './gp.repo.js';

/** Who works a practice's desk: its GPs and its front desk (coordinator accounts of the facility). */
export const PRACTICE_STAFF_ROLES = new Set(['specialist', 'coordinator']);

/**
 * `POST /practices/:id/gp-registration-lookups`: the practice's desk finds the patient from the identity
 * document presented (W8-W10) before it enters a choice: the GP in charge today, the change window
 * (R-GP-02), today's insurance status (R-NHIF-01), who must sign (R-GP-08) and the practice's GPs with
 * the room left on their lists. Only staff of that GP practice; audited (`gp.registration_lookup`,
 * also when nothing matched). The EGN, names and birth date must all match the record.
 * @param deps - see `GpDeps`
 * @returns the use case
 * @throws {AppError} `gp.patient_not_found` when no record matches the document
 */
export function lookUpForRegistrationUseCase(deps: GpDeps) {
  return async function lookUpForRegistration(ctx: RequestCtx, facilityId: string, body: GpDeskLookupBody): Promise<GpDeskLookup> {
    const actor = assertUser(ctx);
    if (!PRACTICE_STAFF_ROLES.has(actor.role) || !actor.facilityIds.includes(facilityId)) throw new ForbiddenError('Only the practice’s staff look patients up for a GP choice');
    const found = await withTransaction(deps.db, async (tx) => {
      const practice = await repo.findFacility(tx, facilityId);
      // Deny by default: only an active primary-care practice keeps GP lists.
      if (!practice || practice.type_code !== 'ipmp' || practice.status !== 'active') throw new ForbiddenError('Not an active GP practice');
      const patientId = await deps.patients.matchPresentedPatient(tx, ctx, body);
      await deps.audit.record(tx, ctx, {
        action: 'gp.registration_lookup',
        ...(patientId ? { patientId, subject: { type: 'patient', id: patientId } } : {}),
        facilityId,
        reason: 'documents_presented',
        data: { found: patientId !== undefined },
      });
      if (!patientId) return undefined;
      const today = localDate(deps.clock.now(), practice.time_zone);
      const todayIso = today.toString();
      const rows = await repo.listRegistrations(tx, patientId);
      const isOpen = (r: repo.RegistrationRow) => r.starts_on <= todayIso && (r.ended_on === null || r.ended_on > todayIso);
      const permanent = rows.find((r) => r.kind !== 'temporary' && r.ended_on === null);
      const temporary = rows.find((r) => r.kind === 'temporary' && isOpen(r) && r.ends_on !== null && r.ends_on >= todayIso);
      const current = temporary ?? permanent;
      const rules = await repo.loadRules(tx);
      const windows = ruleOn(rules, 'gp.change_windows', todayIso);
      const age = ageOn(Temporal.PlainDate.from(body.birthDate), today);
      const gps = (await repo.listPracticeGps(tx, facilityId, todayIso)).map((g) => ({
        practitionerId: g.practitioner_id,
        name: g.name,
        listed: g.listed,
        maxListSize: g.max_list_size,
        remaining: g.max_list_size === null ? null : Math.max(0, g.max_list_size - g.listed),
      }));
      return {
        patientId,
        today: todayIso,
        age,
        representation: representationNeeded(age, 'none', ruleOn(rules, 'gp.representation', todayIso)),
        currentGp: current
          ? { practitionerId: current.practitioner_id, practitionerName: current.practitioner_name, facilityName: current.facility_name, kind: current.kind, startsOn: current.starts_on, endsOn: current.ends_on }
          : null,
        suggestedKind: permanent ? ('permanent' as const) : ('initial' as const),
        changeWindow: { today: todayIso, windows, ...changeWindowInfo(today, windows) },
        gps,
      };
    });
    if (!found) throw new AppError('gp.patient_not_found', { detail: 'No patient record matches the document', errors: [{ in: 'body', pointer: '#/identifier', detail: 'no matching record' }] });
    // The registry round trip runs outside the transaction (see checkInsuranceStatus); an outage or a
    // passport leaves the status unknown rather than blocking the desk.
    let insurance: GpDeskLookup['insurance'] = null;
    if (body.identifierKind === 'egn' || body.identifierKind === 'lnch') {
      try {
        const check = await deps.insurance.checkPresentedInsurance(ctx, { patientId: found.patientId, facilityId, identifierKind: body.identifierKind, identifier: body.identifier });
        insurance = { status: check.status, missingMonths: check.missingMonths, nhifPays: check.nhifPays };
      } catch (err) {
        if (!(err instanceof AppError && err.code === 'insurance.registry_unavailable')) throw err;
      }
    }
    return { ...found, insurance };
  };
}
