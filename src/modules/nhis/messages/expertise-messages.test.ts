import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../../platform/clock.js';
import { sequentialIds } from '../../../platform/ids.js';
import { createNhisSimulator, NhisRejectedError, NhisUnavailableError } from '../index.js';
import { parseXml, valueAt, child } from '../xml.js';
import { createExpertiseNhisClient } from './expertise-client.js';
import { buildC041, buildX011, parseExpertiseReply, type SickLeaveMessage } from './expertise-messages.js';

const UIN = '2300012345';
const leave: SickLeaveMessage = {
  lrn: '0193a000-0000-7000-8000-00000000000a',
  examinationRef: '0193a000-0000-7000-8000-00000000000b',
  kind: 'illness',
  startDate: '2026-11-24',
  endDate: '2026-12-07',
  days: 14,
  issueDate: '2026-11-24',
  retroactive: false,
  diagnosisCode: 'J06.9',
  employer: { name: 'Фирма „Лекс“ ЕООД', address: 'София, ул. Шипка 1', jobTitle: 'счетоводител' },
  subject: { identifierType: 'egn', identifier: '7501020018', birthDate: '1975-01-02', gender: 'female' },
  performer: { uin: UIN, practiceNumber: '2201211001' },
};
const notice = { lrn: '0193a000-0000-7000-8000-00000000000c', purpose: 'sport', issueDate: '2026-11-24', note: 'Здрав, може да спортува', subject: leave.subject, performer: leave.performer };

function setup() {
  const clock = fixedClock('2026-11-24T08:30:00Z');
  const ids = sequentialIds('bb');
  const sim = createNhisSimulator({ clock, ids });
  return { sim, client: createExpertiseNhisClient({ transport: sim.transport, clock, ids }) };
}
const header = { messageId: 'm1', createdOn: '2026-11-24T08:30:00Z', senderId: UIN, senderISName: 'Distansia' };

describe('NHIS X011 sick leave and C041/C045 medical notices', () => {
  it('X011 carries the period, diagnosis and employer exactly (escaped)', () => {
    const root = parseXml(buildX011(header, leave));
    expect(valueAt(root, 'header', 'messageType')).toBe('X011');
    const sl = child(root, 'contents', 'sickLeave');
    expect([valueAt(sl, 'fromDate'), valueAt(sl, 'toDate'), valueAt(sl, 'days'), valueAt(sl, 'diagnosis', 'code')]).toEqual(['2026-11-24', '2026-12-07', '14', 'J06.9']);
    expect(valueAt(sl, 'employer', 'name')).toBe('Фирма „Лекс“ ЕООД');
    expect(valueAt(root, 'contents', 'subject', 'identifier')).toBe('7501020018');
  });

  it('the simulator records X011 once per lrn (a retry gets the same NRN) and refuses a wrong period', async () => {
    const { sim, client } = setup();
    const a = await client.recordSickLeave(UIN, leave);
    expect(a.nrn).toMatch(/^26SL\d{8}$/);
    expect(await client.recordSickLeave(UIN, leave)).toEqual(a);
    await expect(client.recordSickLeave(UIN, { ...leave, lrn: 'x2', days: 13 })).rejects.toMatchObject({ reason: 'invalid_days' });
    await expect(client.recordSickLeave(UIN, { ...leave, lrn: 'x3', diagnosisCode: 'flu' })).rejects.toBeInstanceOf(NhisRejectedError);
    await expect(client.recordSickLeave(UIN, { ...leave, lrn: 'x4', employer: { ...leave.employer, address: '' } })).rejects.toMatchObject({ reason: 'missing_employer' });
    // The performer must be the sender.
    await expect(client.recordSickLeave('2300099999', { ...leave, lrn: 'x5' })).rejects.toMatchObject({ reason: 'invalid_pmi' });
    expect(sim.control.expertise()).toHaveLength(1);
    expect(sim.control.received()['X011']).toBe(6);
  });

  it('C041 issues a notice, C045 cancels it (only by its issuer, idempotently); an unknown NRN is refused', async () => {
    const { sim, client } = setup();
    const { nrn } = await client.issueMedicalNotice(UIN, notice);
    expect(nrn).toMatch(/^26MN\d{8}$/);
    await expect(client.cancelMedicalNotice('2300099999', { nrn, reason: 'грешка' })).rejects.toMatchObject({ reason: 'not_performer' });
    await client.cancelMedicalNotice(UIN, { nrn, reason: 'грешка' });
    await client.cancelMedicalNotice(UIN, { nrn, reason: 'грешка' });
    expect(sim.control.expertise()).toMatchObject([{ type: 'medical_notice', nrn, status: 'cancelled' }]);
    await expect(client.cancelMedicalNotice(UIN, { nrn: '26MN99999999', reason: 'x' })).rejects.toMatchObject({ reason: 'unknown_notice' });
  });

  it('the simulator can fail: 503 is unavailable (retried by the outbox), X099 is a rejection', async () => {
    const { sim, client } = setup();
    sim.control.failNext(1, 'unavailable');
    await expect(client.issueMedicalNotice(UIN, notice)).rejects.toBeInstanceOf(NhisUnavailableError);
    sim.control.failNext(1, 'reject');
    await expect(client.issueMedicalNotice(UIN, notice)).rejects.toBeInstanceOf(NhisRejectedError);
    expect((await client.issueMedicalNotice(UIN, notice)).nrn).toMatch(/MN/);
  });

  it('parses an error reply and a malformed reply', () => {
    expect(parseExpertiseReply(buildC041(header, notice))).toMatchObject({ ok: false, reason: 'malformed_reply' });
  });
});
