import type { CreatePrescriptionBody, Medicine, Prescription } from './api.js';
import { commonIssues, type FieldIssueKey } from './referral-form.js';

/*
 * The e-prescription form's logic without React (W27; НРД 2006 ): the lines as typed,
 * what each still needs, and the request body. The server applies every rule again.
 */

/** At most this many medicines per disease on one form (R-53; dated data on the server). */
export const MAX_LINES = 3;

export interface RxLine {
  medicine: Medicine;
  packages: string;
  days: string;
  dosage: string;
  substitutionAllowed: boolean;
}

export interface RxDraft {
  diagnosisCode: string;
  lines: RxLine[];
  protocolNumber: string;
  code: string;
}

export const emptyRx = (): RxDraft => ({ diagnosisCode: '', lines: [], protocolNumber: '', code: '' });

export const newLine = (medicine: Medicine): RxLine => ({ medicine, packages: '1', days: '30', dosage: '', substitutionAllowed: true });

const whole = (v: string, max: number) => /^\d+$/.test(v) && Number(v) >= 1 && Number(v) <= max;

/** A line is whole packages, 1-90 days and a dosage. */
export const lineOk = (l: RxLine) => whole(l.packages, 99) && whole(l.days, 90) && l.dosage.trim().length > 0;

/**
 * The fields of the draft that cannot be sent yet.
 * @returns field → message key; `line:<code>` for a line that needs fixing
 */
export function rxIssues(d: RxDraft): Record<string, FieldIssueKey> {
  const out: Record<string, FieldIssueKey> = { ...commonIssues(d.diagnosisCode, d.code) };
  if (d.lines.length === 0 || d.lines.length > MAX_LINES) out['lines'] = 'refIssue.error.lines';
  for (const l of d.lines) if (!lineOk(l)) out[`line:${l.medicine.code}`] = 'refIssue.error.line';
  return out;
}

/** Whether a protocol number is asked (a protocol medicine, R-60). */
export const needsProtocol = (d: RxDraft) => d.lines.some((l) => l.medicine.protocolRequired);

export function prescriptionBody(d: RxDraft, from: { requestId: string } | { encounterId: string }): CreatePrescriptionBody {
  return {
    ...from,
    diagnosisCode: d.diagnosisCode.trim().toUpperCase(),
    lines: d.lines.map((l) => ({ medicineCode: l.medicine.code, packages: Number(l.packages), days: Number(l.days), dosage: l.dosage.trim(), substitutionAllowed: l.substitutionAllowed })),
    ...(needsProtocol(d) && d.protocolNumber.trim() ? { protocolNumber: d.protocolNumber.trim() } : {}),
    code: d.code.trim(),
  };
}

/**
 * A correction starts from the signed prescription (W27: corrections are new signed versions): its
 * diagnosis, each medicine with its packages, days, dosage and substitution, and the protocol number;
 * the doctor changes what was wrong and signs with a fresh code. Each medicine is taken as the
 * nomenclature lists it today, or as it was signed when the nomenclature no longer has it (then the
 * server's check of the code refuses it, and the doctor removes it).
 * @param p - the signed prescription
 * @param nomenclature - the medicines found for its codes
 * @returns the draft, with no code
 */
export function rxDraftFrom(p: Prescription, nomenclature: readonly Medicine[]): RxDraft {
  const lines = p.lines.map((l): RxLine => {
    const medicine = nomenclature.find((m) => m.code === l.medicineCode) ?? {
      code: l.medicineCode,
      name: l.name,
      inn: l.inn,
      dosageForm: '',
      strength: null,
      pack: null,
      atc: null,
      nhifReimbursed: l.nhifReimbursed,
      // Tricky: without the nomenclature's flag, a signed protocol number means a protocol medicine.
      protocolRequired: p.protocolNumber !== null && l.nhifReimbursed,
      source: '',
    };
    return { medicine, packages: String(l.packages), days: String(l.days), dosage: l.dosage, substitutionAllowed: l.substitutionAllowed };
  });
  return { diagnosisCode: p.diagnosisCode, lines, protocolNumber: p.protocolNumber ?? '', code: '' };
}
