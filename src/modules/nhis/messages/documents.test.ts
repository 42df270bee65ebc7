import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../../platform/clock.js';
import { sequentialIds } from '../../../platform/ids.js';
import { createNhisSimulator, NhisRejectedError, NhisUnavailableError } from '../index.js';
import { parseRequest } from '../nhis-messages.js';
import { child, valueAt } from '../xml.js';
import { createNhisDocumentsClient, type DocumentExchange } from './documents-client.js';
import { buildP001, buildP007, buildP017, parsePrescriptionFetchReply, parsePrescriptionReply, type PrescriptionIssue } from './eprescription.js';
import { buildR001, buildR007, buildR009, buildR015, parseReferralFetchReply, parseReferralReply, type ReferralIssue } from './ereferral.js';

const UIN = '0300012345';
const header = { messageId: 'm1', createdOn: '2026-03-05T08:00:00Z', senderId: UIN, senderISName: 'Distansia' };
const subject = { identifierType: 'egn' as const, identifier: '7501020018', birthDate: '1975-01-02', gender: 'female' as const, givenName: 'Мария', familyName: 'Иванова' };
const requester = { uin: UIN, qualification: '0000', nhifCode: '00', practiceNumber: '2201111001', rhifAreaNumber: '2201' };
const referral: ReferralIssue = { lrn: '0193a000-0000-7000-8000-0000000000r1', authoredOn: '2026-03-05', category: '3', financingSource: '2', qualification: '1020', diagnosisCode: 'I10', note: 'Кардиологична консултация & ЕКГ <спешно>', subject, requester };
const prescription: PrescriptionIssue = {
  lrn: '0193a000-0000-7000-8000-0000000000p1',
  authoredOn: '2026-03-05',
  category: 'T1',
  financingSource: '2',
  isProtocolBased: false,
  diagnosisCode: 'I10',
  medications: [{ medicationCode: 'DEMO-AML5', name: 'Amlodipine 5 mg tabl. x 30', quantity: 1, dosageText: '1 таблетка сутрин', days: 30, substitutionAllowed: true }],
  subject,
  requester,
};

function setup() {
  const clock = fixedClock('2026-03-05T08:30:00Z');
  const ids = sequentialIds('bb');
  const sim = createNhisSimulator({ clock, ids });
  const client = createNhisDocumentsClient({ transport: sim.transport, clock, ids });
  const log: DocumentExchange[] = [];
  return { sim, client, log, push: (x: DocumentExchange) => log.push(x) };
}

describe('NHIS e-referral and e-prescription messages', () => {
  it('builds R001 with category, consultation specialty, diagnosis, subject and requester, escaping text', () => {
    const req = parseRequest(buildR001(header, referral));
    expect(req.header.messageType).toBe('R001');
    const ref = child(req.contents, 'referral');
    expect(valueAt(ref, 'category')).toBe('R2');
    expect(child(ref, 'consultation', 'qualification')?.attrs.value).toBe('1020');
    expect(valueAt(ref, 'diagnosis', 'code')).toBe('I10');
    expect(valueAt(ref, 'note')).toBe('Кардиологична консултация & ЕКГ <спешно>');
    expect(valueAt(req.contents, 'requester', 'pmi')).toBe(UIN);
    expect(valueAt(req.contents, 'subject', 'identifier')).toBe('7501020018');
  });
  it('builds R007, R009, P001, P007 and P017 with their numbers', () => {
    expect(valueAt(parseRequest(buildR007(header, { nrnReferral: '26SIR0000001', cancelReason: 'грешка' })).contents, 'cancelReason')).toBe('грешка');
    expect(valueAt(parseRequest(buildR009(header, { nrnReferral: '26SIR0000001' })).contents, 'nrnReferral')).toBe('26SIR0000001');
    const p = parseRequest(buildP001(header, prescription));
    expect(child(p.contents, 'prescription', 'group', 'medication', 'medicationCode')?.attrs.name).toBe('Amlodipine 5 mg tabl. x 30');
    expect(valueAt(parseRequest(buildP007(header, { nrnPrescription: '26SIP0000001', revokeReason: 'x' })).contents, 'revokeReason')).toBe('x');
    expect(parseRequest(buildP017(header, { nrnPrescription: '26SIP0000001' })).header.messageType).toBe('P017');
  });
  it('parses an error reply and refuses a malformed one', () => {
    const err = '<?xml version="1.0"?><nhis:message xmlns:nhis="https://www.his.bg"><nhis:header><nhis:messageType value="R099"/></nhis:header><nhis:contents><nhis:error><nhis:reason value="bad"/><nhis:message value="why"/></nhis:error></nhis:contents></nhis:message>';
    expect(parseReferralReply(err)).toEqual({ ok: false, messageType: 'R099', reason: 'bad', message: 'why' });
    const empty = '<nhis:message xmlns:nhis="https://www.his.bg"><nhis:header><nhis:messageType value="P002"/></nhis:header><nhis:contents/></nhis:message>';
    expect(parsePrescriptionReply(empty)).toMatchObject({ ok: false, reason: 'malformed_reply' });
  });
});

describe('NHIS simulator: e-referrals', () => {
  it('R001 → R002 with a 12-character NRN, idempotent on lrn; R009 checks; R007 cancels', async () => {
    const { sim, client, log, push } = setup();
    const a = await client.issueReferral(UIN, referral, push);
    expect(a.nrn).toMatch(/^[0-9A-Z]{12}$/);
    expect(a.status).toBe('active');
    expect((await client.issueReferral(UIN, referral, push)).nrn).toBe(a.nrn);
    expect(sim.control.documents.referrals()).toHaveLength(1);
    expect((await client.checkReferral(UIN, a.nrn, push)).status).toBe('active');
    expect((await client.cancelReferral(UIN, { nrnReferral: a.nrn, cancelReason: 'грешна специалност' }, push)).status).toBe('cancelled');
    expect(log.map((x) => `${x.messageType}:${x.outcome}`)).toEqual(['R001:ok', 'R001:ok', 'R009:ok', 'R007:ok']);
  });
  it('refuses a referral with no ICD-10 code, a hospitalisation without pathway, and a requester who is not the sender', async () => {
    const { client, push } = setup();
    await expect(client.issueReferral(UIN, { ...referral, diagnosisCode: 'hypertension' }, push)).rejects.toMatchObject({ reason: 'invalid_diagnosis' });
    await expect(client.issueReferral(UIN, { ...referral, lrn: 'x2', category: '7' }, push)).rejects.toMatchObject({ reason: 'missing_clinical_pathway' });
    await expect(client.issueReferral('0300099999', { ...referral, lrn: 'x3' }, push)).rejects.toBeInstanceOf(NhisRejectedError);
  });
  it('an executed referral cannot be cancelled; only its requester cancels', async () => {
    const { sim, client, push } = setup();
    const { nrn } = await client.issueReferral(UIN, referral, push);
    await expect(client.cancelReferral('0300099999', { nrnReferral: nrn, cancelReason: 'x' }, push)).rejects.toMatchObject({ reason: 'not_requester' });
    sim.control.documents.executeReferral(nrn);
    expect((await client.checkReferral(UIN, nrn, push)).status).toBe('executed');
    await expect(client.cancelReferral(UIN, { nrnReferral: nrn, cancelReason: 'x' }, push)).rejects.toMatchObject({ reason: 'already_executed' });
  });
  it('an outage is NhisUnavailableError (retried), a told rejection NhisRejectedError (final)', async () => {
    const { sim, client, log, push } = setup();
    sim.control.failNext(1, 'unavailable');
    await expect(client.issueReferral(UIN, referral, push)).rejects.toBeInstanceOf(NhisUnavailableError);
    sim.control.failNext(1, 'reject');
    await expect(client.issueReferral(UIN, referral, push)).rejects.toBeInstanceOf(NhisRejectedError);
    expect((await client.issueReferral(UIN, referral, push)).status).toBe('active');
    expect(log.map((x) => x.outcome)).toEqual(['unavailable', 'error', 'ok']);
  });
});

describe('NHIS simulator: e-prescriptions', () => {
  it('P001 → P002, P017 shows the dispensing pharmacy, a dispensed prescription is not cancelled', async () => {
    const { sim, client, push } = setup();
    const { nrn, status } = await client.issuePrescription(UIN, prescription, push);
    expect(status).toBe('active');
    sim.control.documents.dispense(nrn, { pharmacyNumber: '2201000123', pharmacyName: 'Аптека „Здраве“', dispensedOn: '2026-03-06' });
    const fetched = await client.fetchPrescription(UIN, nrn, push);
    expect(fetched).toEqual({ nrn, status: 'dispensed', dispensations: [{ pharmacyNumber: '2201000123', pharmacyName: 'Аптека „Здраве“', dispensedOn: '2026-03-06' }] });
    await expect(client.cancelPrescription(UIN, { nrnPrescription: nrn, revokeReason: 'x' }, push)).rejects.toMatchObject({ reason: 'already_dispensed' });
  });
  it('the same lrn on a referral and a prescription gives two documents (lrn is per family)', async () => {
    const { sim, client, push } = setup();
    const r = await client.issueReferral(UIN, { ...referral, lrn: 'same' }, push);
    const p = await client.issuePrescription(UIN, { ...prescription, lrn: 'same' }, push);
    expect(r.nrn).not.toBe(p.nrn);
    expect(sim.control.documents.prescriptions()).toHaveLength(1);
  });
  it('P007 cancels an undispensed prescription; P001 refuses part packages and a protocol without number', async () => {
    const { client, push } = setup();
    const { nrn } = await client.issuePrescription(UIN, prescription, push);
    expect((await client.cancelPrescription(UIN, { nrnPrescription: nrn, revokeReason: 'грешка' }, push)).status).toBe('cancelled');
    await expect(client.issuePrescription(UIN, { ...prescription, lrn: 'p2', medications: [{ ...prescription.medications[0]!, quantity: 0 }] }, push)).rejects.toMatchObject({ reason: 'invalid_quantity' });
    await expect(client.issuePrescription(UIN, { ...prescription, lrn: 'p3', isProtocolBased: true }, push)).rejects.toMatchObject({ reason: 'missing_protocol' });
    await expect(client.fetchPrescription(UIN, '26SIP9999999', push)).rejects.toMatchObject({ reason: 'unknown_prescription' });
  });
});

describe('the national record by patient: R015 and P017 (Art. 13, R-TM-29; query shapes assumed, docs/nhis.md)', () => {
  const wrap = (type: string, results: string) =>
    `<?xml version="1.0"?><nhis:message xmlns:nhis="https://www.his.bg"><nhis:header><nhis:messageType value="${type}"/></nhis:header><nhis:contents><nhis:results>${results}</nhis:results></nhis:contents></nhis:message>`;

  it('builds R015 and P017 with the patient identifier type, identifier and period in the his.bg namespace', () => {
    const r = parseRequest(buildR015(header, { identifierType: 'egn', identifier: '7501020018', fromDate: '2024-11-25', toDate: '2026-11-25' }));
    expect(r.header.messageType).toBe('R015');
    expect(r.root.attrs['xmlns:nhis']).toBe('https://www.his.bg');
    expect([valueAt(r.contents, 'identifierType'), valueAt(r.contents, 'identifier'), valueAt(r.contents, 'fromDate'), valueAt(r.contents, 'toDate')]).toEqual(['1', '7501020018', '2024-11-25', '2026-11-25']);
    const p = parseRequest(buildP017(header, { identifierType: 'lnch', identifier: '1000000007' }));
    expect([p.header.messageType, valueAt(p.contents, 'identifierType'), valueAt(p.contents, 'nrnPrescription'), valueAt(p.contents, 'fromDate')]).toEqual(['P017', '2', undefined, undefined]);
  });

  it('parses R016 into referrals with the paper form, dates, doctors and diagnosis, and drops entries without NRN or known status', () => {
    const xml = wrap(
      'R016',
      '<nhis:referral><nhis:nrnReferral value="26SIR0000001"/><nhis:status value="3"/><nhis:category value="R2"/><nhis:authoredOn value="2026-10-01"/>' +
        '<nhis:consultation><nhis:qualification value="1020"/></nhis:consultation><nhis:diagnosis><nhis:code value="I10"/></nhis:diagnosis>' +
        '<nhis:requester><nhis:pmi value="0300012345"/><nhis:qualification value="0000"/></nhis:requester></nhis:referral>' +
        '<nhis:referral><nhis:status value="1"/></nhis:referral><nhis:referral><nhis:nrnReferral value="26SIR0000002"/><nhis:status value="9"/></nhis:referral>' +
        '<nhis:referral><nhis:nrnReferral value="26SIR0000003"/><nhis:status value="1"/><nhis:category value="R9"/></nhis:referral>',
    );
    expect(parseReferralFetchReply(xml)).toEqual({
      ok: true,
      messageType: 'R016',
      referrals: [
        { nrnReferral: '26SIR0000001', status: 'executed', form: '3', authoredOn: '2026-10-01', requesterUin: '0300012345', requesterQualification: '0000', consultedQualification: '1020', diagnosisCode: 'I10' },
        { nrnReferral: '26SIR0000003', status: 'active' },
      ],
    });
    expect(parseReferralFetchReply(wrap('R099', '').replace('<nhis:results></nhis:results>', '<nhis:error><nhis:reason value="x"/></nhis:error>'))).toMatchObject({ ok: false, reason: 'x' });
  });

  it('parses a P018 list with medicines by name; the single-prescription parser still reads P018 by number', () => {
    const one = '<nhis:prescription><nhis:nrnPrescription value="26SIP0000001"/><nhis:status value="3"/><nhis:authoredOn value="2026-09-10"/><nhis:diagnosis value="E11"/>' +
      '<nhis:group><nhis:medication><nhis:medicationCode value="DEMO-MET" name="Metformin 850 mg"/></nhis:medication><nhis:medication><nhis:medicationCode value="DEMO-X"/></nhis:medication></nhis:group>' +
      '<nhis:requester><nhis:pmi value="0300012345"/><nhis:qualification value="0000"/></nhis:requester></nhis:prescription>';
    expect(parsePrescriptionFetchReply(wrap('P018', one + '<nhis:prescription><nhis:nrnPrescription value="26SIP0000002"/></nhis:prescription>'))).toEqual({
      ok: true,
      messageType: 'P018',
      prescriptions: [{ nrnPrescription: '26SIP0000001', status: 'dispensed', authoredOn: '2026-09-10', requesterUin: '0300012345', requesterQualification: '0000', diagnosisCode: 'E11', medications: ['Metformin 850 mg', 'DEMO-X'] }],
    });
    expect(parsePrescriptionReply(wrap('P018', one))).toMatchObject({ ok: true, nrnPrescription: '26SIP0000001', status: 'dispensed' });
  });

  it('the simulator answers R015 and P017 by patient and period, with what other doctors issued too', async () => {
    const { sim, client, log, push } = setup();
    const r = await client.issueReferral(UIN, referral, push);
    const p = await client.issuePrescription(UIN, prescription, push);
    const elsewhere = sim.control.documents.recordReferralElsewhere({ category: 'R1', requesterUin: '0300099999', requesterQualification: '0000', consultedQualification: null, subjectIdentifier: '7501020018', diagnosisCode: 'E11', authoredOn: '2025-01-10' });
    sim.control.documents.recordReferralElsewhere({ category: 'R1', requesterUin: '0300099999', requesterQualification: '0000', consultedQualification: null, subjectIdentifier: '8001010000', diagnosisCode: 'E11', authoredOn: '2026-01-10' });
    const q = { identifierType: 'egn' as const, identifier: '7501020018' };
    expect((await client.fetchReferrals(UIN, q, push)).map((x) => x.nrnReferral).sort()).toEqual([r.nrn, elsewhere].sort());
    expect((await client.fetchReferrals(UIN, { ...q, fromDate: '2026-01-01' }, push)).map((x) => [x.nrnReferral, x.form, x.consultedQualification])).toEqual([[r.nrn, '3', '1020']]);
    expect(await client.fetchPrescriptions(UIN, q, push)).toEqual([{ nrnPrescription: p.nrn, status: 'active', authoredOn: '2026-03-05', requesterUin: UIN, requesterQualification: '0000', diagnosisCode: 'I10', medications: ['Amlodipine 5 mg tabl. x 30'] }]);
    expect(await client.fetchPrescriptions(UIN, { ...q, toDate: '2026-03-04' }, push)).toEqual([]);
    expect(log.slice(-4).map((x) => `${x.messageType}:${x.outcome}`)).toEqual(['R015:ok', 'R015:ok', 'P017:ok', 'P017:ok']);
    sim.control.failNext(1);
    await expect(client.fetchReferrals(UIN, q, push)).rejects.toBeInstanceOf(NhisUnavailableError);
  });
});
