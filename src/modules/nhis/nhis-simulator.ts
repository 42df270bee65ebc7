import { Temporal } from 'temporal-polyfill';
import type { Clock } from '../../platform/clock.js';
import type { IdGen } from '../../platform/ids.js';
import { NhisUnavailableError, type NhisTransport } from './nhis-client.js';
import { buildReply, child, childrenNamed, EXAMINATION_CLASS_VR, NHIS_PATHS, parseRequest, valueAt, type ParsedRequest } from './nhis-messages.js';
import { v, type XmlElement, type XmlNode } from './xml.js';
import { createExpertiseSimulation, type SimulatedExpertiseRecord } from './messages/expertise-simulator.js';
import { createDocumentsSimulator, type DocumentsSimulatorControl } from './messages/documents-simulator.js';

/** An examination as the simulator holds it. */
export interface SimulatedExamination {
  nrn: string;
  lrn: string;
  status: 'open' | 'closed' | 'cancelled';
  /** X013: recorded after the fact, in one message. */
  offline: boolean;
  performerUin: string;
  qualification: string;
  subjectIdentifier: string;
  openedAt: string;
  closedAt: string | null;
  diagnosisCodes: string[];
  corrections: number;
  cancelReason: string | null;
}

const STATUS_CODE = { open: '1', closed: '2', cancelled: '3' } as const;
const ICD10 = /^[A-Z][0-9]{2}(\.[0-9A-Z]{1,4})?[+*]?$/;

/** Instructions to the simulator, so tests and the demo can show retries and late recording. */
export interface NhisSimulatorControl {
  /** The next `count` messages fail: `unavailable` (HTTP 503, retried) or `reject` (X099, not retried). */
  failNext(count: number, mode?: 'unavailable' | 'reject'): void;
  /** Every message until this instant (by the injected clock) gets HTTP 503. */
  unavailableUntil(iso: string | null): void;
  /** Real wall-clock latency added to each reply (ms). */
  setLatency(ms: number): void;
  /** Back to a healthy, empty NHIS. */
  reset(): void;
  examinations(): SimulatedExamination[];
  /** How many messages arrived, by type. */
  received(): Record<string, number>;
  /** Sick leaves (X011) and medical notices (C041/C045) recorded. */
  expertise(): SimulatedExpertiseRecord[];
  /** E-referrals and e-prescriptions (R001/R007/R009/R015, P001/P007/P017): see messages/documents-simulator.ts. */
  documents: DocumentsSimulatorControl;
  /** Puts a closed examination another facility recorded into the record (tests and the demo); @returns its NRN. */
  recordExaminationElsewhere(e: Pick<SimulatedExamination, 'performerUin' | 'qualification' | 'subjectIdentifier' | 'openedAt' | 'diagnosisCodes'> & { closedAt?: string }): string;
}

/**
 * The bundled NHIS simulator: speaks the same X001/X003/X009 message shapes as the adapter sends and
 * answers X002/X004/X010 or X099, keeps examinations in memory, and can be told to fail or delay.
 * It validates what the NHIS is documented to check (§2.4): identifiers present, class VR, a known open
 * examination before close, at least one diagnosis with an ICD-10 code. It is not the NHIS: it does not
 * check КЕП signatures, nomenclature membership or insurance.
 * @param deps - clock (replies, unavailability windows) and ids
 * @returns a transport for the NHIS client and the control surface
 */
export function createNhisSimulator(deps: { clock: Clock; ids: IdGen }): { transport: NhisTransport; control: NhisSimulatorControl } {
  let failures: { count: number; mode: 'unavailable' | 'reject' } = { count: 0, mode: 'unavailable' };
  let downUntil: Temporal.Instant | null = null;
  let latencyMs = 0;
  let counter = 0;
  const byNrn = new Map<string, SimulatedExamination>();
  const byLrn = new Map<string, string>();
  const received = new Map<string, number>();
  const documents = createDocumentsSimulator({ clock: deps.clock });

  const reply = (type: string, contents: (XmlNode | null)[]) =>
    buildReply({ messageId: deps.ids.uuid(), messageType: type, createdOn: deps.clock.now().toString(), senderId: 'NHIS' }, contents);
  const error = (reason: string, message: string) => ({ status: 200, body: reply('X099', [{ name: 'nhis:error', children: [v('nhis:reason', reason), v('nhis:message', message)] }]) });
  const ok = (type: string, e: SimulatedExamination) => ({
    status: 200,
    body: reply(type, [{ name: 'nhis:results', children: [{ name: 'nhis:examination', children: [v('nhis:lrn', e.lrn), v('nhis:nrnExamination', e.nrn), v('nhis:status', STATUS_CODE[e.status])] }] }]),
  });
  // X006: what the national record shows of an examination (no free text of other doctors' notes).
  const fetched = (e: SimulatedExamination): XmlNode => ({
    name: 'nhis:examination',
    children: [
      v('nhis:nrnExamination', e.nrn),
      v('nhis:status', STATUS_CODE[e.status]),
      v('nhis:openDate', e.openedAt),
      v('nhis:closeDate', e.closedAt),
      { name: 'nhis:performer', children: [v('nhis:pmi', e.performerUin), v('nhis:qualification', e.qualification)] },
      ...e.diagnosisCodes.map((code, i): XmlNode => ({ name: 'nhis:diagnosis', children: [v('nhis:code', code), v('nhis:rank', i + 1)] })),
    ],
  });

  /** X001/X013 checks: lrn, class VR, the subject, the performer's UIN. */
  function openChecks(req: ParsedRequest): { lrn: string; identifier: string; pmi: string; qualification: string } | { status: number; body: string } {
    const exam = child(req.contents, 'examination');
    const lrn = valueAt(exam, 'lrn');
    if (!lrn) return error('missing_lrn', 'examination/lrn is required');
    if (valueAt(exam, 'class') !== EXAMINATION_CLASS_VR) return error('invalid_class', 'remote services are class VR');
    const subject = child(req.contents, 'subject');
    const identifier = valueAt(subject, 'identifier');
    if (!identifier || !valueAt(subject, 'identifierType')) return error('missing_subject', 'subject identifier is required');
    const performer = child(req.contents, 'performer');
    const pmi = valueAt(performer, 'pmi');
    if (!pmi || !/^\d{9,10}$/.test(pmi)) return error('invalid_pmi', 'performer/pmi must be a UIN');
    return { lrn, identifier, pmi, qualification: valueAt(performer, 'qualification') ?? '' };
  }

  const diagnosisCodes = (exam: XmlElement | undefined) => childrenNamed(exam, 'diagnosis').map((d) => valueAt(d, 'code') ?? '');
  const validDiagnoses = (codes: string[]) => codes.length > 0 && codes.every((c) => ICD10.test(c));

  // Sick leave X011 and medical notices C041/C045 (messages/expertise-simulator.ts).
  const expertise = createExpertiseSimulation({ clock: deps.clock, reply, error });

  function nextNrn(): string {
    counter += 1;
    // Looks like an NRN (12 characters: year + 10) and says it is simulated.
    const yy = deps.clock.now().toZonedDateTimeISO('UTC').year % 100;
    return `${String(yy).padStart(2, '0')}SIM${String(counter).padStart(7, '0')}`;
  }

  // Idempotency: a message resent with the same messageId (a transport retry after a lost reply) gets
  // the same reply and records nothing twice. Bounded, oldest first out.
  const repliesByMessageId = new Map<string, { status: number; body: string }>();
  const REMEMBERED_REPLIES = 10_000;

  function handle(path: string, xml: string): { status: number; body: string } {
    let req: ParsedRequest;
    try {
      req = parseRequest(xml);
    } catch {
      return error('invalid_xml', 'The message is not well-formed XML');
    }
    const key = req.header.messageId && req.header.senderId ? `${req.header.senderId}|${req.header.messageId}` : null;
    const seen = key ? repliesByMessageId.get(key) : undefined;
    if (seen) return seen;
    const answer = handleOnce(path, req);
    if (key) {
      repliesByMessageId.set(key, answer);
      if (repliesByMessageId.size > REMEMBERED_REPLIES) repliesByMessageId.delete(repliesByMessageId.keys().next().value as string);
    }
    return answer;
  }

  function handleOnce(path: string, req: ParsedRequest): { status: number; body: string } {
    const type = req.header.messageType;
    received.set(type, (received.get(type) ?? 0) + 1);
    if (!req.header.messageId || !req.header.senderId) return error('invalid_header', 'messageId and senderId are required');
    // E-referrals and e-prescriptions (R and P families) are answered by messages/documents-simulator.ts.
    const document = documents.handle(type, path, req, reply, error);
    if (document) return document;
    const exam = child(req.contents, 'examination');
    switch (type) {
      case 'X001':
      case 'X013': {
        if (path !== NHIS_PATHS[type]) return error('wrong_path', type);
        const o = openChecks(req);
        if ('status' in o) return o;
        const codes = diagnosisCodes(exam);
        if (type === 'X013') {
          if (o.pmi !== req.header.senderId) return error('not_performer', 'only the performer submits the examination');
          if (!validDiagnoses(codes)) return error('invalid_diagnosis', 'at least one ICD-10 diagnosis');
          if (!valueAt(exam, 'closeDate')) return error('missing_close_date', 'an offline examination is closed');
        }
        // Idempotent on lrn: a retried X001 gets the same NRN back; an X013 after an X001 closes that examination.
        const known = byLrn.get(o.lrn);
        const prior = known ? byNrn.get(known) : undefined;
        if (prior && type === 'X001') return ok('X002', prior);
        if (prior && prior.status !== 'open') return ok('X014', prior);
        const e: SimulatedExamination = prior ?? { nrn: nextNrn(), lrn: o.lrn, status: 'open', offline: false, performerUin: o.pmi, qualification: o.qualification, subjectIdentifier: o.identifier, openedAt: valueAt(exam, 'openDate') ?? deps.clock.now().toString(), closedAt: null, diagnosisCodes: [], corrections: 0, cancelReason: null };
        if (type === 'X013') {
          e.status = 'closed';
          e.offline = true;
          e.closedAt = deps.clock.now().toString();
          e.diagnosisCodes = codes;
        }
        byNrn.set(e.nrn, e);
        byLrn.set(o.lrn, e.nrn);
        return ok(type === 'X001' ? 'X002' : 'X014', e);
      }
      case 'X005': {
        if (path !== NHIS_PATHS.X005) return error('wrong_path', type);
        const nrn = valueAt(req.contents, 'nrnExamination');
        const identifier = valueAt(req.contents, 'identifier');
        if (!nrn && !identifier) return error('missing_query', 'nrnExamination or the patient identifier');
        const from = valueAt(req.contents, 'fromDate');
        const to = valueAt(req.contents, 'toDate');
        const found = nrn
          ? [byNrn.get(nrn)].filter((e): e is SimulatedExamination => e !== undefined)
          : [...byNrn.values()].filter((e) => e.subjectIdentifier === identifier && (!from || e.openedAt.slice(0, 10) >= from) && (!to || e.openedAt.slice(0, 10) <= to));
        return { status: 200, body: reply('X006', [{ name: 'nhis:results', children: found.map(fetched) }]) };
      }
      case 'X007': {
        if (path !== NHIS_PATHS.X007) return error('wrong_path', type);
        const e = byNrn.get(valueAt(req.contents, 'nrnExamination') ?? '');
        if (!e) return error('unknown_examination', 'no examination with this NRN');
        if (e.performerUin !== req.header.senderId) return error('not_performer', 'only the performer may cancel');
        const reason = valueAt(req.contents, 'cancelReason');
        if (!reason) return error('missing_reason', 'cancelReason is required');
        // Idempotent: a second cancel answers the same.
        e.status = 'cancelled';
        e.cancelReason = reason;
        return ok('X008', e);
      }
      case 'X003':
      case 'X009': {
        if (path !== NHIS_PATHS[type]) return error('wrong_path', type);
        const nrn = valueAt(exam, 'nrnExamination') ?? '';
        const e = byNrn.get(nrn);
        if (!e) return error('unknown_examination', 'no examination with this NRN');
        if (e.performerUin !== req.header.senderId) return error('not_performer', 'only the performer may close or correct');
        if (e.status === 'cancelled') return error('cancelled', 'the examination was cancelled');
        const codes = diagnosisCodes(exam);
        if (!validDiagnoses(codes)) return error('invalid_diagnosis', 'at least one ICD-10 diagnosis');
        if (type === 'X003') {
          // Idempotent: closing a closed examination again answers as before.
          if (e.status === 'closed') return ok('X004', e);
          e.status = 'closed';
          e.closedAt = deps.clock.now().toString();
        } else {
          if (e.status !== 'closed') return error('not_closed', 'only a closed examination can be corrected');
          e.corrections += 1;
        }
        e.diagnosisCodes = codes;
        return ok(type === 'X003' ? 'X004' : 'X010', e);
      }
      case 'X011':
      case 'C041':
      case 'C045':
        return expertise.handle(type, path, req);
      default:
        return error('unsupported_message', `message type ${type} is not simulated`);
    }
  }

  const transport: NhisTransport = {
    async post(path, xml) {
      if (latencyMs > 0) await new Promise((r) => setTimeout(r, latencyMs));
      if (downUntil && Temporal.Instant.compare(deps.clock.now(), downUntil) < 0) throw new NhisUnavailableError('simulated outage');
      if (failures.count > 0) {
        failures = { ...failures, count: failures.count - 1 };
        if (failures.mode === 'unavailable') return { status: 503, body: '' };
        return error('simulated_rejection', 'the simulator was told to reject this message');
      }
      return handle(path, xml);
    },
  };

  const control: NhisSimulatorControl = {
    failNext(count, mode = 'unavailable') {
      failures = { count, mode };
    },
    unavailableUntil(iso) {
      downUntil = iso ? Temporal.Instant.from(iso) : null;
    },
    setLatency(ms) {
      latencyMs = Math.max(0, ms);
    },
    reset() {
      failures = { count: 0, mode: 'unavailable' };
      downUntil = null;
      latencyMs = 0;
      byNrn.clear();
      byLrn.clear();
      received.clear();
      repliesByMessageId.clear();
      expertise.reset();
      documents.reset();
    },
    examinations: () => [...byNrn.values()].map((e) => ({ ...e, diagnosisCodes: [...e.diagnosisCodes] })),
    received: () => Object.fromEntries(received),
    expertise: () => expertise.records(),
    documents: documents.control,
    recordExaminationElsewhere(input) {
      const nrn = nextNrn();
      const e: SimulatedExamination = { ...input, diagnosisCodes: [...input.diagnosisCodes], nrn, lrn: `elsewhere-${nrn}`, status: 'closed', offline: false, closedAt: input.closedAt ?? input.openedAt, corrections: 0, cancelReason: null };
      byNrn.set(nrn, e);
      byLrn.set(e.lrn, nrn);
      return nrn;
    },
  };
  return { transport, control };
}
