import { Temporal } from 'temporal-polyfill';

/**
 * Pure rules of the registry, each tagged with the rule id of the domain checklist
 * (telemedicine-patient-rights-foreigners-gp-practice.md §4). No I/O, no clock.
 */

/** A refusal: the rule id and an English detail for the problem response. */
export interface Refusal {
  rule: string;
  detail: string;
  pointer: string;
}

/**
 * Art. 7 at publication: may a service of this kind, in this specialty, be offered at a distance?
 * @param kind - the service kind row (`prohibited_rule`, `allowed_for_dental`)
 * @param specialty - the specialty row (`dental`)
 * @returns null when admissible, or the refusal
 */
export function serviceRefusal(
  kind: { code: string; prohibitedRule: string | null; allowedForDental: boolean },
  specialty: { code: string; dental: boolean },
): Refusal | null {
  // Regulatory: Art. 7(1) item 3, 7(2), 7(3) — the kinds carry their rule as data (service_kind).
  if (kind.prohibitedRule) {
    return { rule: kind.prohibitedRule, detail: `A service of kind "${kind.code}" cannot be provided at a distance`, pointer: '#/kindCode' };
  }
  // Regulatory: Art. 7(1) item 3 (R-TM-13) — dental medicine only as imaging for dental purposes.
  if (specialty.dental && !kind.allowedForDental) {
    return { rule: 'R-TM-13', detail: `Dental specialty ${specialty.code} may publish only imaging for dental purposes`, pointer: '#/kindCode' };
  }
  return null;
}

/**
 * Art. 4: may this facility provide (and publish) telemedicine?
 * @param facility - its status and type eligibility
 * @returns null when it may, or the refusal
 */
export function facilityRefusal(facility: { status: string; typeEligible: boolean }): Refusal | null {
  if (!facility.typeEligible) return { rule: 'R-TM-02', detail: 'Facilities of this type may not provide medical care at a distance', pointer: '#/typeCode' };
  if (facility.status !== 'active') return { rule: 'R-TM-01', detail: 'The facility is suspended and cannot publish services', pointer: '#/status' };
  return null;
}

/** What a centre's contract holds, as the completeness check sees it. */
export interface CentreContract {
  headName: string | null;
  headPractitionerId: string | null;
  contractReference: string | null;
  members: { facilityId: string; rightsObligations: string; structures: number; eligible: boolean; active: boolean }[];
}

/**
 * Art. 5(4) (R-TM-21): what a centre still lacks before it can be active. The contract must name the
 * functional head (item 1), each member's rights and obligations (item 2) and the structures and
 * specialties each contributes (item 3); a centre joins two or more facilities (Art. 5(1)), each of
 * which must itself be eligible (Art. 4, W2 step 4).
 * @param c - the centre's contract data
 * @returns missing items as stable codes (`head`, `contract_reference`, `members`, `rights_obligations:<id>`, `structures:<id>`, `ineligible:<id>`); empty when complete
 */
export function centreMissing(c: CentreContract): string[] {
  const missing: string[] = [];
  if (!c.headName?.trim() && !c.headPractitionerId) missing.push('head');
  if (!c.contractReference?.trim()) missing.push('contract_reference');
  if (c.members.length < 2) missing.push('members');
  for (const m of c.members) {
    if (!m.rightsObligations.trim()) missing.push(`rights_obligations:${m.facilityId}`);
    if (m.structures < 1) missing.push(`structures:${m.facilityId}`);
    if (!m.eligible || !m.active) missing.push(`ineligible:${m.facilityId}`);
  }
  return missing;
}

/**
 * Art. 25-26: the state of a certificate on a given day.
 * @param cert - expiry date (ISO) and withdrawal
 * @param today - the facility's current date
 * @param warnDays - how many days ahead "expiring" is shown
 * @returns valid, expiring, expired or withdrawn
 */
export function certificateState(cert: { expiresOn: string | null; withdrawn: boolean }, today: Temporal.PlainDate, warnDays = 30): 'valid' | 'expiring' | 'expired' | 'withdrawn' {
  if (cert.withdrawn) return 'withdrawn';
  if (!cert.expiresOn) return 'valid';
  const expires = Temporal.PlainDate.from(cert.expiresOn);
  if (Temporal.PlainDate.compare(expires, today) < 0) return 'expired';
  if (Temporal.PlainDate.compare(expires, today.add({ days: warnDays })) <= 0) return 'expiring';
  return 'valid';
}

/**
 * Validates an EKATTE settlement code (NSI mod-11 check digit, domain digest §7 [V-calc]).
 * @param code - five digits, leading zeros kept
 * @returns whether the check digit matches
 */
export function isValidEkatte(code: string): boolean {
  if (!/^\d{5}$/.test(code)) return false;
  const d = [...code].map(Number) as [number, number, number, number, number];
  let check = (1 * d[0] + 2 * d[1] + 3 * d[2] + 4 * d[3]) % 11;
  if (check === 10) check = (3 * d[0] + 4 * d[1] + 5 * d[2] + 6 * d[3]) % 11;
  if (check === 10) check = 0;
  return check === d[4];
}
