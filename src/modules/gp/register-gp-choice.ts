import { Temporal } from 'temporal-polyfill';
import { toDate } from '../../platform/clock.js';
import { withTransaction, type Queryable } from '../../platform/db/index.js';
import { facilityScope } from '../../platform/crypto/keyring.js';
import type { RequestCtx } from '../../platform/auth/request-context.js';
import { AppError, ForbiddenError } from '../../platform/errors/app-error.js';
import { validateEgn } from '../../platform/identifiers.js';
import type { CreateGpRegistrationBody, GpFormPatient, GpRegistration } from '../../contracts/gp.js';
import { assertUser } from '../identity/index.js';
import { ruleOn } from './dated-rules.js';
import { PRACTICE_STAFF_ROLES } from './look-up-for-registration.js';
import { decideRegistration, localDate } from './gp-rules.js';
import { formContext, GP_CARE_SOURCE, toRegistration, type GpDeps, type GpForm } from './gp.deps.js';
import * as repo from './gp.repo.js';
import { endExpiredTemporary } from './restore-temporary-choices.js';

const STAFF_ROLES = PRACTICE_STAFF_ROLES;

/** A refusal by a GP rule, recorded after the transaction rolled back. */
function ruleRefusal(code: AppError['code'], rule: string, pointer?: string): AppError {
  return new AppError(code, {
    detail: `Refused by ${rule}`,
    meta: { rule },
    ...(pointer ? { errors: [{ in: 'body' as const, pointer, detail: rule }] } : {}),
  });
}

/**
 * `POST /gp-registrations`: registers an initial, permanent or temporary GP choice (W8-W10). The patient
 * or a linked representative submits their own; the chosen practice's GP or front desk enters one from
 * the presented form (`patient` then carries the form's data, checked against the registry). The
 * previous permanent choice ends the day the new one starts (НРД R-27); history is never overwritten.
 * @param deps - see `GpDeps`
 * @returns the use case
 */
export function registerGpChoiceUseCase(deps: GpDeps) {
  async function formPatient(tx: Queryable, ctx: RequestCtx, body: CreateGpRegistrationBody, staff: boolean): Promise<GpFormPatient> {
    if (!staff) {
      await deps.policy.assertCanActForPatient(ctx, tx, body.patientId, 'gp.register');
      const p = await deps.patients.readPatientIn(tx, ctx, body.patientId);
      return { identifierKind: p.identifierKind, identifier: p.identifier, givenName: p.givenName, ...(p.middleName ? { middleName: p.middleName } : {}), familyName: p.familyName, birthDate: p.birthDate };
    }
    const form = body.patient;
    if (!form) throw new AppError('request.invalid', { detail: "The form's patient data is required", errors: [{ in: 'body', pointer: '#/patient', detail: 'required when the practice enters the choice' }] });
    // Security: the practice proves it holds the patient's documents: the identifier must be this patient's.
    if ((await deps.patients.findPatientIdByIdentifier(tx, form.identifierKind, form.identifier)) !== body.patientId) {
      throw new AppError('request.invalid', { detail: 'The identifier on the form is not this patient’s', errors: [{ in: 'body', pointer: '#/patient/identifier', detail: 'does not match the patient' }] });
    }
    if (form.identifierKind === 'egn') {
      const egn = validateEgn(form.identifier);
      if (egn.ok && egn.birthDate.toString() !== form.birthDate) {
        throw new AppError('request.invalid', { detail: 'The birth date does not match the EGN', errors: [{ in: 'body', pointer: '#/patient/birthDate', detail: 'does not match the EGN' }] });
      }
    }
    return form;
  }

  async function register(tx: Queryable, ctx: RequestCtx, body: CreateGpRegistrationBody): Promise<GpRegistration> {
    const actor = assertUser(ctx);
    const staff = STAFF_ROLES.has(actor.role);
    if (staff && !actor.facilityIds.includes(body.facilityId)) throw new ForbiddenError('Only the chosen practice enters a choice');
    if (!staff && actor.role !== 'patient' && actor.role !== 'representative') throw new ForbiddenError('This role cannot register a GP choice');

    const practice = await repo.findPractice(tx, body.facilityId, body.practitionerId);
    if (!practice || practice.type_code !== 'ipmp' || practice.status !== 'active' || !practice.works_there) {
      throw ruleRefusal('gp.not_a_gp_practice', 'W8', '#/practitionerId');
    }
    const now = deps.clock.now();
    const today = localDate(now, practice.time_zone);
    const todayIso = today.toString();
    const patient = await formPatient(tx, ctx, body, staff);

    // Expired temporary choices still open (the daily job has not run yet) end first (R-GP-05).
    const open = [];
    for (const r of await repo.lockOpenRegistrations(tx, body.patientId)) {
      if (r.kind === 'temporary' && r.ends_on !== null && r.ends_on < todayIso) await endExpiredTemporary(deps, tx, ctx, { ...r, ends_on: r.ends_on });
      else open.push(r);
    }
    const permanent = open.find((r) => r.kind !== 'temporary');
    const rules = await repo.loadRules(tx);
    const decision = decideRegistration(body, {
      today,
      identifierKind: patient.identifierKind,
      birthDate: Temporal.PlainDate.from(patient.birthDate),
      actorIsRepresentative: actor.role === 'representative',
      permanent: permanent ? { practitionerId: permanent.practitioner_id, rhifCode: permanent.rhif_code } : undefined,
      temporaryOpen: open.some((r) => r.kind === 'temporary'),
      target: { practitionerId: body.practitionerId, rhifCode: practice.rhif_code },
      rules: {
        windows: ruleOn(rules, 'gp.change_windows', todayIso),
        temporaryMonths: ruleOn(rules, 'gp.temporary_months', todayIso),
        representation: ruleOn(rules, 'gp.representation', todayIso),
        newborn: ruleOn(rules, 'gp.newborn', todayIso),
      },
    });
    if (!decision.ok) throw ruleRefusal(decision.code, decision.rule, decision.pointer);

    // The GP's contract may cap the list (R-11: no cap unless the contract says so).
    const contract = await repo.findContract(tx, body.practitionerId, todayIso);
    if (contract?.max_list_size != null && (await repo.countListed(tx, body.practitionerId, decision.startsOn.toString())) >= contract.max_list_size) {
      throw ruleRefusal('gp.list_full', 'R-11', '#/practitionerId');
    }

    const id = deps.ids.uuid();
    const at = toDate(now);
    const startsOn = decision.startsOn.toString();
    if (body.kind === 'permanent' && permanent) {
      // Concurrency: compare-and-swap; the partial unique index refuses a second open permanent choice.
      if (!(await repo.endRegistration(tx, { id: permanent.id, endedOn: startsOn, reason: 'changed_gp', endedBy: id, at }))) {
        throw new AppError('resource.conflict', { detail: 'The current choice changed meanwhile; try again' });
      }
      await deps.access.closeCareRelationship(tx, ctx, { sourceType: GP_CARE_SOURCE, sourceId: permanent.id, at });
      await deps.audit.record(tx, ctx, { action: 'gp.registration_ended', patientId: body.patientId, facilityId: permanent.facility_id, subject: { type: 'gp_registration', id: permanent.id }, data: { reason: 'changed_gp', endedOn: startsOn } });
    }
    const form: GpForm = {
      patient,
      signer: body.signer,
      interdiction: body.interdiction,
      documents: body.documents,
      ...(body.exception ? { exception: body.exception } : {}),
      ...(body.birthNotification ? { birthNotification: body.birthNotification } : {}),
      ...(body.temporary ? { temporary: body.temporary } : {}),
    };
    const signer = body.signer.kind === 'representative' || actor.role === 'representative' ? 'representative' : 'self';
    await repo.insertRegistration(tx, {
      id,
      patientId: body.patientId,
      practitionerId: body.practitionerId,
      facilityId: body.facilityId,
      kind: body.kind,
      basis: decision.basis,
      startsOn,
      endsOn: decision.endsOn?.toString() ?? null,
      signer,
      formEnc: await deps.keyring.encryptJson(tx, facilityScope(body.facilityId), form, formContext(id)),
      enteredBy: actor.id,
      enteredByRole: actor.role,
      createdAt: at,
    });
    // Art. 13: the patient's GP is in a care relationship for the registration's period.
    const startOfDay = (d: Temporal.PlainDate) => toDate(d.toZonedDateTime({ timeZone: practice.time_zone }).toInstant());
    await deps.access.openCareRelationship(tx, ctx, {
      patientId: body.patientId,
      practitionerId: body.practitionerId,
      facilityId: body.facilityId,
      sourceType: GP_CARE_SOURCE,
      sourceId: id,
      activeFrom: startsOn === todayIso ? at : startOfDay(decision.startsOn),
      ...(decision.endsOn ? { activeUntil: startOfDay(decision.endsOn.add({ days: 1 })) } : {}),
    });
    await deps.audit.record(tx, ctx, {
      action: 'gp.registered',
      patientId: body.patientId,
      facilityId: body.facilityId,
      subject: { type: 'gp_registration', id },
      data: { kind: body.kind, basis: decision.basis, signer, startsOn },
    });
    const [row] = (await repo.listRegistrations(tx, body.patientId)).filter((r) => r.id === id);
    if (!row) throw new Error('registration vanished');
    return toRegistration(row);
  }

  return async function registerGpChoice(ctx: RequestCtx, body: CreateGpRegistrationBody): Promise<GpRegistration> {
    return deps.policy.guard(ctx, async () => {
      try {
        return await withTransaction(deps.db, (tx) => register(tx, ctx, body));
      } catch (err) {
        const rule = err instanceof AppError && typeof err.meta?.['rule'] === 'string' ? err.meta['rule'] : undefined;
        if (rule) {
          await deps.audit.recordStandalone(ctx, { action: 'gp.registration_refused', outcome: 'failure', patientId: body.patientId, facilityId: body.facilityId, data: { rule, kind: body.kind, code: (err as AppError).code } });
        }
        throw err;
      }
    });
  };
}
