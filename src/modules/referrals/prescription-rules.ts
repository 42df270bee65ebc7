import type { EncounterKind, RuleRefusal } from './referral-rules.js';

/**
 * Pure prescription rules (W27, R-PC-05/06, R-NHIF-05, НРД 2006 R-51..60). No I/O.
 */

/** A medicine of the nomenclature as the rules see it. */
export interface MedicineFacts {
  code: string;
  inn: string;
  /** On the NHIF-reimbursed list (R-NHIF-05: e-prescription, contracted pharmacy). */
  nhifReimbursed: boolean;
  /** Prescribed on an expensive-medicines protocol. */
  protocolRequired: boolean;
}

export interface PrescriptionLine {
  medicine: MedicineFacts;
  /** Whole packages. */
  packages: number;
  /** Days the line covers. */
  days: number;
}

export interface PrescriptionFacts {
  encounter: { kind: EncounterKind; ended: boolean; started: boolean } | null;
  /** The ICD-10 code the prescription is for: one form per code. */
  diagnosisCode: string | null;
  lines: PrescriptionLine[];
  /** NHIF pays on the prescription date. */
  insured: boolean;
  /** The protocol number for protocol medicines, when given. */
  protocolNumber: string | null;
  limits: PrescriptionLimits;
}

/** Dated data `prescription.limits` (НРД 2006 чл. 35, 40, 54). */
export interface PrescriptionLimits {
  maxProductsPerDisease: number;
  maxDaysPerLine: number;
  protocolMaxMonths: number;
}

/** What a prescription is: reimbursed lines make an NHIF e-prescription, others an ordinary one (R-NHIF-05). */
export function prescriptionKind(lines: readonly PrescriptionLine[]): 'nhif' | 'ordinary' {
  return lines.some((l) => l.medicine.nhifReimbursed) ? 'nhif' : 'ordinary';
}

/**
 * Every rule an e-prescription breaks. Pure.
 * @param f - the facts
 * @returns the refusals (empty when it may be issued)
 */
export function prescriptionRefusals(f: PrescriptionFacts): RuleRefusal[] {
  const out: RuleRefusal[] = [];
  // R-PC-05 / W27.1: only after a consultation or exam (the encounter took place).
  if (!f.encounter || !f.encounter.started) out.push({ code: 'prescription.no_consultation', rule: 'R-PC-05', detail: 'A prescription is issued only after a consultation or exam' });
  const nhif = prescriptionKind(f.lines) === 'nhif';
  // R-PC-06 / W27.4: no NHIF-reimbursed home treatment from a phone consultation.
  if (f.encounter?.kind === 'phone' && nhif) out.push({ code: 'prescription.phone_reimbursed', rule: 'R-PC-06', detail: 'NHIF-reimbursed medicines are not prescribed from a phone consultation' });
  if (f.lines.length === 0) out.push({ code: 'prescription.no_medicines', rule: 'R-PC-05', detail: 'At least one medicine' });
  // one form per ICD code, so the code is required.
  if (!f.diagnosisCode) out.push({ code: 'prescription.no_diagnosis', rule: 'R-55', detail: 'A prescription is for one ICD-10 diagnosis' });
  // at most N products per disease on the form.
  if (f.lines.length > f.limits.maxProductsPerDisease) {
    out.push({ code: 'prescription.too_many_products', rule: 'R-53', detail: `At most ${f.limits.maxProductsPerDisease} medicines per disease` });
  }
  // R-57 (same form): the same INN twice is a duplicate.
  const inns = f.lines.map((l) => l.medicine.inn.toLowerCase());
  if (new Set(inns).size !== inns.length) out.push({ code: 'prescription.duplicate_inn', rule: 'R-57', detail: 'The same active substance twice' });
  // whole packages, for a bounded period.
  if (f.lines.some((l) => !Number.isInteger(l.packages) || l.packages < 1 || l.days < 1 || l.days > f.limits.maxDaysPerLine)) {
    out.push({ code: 'prescription.quantity_invalid', rule: 'R-58', detail: `Whole packages, for 1 to ${f.limits.maxDaysPerLine} days` });
  }
  // protocol medicines go alone on their own form, with the protocol.
  const protocol = f.lines.filter((l) => l.medicine.protocolRequired);
  if (protocol.length > 0 && (protocol.length !== f.lines.length || protocol.length > 1)) {
    out.push({ code: 'prescription.protocol_separate', rule: 'R-56', detail: 'A protocol medicine goes alone on its own form' });
  }
  if (protocol.length > 0 && !f.protocolNumber) out.push({ code: 'prescription.protocol_required', rule: 'R-60', detail: 'This medicine needs an approved protocol' });
  // NHIF-paid only with continuous rights on the prescription date.
  if (nhif && !f.insured) out.push({ code: 'prescription.insurance_interrupted', rule: 'R-51', detail: 'Interrupted insurance rights: NHIF-reimbursed medicines only on an ordinary prescription, paid in full' });
  return out;
}
