import type { Clock } from '../../../platform/clock.js';
import type { ParsedRequest } from '../nhis-messages.js';
import type { XmlNode } from '../xml.js';
import { child, childrenNamed, ICD10_PATTERN, v, valueAt } from './common.js';
import { EPRESCRIPTION_PATHS, PRESCRIPTION_STATUS, type Dispensation, type NhisPrescriptionStatus } from './eprescription.js';
import { EREFERRAL_PATHS, REFERRAL_CATEGORY, REFERRAL_STATUS, type NhisReferralStatus } from './ereferral.js';

export interface SimulatedReferral {
  nrn: string;
  lrn: string;
  category: string;
  status: NhisReferralStatus;
  requesterUin: string;
  /** The issuing doctor's specialty (CL006). */
  requesterQualification: string;
  /** № 3/3А: the specialty consulted (CL006). */
  consultedQualification: string | null;
  subjectIdentifier: string;
  diagnosisCode: string;
  authoredOn: string;
  cancelReason: string | null;
}

export interface SimulatedPrescription {
  nrn: string;
  lrn: string;
  status: NhisPrescriptionStatus;
  requesterUin: string;
  requesterQualification: string;
  subjectIdentifier: string;
  authoredOn: string;
  diagnosisCode: string;
  medicationCodes: string[];
  /** The names the message gave the medicines (`medicationCode@name`). */
  medicationNames: string[];
  dispensations: Dispensation[];
}

/** A referral another doctor issued elsewhere, as the national record holds it (tests and the demo). */
export type ReferralElsewhere = Omit<SimulatedReferral, 'nrn' | 'lrn' | 'status' | 'cancelReason'> & { status?: NhisReferralStatus };
/** A prescription another doctor issued elsewhere (tests and the demo). */
export type PrescriptionElsewhere = Omit<SimulatedPrescription, 'nrn' | 'lrn' | 'status' | 'dispensations'> & { status?: NhisPrescriptionStatus };

/** What tests and the demo can see and do with the simulated e-referrals and e-prescriptions. */
export interface DocumentsSimulatorControl {
  referrals(): SimulatedReferral[];
  prescriptions(): SimulatedPrescription[];
  /** A performer executed the referral (what R003/R005 of a lab or specialist would record). */
  executeReferral(nrn: string): void;
  /** A pharmacy dispensed the prescription (what P005 would record). */
  dispense(nrn: string, d: Dispensation): void;
  /** Puts a referral issued by another doctor's system into the record; @returns its NRN. */
  recordReferralElsewhere(r: ReferralElsewhere): string;
  /** Puts a prescription issued by another doctor's system into the record; @returns its NRN. */
  recordPrescriptionElsewhere(p: PrescriptionElsewhere): string;
}

type Answer = { status: number; body: string };
type Reply = (type: string, contents: (XmlNode | null)[]) => string;
type ErrorAnswer = (reason: string, message: string) => Answer;

const CATEGORIES = new Set<string>(Object.values(REFERRAL_CATEGORY));

/**
 * The e-referral and e-prescription part of the bundled NHIS simulator (R001/R007/R009/R015, P001/P007/P017).
 * It checks what the NHIS is documented to check for these messages: identifiers and requester UIN,
 * a known category, an ICD-10 diagnosis, a clinical pathway on a hospitalisation, at least one medicine
 * with a whole quantity; cancellation only by the requester and only before execution or dispensing.
 * Idempotent on lrn, as a retried R001/P001 must be. The shared transport adds the outages, rejections
 * and latency the simulator control asks for.
 * @param deps - clock (issue year, dates)
 * @returns the handler, its control and reset
 */
export function createDocumentsSimulator(deps: { clock: Clock }) {
  let counter = 0;
  const referrals = new Map<string, SimulatedReferral>();
  const prescriptions = new Map<string, SimulatedPrescription>();
  // Keyed by family and lrn: an lrn identifies one document of its kind.
  const byLrn = new Map<string, string>();

  function nextNrn(kind: 'R' | 'P'): string {
    counter += 1;
    const yy = deps.clock.now().toZonedDateTimeISO('UTC').year % 100;
    // 12 characters like a real NRN, marked as simulated.
    return `${String(yy).padStart(2, '0')}SI${kind}${String(counter).padStart(7, '0')}`;
  }

  const referralAnswer = (reply: Reply, type: string, r: SimulatedReferral): Answer => ({
    status: 200,
    body: reply(type, [v('nhis:nrnReferral', r.nrn), v('nhis:status', REFERRAL_STATUS[r.status]), { name: 'nhis:referral', children: [v('nhis:lrn', r.lrn), v('nhis:nrnReferral', r.nrn), v('nhis:category', r.category), v('nhis:authoredOn', r.authoredOn), v('nhis:status', REFERRAL_STATUS[r.status])] }]),
  });
  const prescriptionAnswer = (reply: Reply, type: string, p: SimulatedPrescription): Answer => ({
    status: 200,
    body: reply(type, [
      {
        name: 'nhis:results',
        children: [
          {
            name: 'nhis:prescription',
            children: [
              v('nhis:lrn', p.lrn),
              v('nhis:nrnPrescription', p.nrn),
              v('nhis:status', PRESCRIPTION_STATUS[p.status]),
              ...p.dispensations.map((d): XmlNode => ({ name: 'nhis:dispensation', children: [v('nhis:pharmacyNumber', d.pharmacyNumber), v('nhis:pharmacyName', d.pharmacyName), v('nhis:dispensedOn', d.dispensedOn)] })),
            ],
          },
        ],
      },
    ]),
  });

  const inPeriod = (date: string, from: string | undefined, to: string | undefined) => (!from || date.slice(0, 10) >= from) && (!to || date.slice(0, 10) <= to);
  // R016 / P018 by patient: what the national record shows of each document (no free-text notes).
  const referralFetched = (r: SimulatedReferral): XmlNode => ({
    name: 'nhis:referral',
    children: [
      v('nhis:nrnReferral', r.nrn),
      v('nhis:status', REFERRAL_STATUS[r.status]),
      v('nhis:category', r.category),
      v('nhis:authoredOn', r.authoredOn),
      r.consultedQualification ? { name: 'nhis:consultation', children: [{ name: 'nhis:qualification', attrs: { value: r.consultedQualification } }] } : null,
      { name: 'nhis:diagnosis', children: [v('nhis:code', r.diagnosisCode)] },
      { name: 'nhis:requester', children: [v('nhis:pmi', r.requesterUin), { name: 'nhis:qualification', attrs: { value: r.requesterQualification } }] },
    ],
  });
  const prescriptionFetched = (p: SimulatedPrescription): XmlNode => ({
    name: 'nhis:prescription',
    children: [
      v('nhis:nrnPrescription', p.nrn),
      v('nhis:status', PRESCRIPTION_STATUS[p.status]),
      v('nhis:authoredOn', p.authoredOn),
      v('nhis:diagnosis', p.diagnosisCode),
      { name: 'nhis:group', children: p.medicationCodes.map((c, i): XmlNode => ({ name: 'nhis:medication', children: [{ name: 'nhis:medicationCode', attrs: { value: c, name: p.medicationNames[i] ?? c } }] })) },
      { name: 'nhis:requester', children: [v('nhis:pmi', p.requesterUin), { name: 'nhis:qualification', attrs: { value: p.requesterQualification } }] },
    ],
  });
  /** The patient query of R015 and P017: identifier and type, optional period. */
  function patientQuery(req: ParsedRequest): { identifier: string; from?: string; to?: string } | null {
    const identifier = valueAt(req.contents, 'identifier');
    if (!identifier || !valueAt(req.contents, 'identifierType')) return null;
    return { identifier, from: valueAt(req.contents, 'fromDate'), to: valueAt(req.contents, 'toDate') };
  }

  function requesterAndSubject(req: ParsedRequest, error: ErrorAnswer): { pmi: string; identifier: string } | Answer {
    const pmi = valueAt(child(req.contents, 'requester'), 'pmi');
    if (!pmi || !/^\d{9,10}$/.test(pmi) || pmi !== req.header.senderId) return error('invalid_requester', 'requester/pmi must be the sender’s UIN');
    const subject = child(req.contents, 'subject');
    const identifier = valueAt(subject, 'identifier');
    if (!identifier || !valueAt(subject, 'identifierType')) return error('missing_subject', 'subject identifier is required');
    return { pmi, identifier };
  }

  /**
   * Answers one R/P message, or null when the type is not one of them.
   * @returns the HTTP answer
   */
  function handle(type: string, path: string, req: ParsedRequest, reply: Reply, error: ErrorAnswer): Answer | null {
    switch (type) {
      case 'R001': {
        if (path !== EREFERRAL_PATHS.R001) return error('wrong_path', type);
        const ref = child(req.contents, 'referral');
        const lrn = valueAt(ref, 'lrn');
        if (!lrn) return error('missing_lrn', 'referral/lrn is required');
        const who = requesterAndSubject(req, error);
        if ('status' in who) return who;
        const category = valueAt(ref, 'category') ?? '';
        if (!CATEGORIES.has(category)) return error('invalid_category', 'unknown referral category');
        const code = valueAt(ref, 'diagnosis', 'code') ?? '';
        if (!ICD10_PATTERN.test(code)) return error('invalid_diagnosis', 'an ICD-10 diagnosis is required');
        if (category === REFERRAL_CATEGORY['7'] && !valueAt(ref, 'hospitalization', 'clinicalPathway')) return error('missing_clinical_pathway', 'a hospitalisation names the clinical pathway');
        if (category === REFERRAL_CATEGORY['3'] && !child(ref, 'consultation', 'qualification')?.attrs.value) return error('missing_qualification', 'a consultation names the specialty');
        const known = byLrn.get(`R:${lrn}`);
        if (known) return referralAnswer(reply, 'R002', referrals.get(known) as SimulatedReferral);
        const consulted = child(ref, 'consultation', 'qualification')?.attrs.value ?? child(ref, 'specializedActivities', 'qualification')?.attrs.value ?? null;
        const r: SimulatedReferral = { nrn: nextNrn('R'), lrn, category, status: 'active', requesterUin: who.pmi, requesterQualification: valueAt(child(req.contents, 'requester'), 'qualification') ?? '', consultedQualification: consulted, subjectIdentifier: who.identifier, diagnosisCode: code, authoredOn: valueAt(ref, 'authoredOn') ?? '', cancelReason: null };
        referrals.set(r.nrn, r);
        byLrn.set(`R:${lrn}`, r.nrn);
        return referralAnswer(reply, 'R002', r);
      }
      case 'R007':
      case 'R009': {
        if (path !== EREFERRAL_PATHS[type]) return error('wrong_path', type);
        const r = referrals.get(valueAt(req.contents, 'nrnReferral') ?? '');
        if (!r) return error('unknown_referral', 'no referral with this NRN');
        if (type === 'R009') return referralAnswer(reply, 'R010', r);
        if (r.requesterUin !== req.header.senderId) return error('not_requester', 'only the issuing doctor cancels a referral');
        if (r.status === 'executed' || r.status === 'partly_executed') return error('already_executed', 'an executed referral cannot be cancelled');
        const reason = valueAt(req.contents, 'cancelReason');
        if (!reason) return error('missing_reason', 'cancelReason is required');
        // Idempotent: a retried cancel answers as before.
        r.status = 'cancelled';
        r.cancelReason = reason;
        return referralAnswer(reply, 'R008', r);
      }
      case 'P001': {
        if (path !== EPRESCRIPTION_PATHS.P001) return error('wrong_path', type);
        const pr = child(req.contents, 'prescription');
        const lrn = valueAt(pr, 'lrn');
        if (!lrn) return error('missing_lrn', 'prescription/lrn is required');
        const who = requesterAndSubject(req, error);
        if ('status' in who) return who;
        if (!ICD10_PATTERN.test(valueAt(pr, 'diagnosis') ?? '')) return error('invalid_diagnosis', 'an ICD-10 diagnosis is required');
        const meds = childrenNamed(child(pr, 'group'), 'medication');
        if (meds.length === 0) return error('no_medication', 'at least one medication');
        const codes: string[] = [];
        const names: string[] = [];
        for (const m of meds) {
          const c = child(m, 'medicationCode')?.attrs.value;
          names.push(child(m, 'medicationCode')?.attrs.name ?? c ?? '');
          const qty = Number(valueAt(m, 'quantityValue'));
          if (!c) return error('missing_medication_code', 'medicationCode is required');
          if (!Number.isInteger(qty) || qty < 1) return error('invalid_quantity', 'whole packages only');
          codes.push(c);
        }
        if (valueAt(pr, 'isProtocolBased') === 'true' && !valueAt(pr, 'protocolNumber')) return error('missing_protocol', 'a protocol-based prescription names its protocol');
        const known = byLrn.get(`P:${lrn}`);
        if (known) return prescriptionAnswer(reply, 'P002', prescriptions.get(known) as SimulatedPrescription);
        const p: SimulatedPrescription = { nrn: nextNrn('P'), lrn, status: 'active', requesterUin: who.pmi, requesterQualification: valueAt(child(req.contents, 'requester'), 'qualification') ?? '', subjectIdentifier: who.identifier, authoredOn: valueAt(pr, 'authoredOn') ?? '', diagnosisCode: valueAt(pr, 'diagnosis') ?? '', medicationCodes: codes, medicationNames: names, dispensations: [] };
        prescriptions.set(p.nrn, p);
        byLrn.set(`P:${lrn}`, p.nrn);
        return prescriptionAnswer(reply, 'P002', p);
      }
      case 'R015': {
        if (path !== EREFERRAL_PATHS.R015) return error('wrong_path', type);
        const q = patientQuery(req);
        if (!q) return error('missing_subject', 'the patient identifier and its type are required');
        const found = [...referrals.values()].filter((r) => r.subjectIdentifier === q.identifier && inPeriod(r.authoredOn, q.from, q.to));
        return { status: 200, body: reply('R016', [{ name: 'nhis:results', children: found.map(referralFetched) }]) };
      }
      case 'P007':
      case 'P017': {
        if (path !== EPRESCRIPTION_PATHS[type]) return error('wrong_path', type);
        if (type === 'P017' && !valueAt(req.contents, 'nrnPrescription')) {
          const q = patientQuery(req);
          if (!q) return error('missing_query', 'nrnPrescription or the patient identifier');
          const found = [...prescriptions.values()].filter((p) => p.subjectIdentifier === q.identifier && inPeriod(p.authoredOn, q.from, q.to));
          return { status: 200, body: reply('P018', [{ name: 'nhis:results', children: found.map(prescriptionFetched) }]) };
        }
        const p = prescriptions.get(valueAt(req.contents, 'nrnPrescription') ?? '');
        if (!p) return error('unknown_prescription', 'no prescription with this NRN');
        if (type === 'P017') return prescriptionAnswer(reply, 'P018', p);
        if (p.requesterUin !== req.header.senderId) return error('not_requester', 'only the prescribing doctor cancels a prescription');
        if (p.dispensations.length > 0) return error('already_dispensed', 'a dispensed prescription cannot be cancelled');
        if (!valueAt(req.contents, 'revokeReason')) return error('missing_reason', 'revokeReason is required');
        p.status = 'cancelled';
        return prescriptionAnswer(reply, 'P008', p);
      }
      default:
        return null;
    }
  }

  const control: DocumentsSimulatorControl = {
    referrals: () => [...referrals.values()].map((r) => ({ ...r })),
    prescriptions: () => [...prescriptions.values()].map((p) => ({ ...p, medicationCodes: [...p.medicationCodes], medicationNames: [...p.medicationNames], dispensations: [...p.dispensations] })),
    executeReferral(nrn) {
      const r = referrals.get(nrn);
      if (r && r.status === 'active') r.status = 'executed';
    },
    dispense(nrn, d) {
      const p = prescriptions.get(nrn);
      if (p && p.status !== 'cancelled') {
        p.dispensations.push(d);
        p.status = 'dispensed';
      }
    },
    recordReferralElsewhere(input) {
      const nrn = nextNrn('R');
      referrals.set(nrn, { ...input, nrn, lrn: `elsewhere-${nrn}`, status: input.status ?? 'active', cancelReason: null });
      return nrn;
    },
    recordPrescriptionElsewhere(input) {
      const nrn = nextNrn('P');
      prescriptions.set(nrn, { ...input, nrn, lrn: `elsewhere-${nrn}`, status: input.status ?? 'active', dispensations: [] });
      return nrn;
    },
  };

  function reset() {
    counter = 0;
    referrals.clear();
    prescriptions.clear();
    byLrn.clear();
  }

  return { handle, control, reset };
}
