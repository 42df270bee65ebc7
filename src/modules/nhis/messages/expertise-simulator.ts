import type { Clock } from '../../../platform/clock.js';
import type { XmlNode } from '../xml.js';
import { v } from '../xml.js';
import { child, valueAt, type ParsedRequest } from '../nhis-messages.js';
import { EXPERTISE_PATHS } from './expertise-messages.js';

/** A sick leave or medical notice as the simulated NHIS holds it. */
export interface SimulatedExpertiseRecord {
  type: 'sick_leave' | 'medical_notice';
  nrn: string;
  lrn: string;
  performerUin: string;
  subjectIdentifier: string;
  status: 'active' | 'cancelled';
  days?: number;
}

const ICD10 = /^[A-Z][0-9]{2}(\.[0-9A-Z]{1,4})?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The simulator's answers to X011, C041 and C045: it checks what the NHIS is documented to check for
 * these messages (identifiers, the performer's UIN, dates, the ICD-10 code, the employer, a known notice
 * before a cancel), is idempotent on the local reference, and keeps the records in memory.
 * @param deps - clock (NRN year) and the simulator's reply builders
 * @returns the handler, its records and reset
 */
export function createExpertiseSimulation(deps: { clock: Clock; reply: (type: string, contents: (XmlNode | null)[]) => string; error: (reason: string, message: string) => { status: number; body: string } }) {
  const byNrn = new Map<string, SimulatedExpertiseRecord>();
  const byLrn = new Map<string, string>();
  let counter = 0;
  const nextNrn = (tag: 'SL' | 'MN') => {
    counter += 1;
    const yy = deps.clock.now().toZonedDateTimeISO('UTC').year % 100;
    return `${String(yy).padStart(2, '0')}${tag}${String(counter).padStart(8, '0')}`;
  };
  const ok = (type: string, element: 'sickLeave' | 'medicalNotice', r: SimulatedExpertiseRecord) => ({
    status: 200,
    body: deps.reply(type, [{ name: 'nhis:results', children: [{ name: `nhis:${element}`, children: [v('nhis:lrn', r.lrn), v(element === 'sickLeave' ? 'nhis:nrnSickLeave' : 'nhis:nrnMedicalNotice', r.nrn), v('nhis:status', r.status)] }] }]),
  });

  function subjectAndPerformer(req: ParsedRequest): { identifier: string; pmi: string } | { status: number; body: string } {
    const subject = child(req.contents, 'subject');
    const identifier = valueAt(subject, 'identifier');
    if (!identifier || !valueAt(subject, 'identifierType')) return deps.error('missing_subject', 'subject identifier is required');
    const pmi = valueAt(child(req.contents, 'performer'), 'pmi');
    if (!pmi || !/^\d{9,10}$/.test(pmi) || pmi !== req.header.senderId) return deps.error('invalid_pmi', 'performer/pmi must be the sender’s UIN');
    return { identifier, pmi };
  }

  function handle(type: 'X011' | 'C041' | 'C045', path: string, req: ParsedRequest): { status: number; body: string } {
    if (path !== EXPERTISE_PATHS[type]) return deps.error('wrong_path', type);
    if (type === 'X011') {
      const sl = child(req.contents, 'sickLeave');
      const lrn = valueAt(sl, 'lrn');
      if (!lrn) return deps.error('missing_lrn', 'sickLeave/lrn is required');
      const who = subjectAndPerformer(req);
      if ('status' in who) return who;
      const from = valueAt(sl, 'fromDate') ?? '';
      const to = valueAt(sl, 'toDate') ?? '';
      const days = Number(valueAt(sl, 'days'));
      if (!DATE.test(from) || !DATE.test(to) || to < from) return deps.error('invalid_period', 'fromDate and toDate must be dates, toDate not before fromDate');
      const span = Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;
      if (days !== span) return deps.error('invalid_days', 'days must equal the period');
      if (!ICD10.test(valueAt(sl, 'diagnosis', 'code') ?? '')) return deps.error('invalid_diagnosis', 'an ICD-10 diagnosis is required');
      const employer = child(sl, 'employer');
      if (!valueAt(employer, 'name') || !valueAt(employer, 'address') || !valueAt(employer, 'position')) return deps.error('missing_employer', 'employer name, address and position are required');
      const known = byLrn.get(lrn);
      if (known) return ok('X012', 'sickLeave', byNrn.get(known) as SimulatedExpertiseRecord);
      const r: SimulatedExpertiseRecord = { type: 'sick_leave', nrn: nextNrn('SL'), lrn, performerUin: who.pmi, subjectIdentifier: who.identifier, status: 'active', days };
      byNrn.set(r.nrn, r);
      byLrn.set(lrn, r.nrn);
      return ok('X012', 'sickLeave', r);
    }
    const mn = child(req.contents, 'medicalNotice');
    if (type === 'C041') {
      const lrn = valueAt(mn, 'lrn');
      if (!lrn) return deps.error('missing_lrn', 'medicalNotice/lrn is required');
      const who = subjectAndPerformer(req);
      if ('status' in who) return who;
      if (!valueAt(mn, 'purpose') || !DATE.test(valueAt(mn, 'issueDate') ?? '')) return deps.error('invalid_notice', 'purpose and issueDate are required');
      const known = byLrn.get(lrn);
      if (known) return ok('C042', 'medicalNotice', byNrn.get(known) as SimulatedExpertiseRecord);
      const r: SimulatedExpertiseRecord = { type: 'medical_notice', nrn: nextNrn('MN'), lrn, performerUin: who.pmi, subjectIdentifier: who.identifier, status: 'active' };
      byNrn.set(r.nrn, r);
      byLrn.set(lrn, r.nrn);
      return ok('C042', 'medicalNotice', r);
    }
    const r = byNrn.get(valueAt(mn, 'nrnMedicalNotice') ?? '');
    if (!r || r.type !== 'medical_notice') return deps.error('unknown_notice', 'no medical notice with this NRN');
    if (r.performerUin !== req.header.senderId) return deps.error('not_performer', 'only the issuer may cancel');
    if (!valueAt(mn, 'cancelReason')) return deps.error('missing_reason', 'cancelReason is required');
    r.status = 'cancelled'; // idempotent: a second cancel answers the same
    return ok('C046', 'medicalNotice', r);
  }

  return {
    handle,
    records: (): SimulatedExpertiseRecord[] => [...byNrn.values()].map((r) => ({ ...r })),
    reset() {
      byNrn.clear();
      byLrn.clear();
    },
  };
}
