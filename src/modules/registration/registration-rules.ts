import { validateEgn, validateLnch } from '../../platform/identifiers.js';
import type { RegistrationBody } from '../../contracts/identity.js';

/** A field the registrant must correct (problem+json `errors`). */
export interface FieldProblem {
  pointer: string;
  detail: string;
}

/** What the registration checks decided: the sex to store, or the fields to correct. */
export type RegistrantCheck = { ok: true; sex: 'male' | 'female' } | { ok: false; code: 'request.invalid' | 'registration.birth_date_mismatch'; problems: FieldProblem[] };

/**
 * Checks a registrant's identifier and date of birth, using only what they typed (no lookup, so the answer
 * says nothing about who is registered): the EGN or LNCh checksum (bulgarian-identifiers §1.1-§1.2), the date
 * of birth against the one an EGN encodes, and the sex (an EGN encodes it; an LNCh needs it stated).
 * @param body - the registration form
 * @returns the sex to store, or the problems
 */
export function checkRegistrant(body: Pick<RegistrationBody, 'identifierKind' | 'identifier' | 'birthDate' | 'sex'>): RegistrantCheck {
  if (body.identifierKind === 'lnch') {
    const v = validateLnch(body.identifier);
    if (!v.ok) return { ok: false, code: 'request.invalid', problems: [{ pointer: '#/identifier', detail: `invalid lnch: ${v.reason}` }] };
    if (!body.sex) return { ok: false, code: 'request.invalid', problems: [{ pointer: '#/sex', detail: 'required with an LNCh' }] };
    return { ok: true, sex: body.sex };
  }
  const v = validateEgn(body.identifier);
  if (!v.ok) return { ok: false, code: 'request.invalid', problems: [{ pointer: '#/identifier', detail: `invalid egn: ${v.reason}` }] };
  if (v.birthDate.toString() !== body.birthDate) {
    return { ok: false, code: 'registration.birth_date_mismatch', problems: [{ pointer: '#/birthDate', detail: 'does not match the EGN' }] };
  }
  return { ok: true, sex: v.sex };
}
