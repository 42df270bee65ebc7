import { Temporal } from 'temporal-polyfill';
import type { RuleRefusal } from './referral-rules.js';

/*
 * Pure prescription rules that look at the patient's earlier prescriptions (НРД 2006 ).
 * No I/O: the service passes the earlier NHIF prescriptions it read (decrypted) and the dated limits.
 */

/** An earlier prescription of the patient, as these rules see it (cancelled and refused ones left out). */
export interface EarlierPrescription {
  issuedOn: string;
  diagnosisCode: string;
  kind: 'nhif' | 'ordinary';
  protocolNumber: string | null;
  lines: { inn: string; days: number; protocol: boolean }[];
}

/** A line of the prescription being issued. */
export interface NewLine {
  inn: string;
  nhifReimbursed: boolean;
  protocol: boolean;
}

/** the doctor's statement that an early prescription only aligns periods, and until when it covers. */
export interface EarlyAlignment {
  coversUntil: string;
}

/** the patient is in hospital now (W14: the outpatient doctor prescribes for a hospitalised chronic patient). */
export interface HospitalStay {
  mainDiagnosisCode: string;
  newlyFoundDiagnosisCodes: string[];
}

export interface HistoryFacts {
  today: Temporal.PlainDate;
  diagnosisCode: string;
  lines: NewLine[];
  earlier: EarlierPrescription[];
  earlyAlignment: EarlyAlignment | null;
  hospitalStay: HospitalStay | null;
  /** Dated data: days before which a new prescription for the same medicine is early (30). */
  earlyDays: number;
  /** Dated data: how long a protocol runs (R-60: 6 months). */
  protocolMonths: number;
}

const day = (s: string) => Temporal.PlainDate.from(s);
const innSet = (lines: readonly { inn: string }[]) => [...new Set(lines.map((l) => l.inn.toLowerCase()))].sort().join('|');

/**
 * Every history rule the prescription breaks. Pure.
 * @param f - the facts
 * @returns the refusals (empty when it may be issued)
 */
export function historyRefusals(f: HistoryFacts): RuleRefusal[] {
  const out: RuleRefusal[] = [];
  const reimbursed = f.lines.filter((l) => l.nhifReimbursed);
  const nhif = f.earlier.filter((e) => e.kind === 'nhif');

  // the same reimbursed medicine again before `earlyDays` from the previous one only aligns periods
  // (no pack matches the monthly course), and the period it covers is recorded.
  const since = f.today.subtract({ days: f.earlyDays });
  const early = reimbursed.filter((l) => nhif.some((e) => Temporal.PlainDate.compare(day(e.issuedOn), since) > 0 && e.lines.some((x) => x.inn.toLowerCase() === l.inn.toLowerCase())));
  if (early.length > 0) {
    if (!f.earlyAlignment) {
      out.push({ code: 'prescription.too_early', rule: 'R-59', detail: `The same medicine was prescribed less than ${f.earlyDays} days ago; an early prescription only aligns periods, with the period it covers` });
    } else if (Temporal.PlainDate.compare(day(f.earlyAlignment.coversUntil), f.today) <= 0) {
      out.push({ code: 'prescription.too_early', rule: 'R-59', detail: 'The period an early prescription covers ends after today' });
    }
  }

  // a patient on a protocol (IA) medicine for a disease gets no other list medicine for that disease
  // while the protocol runs (R-60: its months).
  const protocolSince = f.today.subtract({ months: f.protocolMonths });
  const onProtocol = nhif.some((e) => e.diagnosisCode === f.diagnosisCode && e.protocolNumber !== null && e.lines.some((l) => l.protocol) && Temporal.PlainDate.compare(day(e.issuedOn), protocolSince) > 0);
  if (onProtocol && reimbursed.some((l) => !l.protocol)) {
    out.push({ code: 'prescription.protocol_patient', rule: 'R-62', detail: 'The patient receives a protocol medicine for this disease: no other reimbursed medicine for it' });
  }

  // during a hospital stay the NHIF does not pay outpatient prescriptions for the main disease, a
  // disease newly found in hospital, or a changed therapy of an accompanying chronic disease.
  if (f.hospitalStay && reimbursed.length > 0) {
    const stay = f.hospitalStay;
    if (f.diagnosisCode === stay.mainDiagnosisCode || stay.newlyFoundDiagnosisCodes.includes(f.diagnosisCode)) {
      out.push({ code: 'prescription.hospital_stay', rule: 'R-66', detail: 'During the hospital stay the NHIF does not pay for the main or a newly found disease' });
    } else {
      const last = nhif.filter((e) => e.diagnosisCode === f.diagnosisCode).sort((a, b) => (a.issuedOn < b.issuedOn ? 1 : -1))[0];
      if (!last || innSet(last.lines) !== innSet(reimbursed)) {
        out.push({ code: 'prescription.hospital_stay', rule: 'R-66', detail: 'During the hospital stay only the unchanged outpatient therapy of an accompanying chronic disease is paid' });
      }
    }
  }
  return out;
}
