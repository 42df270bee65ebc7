import type { Queryable } from '../../platform/db/index.js';
import type { RequestCtx } from '../../platform/auth/request-context.js';
import { AppError, ForbiddenError } from '../../platform/errors/app-error.js';
import type { Patient } from '../../contracts/patients.js';
import type { RuleRefusal } from './referral-rules.js';
import type { Encounter } from '../encounters/index.js';
import type { IssuerSnapshot, ReferralsDeps, SubjectSnapshot } from './referrals.deps.js';
import * as repo from './referrals.repo.js';
import { hasGpContractIn } from '../gp/index.js';

/**
 * The issuer's facts on a date: GP or not (GP specialty or a GP contract), first specialty, and whether an
 * RHIF outpatient contract (or a GP contract) is in force (R-REF-06).
 */
export async function issuerFacts(q: Queryable, practitionerId: string, facilityId: string, on: string): Promise<repo.IssuerRow | undefined> {
  const row = await repo.issuerRow(q, practitionerId, facilityId, on);
  if (!row) return undefined;
  const { gp_specialty, rhif_outpatient, ...rest } = row;
  const gpContract = await hasGpContractIn(q, practitionerId, facilityId, on);
  return { ...rest, is_gp: gp_specialty || gpContract, rhif_contract: rhif_outpatient || gpContract };
}

/**
 * The issuing doctor: the signed-in specialist who is the encounter's practitioner and works at its
 * facility. Only they issue and sign (the author signs, as for the ambulatory sheet).
 * @returns the issuer's facts on the date and the snapshot signed with the document
 * @throws {ForbiddenError} for anyone else
 */
export async function resolveIssuer(ctx: RequestCtx, q: Queryable, encounter: Encounter, on: string): Promise<{ facts: repo.IssuerRow; snapshot: IssuerSnapshot }> {
  if (ctx.actor.type !== 'user' || ctx.actor.role !== 'specialist') throw new ForbiddenError('Only the doctor of the encounter issues referrals and prescriptions');
  const practitionerId = await repo.practitionerOfAccount(q, ctx.actor.id);
  if (practitionerId !== encounter.practitionerId || !ctx.actor.facilityIds.includes(encounter.facilityId)) throw new ForbiddenError('Only the doctor of the encounter issues referrals and prescriptions');
  const facts = await issuerFacts(q, practitionerId, encounter.facilityId, on);
  if (!facts?.works_there) throw new ForbiddenError('The doctor does not work at this facility');
  return {
    facts,
    snapshot: {
      practitionerId,
      uin: facts.uin,
      givenName: facts.given_name,
      familyName: facts.family_name,
      qualification: facts.is_gp ? '0000' : (facts.specialty_code ?? '0000'),
      facilityId: facts.facility_id,
      facilityName: facts.facility_name,
      practiceNumber: facts.facility_number,
      rhifAreaNumber: facts.facility_number.slice(0, 4),
    },
  };
}

export function subjectOf(p: Patient): SubjectSnapshot {
  return { patientId: p.id, identifierType: p.identifierKind, identifier: p.identifier, givenName: p.givenName, ...(p.middleName ? { middleName: p.middleName } : {}), familyName: p.familyName, birthDate: p.birthDate, sex: p.sex };
}

/**
 * Throws the first refusal as a problem naming its rule; all refusals are listed in `meta.rules` so the
 * form can explain each one.
 */
export function refuse(refusals: readonly RuleRefusal[]): never {
  const first = refusals[0];
  if (!first) throw new AppError('internal');
  throw new AppError(first.code, { detail: first.detail, meta: { rule: first.rule, rules: refusals.map((r) => ({ rule: r.rule, code: r.code, detail: r.detail })) } });
}

/**
 * Whether the NHIF pays for the patient on the date (R-NHIF-01), from the insurance module. The check runs
 * its own short transactions (a registry round trip never holds one open), so it is called before ours.
 * @returns true with continuous rights
 */
export async function insuredOn(deps: Pick<ReferralsDeps, 'insurance'>, ctx: RequestCtx, patientId: string, on: string): Promise<boolean> {
  const check = await deps.insurance.checkInsuranceStatus(ctx, patientId, on);
  return check.nhifPays;
}

/** Runs a signing transaction; a wrong step-up code counts towards the account lock after the rollback. */
export async function withStepUpFailure<T>(deps: Pick<ReferralsDeps, 'stepUp'>, ctx: RequestCtx, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof AppError && err.code === 'auth.mfa_invalid' && err.meta?.['stepUp'] === true) throw await deps.stepUp.recordStepUpFailure(ctx);
    throw err;
  }
}
