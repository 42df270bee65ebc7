import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../platform/clock.js';
import { sequentialIds } from '../../platform/ids.js';
import { createNhisClient, createNhisSimulator, NhisRejectedError, NhisUnavailableError, type NhisExchange } from './index.js';
import { buildX001, parseRequest } from './nhis-messages.js';
import { parseXml, XmlParseError, valueAt, writeXml } from './xml.js';

const open = {
  lrn: '0193a000-0000-7000-8000-000000000001',
  openDate: '2026-11-24T08:00:00Z',
  purpose: 'consultation' as const,
  subject: { identifierType: 'egn' as const, identifier: '7501020018', birthDate: '1975-01-02', gender: 'female' as const, givenName: 'Мария', familyName: 'Иванова' },
  performer: { uin: '2300012345', qualification: '1020', nhifCode: null, practiceNumber: '2201211001' },
};
const close = (nrn: string) => ({
  nrnExamination: nrn,
  closeDate: '2026-11-24T08:30:00Z',
  purpose: 'consultation' as const,
  diagnoses: [{ code: 'I10', rank: 1, clinicalStatus: 'active' as const, verificationStatus: 'confirmed' as const }],
  medicalHistory: 'Главоболие & „замайване“ <3 дни>',
});

function setup() {
  const clock = fixedClock('2026-11-24T08:30:00Z');
  const ids = sequentialIds('aa');
  const sim = createNhisSimulator({ clock, ids });
  const client = createNhisClient({ transport: sim.transport, clock, ids });
  const log: NhisExchange[] = [];
  return { clock, sim, client, log, push: (x: NhisExchange) => log.push(x) };
}

describe('NHIS examination messages and simulator', () => {
  it('builds X001 with class VR, the subject and the performer, escaping text', () => {
    const xml = buildX001({ messageId: 'm1', createdOn: '2026-11-24T08:00:00Z', senderId: '2300012345', senderISName: 'Distansia' }, { ...open, subject: { ...open.subject, familyName: 'O"Brien & <Co>' } });
    const req = parseRequest(xml);
    expect(req.header.messageType).toBe('X001');
    expect(valueAt(req.contents, 'examination', 'class')).toBe('9');
    expect(valueAt(req.contents, 'subject', 'identifierType')).toBe('1');
    expect(valueAt(req.contents, 'subject', 'name', 'family')).toBe('O"Brien & <Co>');
    expect(valueAt(req.contents, 'performer', 'pmi')).toBe('2300012345');
  });

  it('opens and closes an examination and returns the national reference number', async () => {
    const { sim, client, push, log } = setup();
    const { nrn } = await client.openExamination('2300012345', open, push);
    expect(nrn).toMatch(/^26SIM\d{7}$/);
    expect((await client.closeExamination('2300012345', close(nrn), push)).nrn).toBe(nrn);
    expect(sim.control.examinations()[0]).toMatchObject({ nrn, status: 'closed', diagnosisCodes: ['I10'] });
    expect(log.map((l) => `${l.messageType}:${l.outcome}`)).toEqual(['X001:ok', 'X003:ok']);
  });

  it('answers a retried X001 (same lrn) with the same NRN', async () => {
    const { client, push } = setup();
    const a = await client.openExamination('2300012345', open, push);
    const b = await client.openExamination('2300012345', open, push);
    expect(b.nrn).toBe(a.nrn);
  });

  it('can be told to be unavailable (retryable) or to reject (not retryable)', async () => {
    const { sim, client, push, log, clock } = setup();
    sim.control.failNext(1);
    await expect(client.openExamination('2300012345', open, push)).rejects.toBeInstanceOf(NhisUnavailableError);
    sim.control.failNext(1, 'reject');
    await expect(client.openExamination('2300012345', open, push)).rejects.toBeInstanceOf(NhisRejectedError);
    sim.control.unavailableUntil('2026-11-24T09:00:00Z');
    await expect(client.openExamination('2300012345', open, push)).rejects.toBeInstanceOf(NhisUnavailableError);
    clock.set('2026-11-24T09:00:00Z');
    await expect(client.openExamination('2300012345', open, push)).resolves.toHaveProperty('nrn');
    expect(log.map((l) => l.outcome)).toEqual(['unavailable', 'error', 'unavailable', 'ok']);
  });

  it('refuses what the NHIS checks: closing an unknown examination, no diagnosis, another performer', async () => {
    const { client, push } = setup();
    await expect(client.closeExamination('2300012345', close('26SIM9999999'), push)).rejects.toMatchObject({ reason: 'unknown_examination' });
    const { nrn } = await client.openExamination('2300012345', open, push);
    await expect(client.closeExamination('2300012345', { ...close(nrn), diagnoses: [] }, push)).rejects.toMatchObject({ reason: 'invalid_diagnosis' });
    await expect(client.closeExamination('2200099999', close(nrn), push)).rejects.toMatchObject({ reason: 'not_performer' });
    await expect(client.correctExamination('2300012345', close(nrn), push)).rejects.toMatchObject({ reason: 'not_closed' });
    await client.closeExamination('2300012345', close(nrn), push);
    await expect(client.correctExamination('2300012345', { ...close(nrn), diagnoses: [{ code: 'I11.9', rank: 1, clinicalStatus: 'active', verificationStatus: 'confirmed' }] }, push)).resolves.toEqual({ nrn });
  });
});

describe('X013 offline, X005 fetch, X007 cancel (docs/nhis.md: shapes assumed beyond the public field lists)', () => {
  const { nrnExamination: _unused, ...closing } = close('');
  it('X013 opens and closes in one message, once per lrn, and X005 finds it by the patient', async () => {
    const { sim, client, push, log } = setup();
    const { nrn } = await client.submitOffline('2300012345', open, closing, push);
    expect((await client.submitOffline('2300012345', open, closing, push)).nrn).toBe(nrn);
    expect(sim.control.examinations()).toMatchObject([{ nrn, status: 'closed', offline: true, diagnosisCodes: ['I10'] }]);
    const found = await client.fetchExaminations('2200099999', { identifierType: 'egn', identifier: '7501020018', fromDate: '2026-11-01' }, push);
    expect(found).toMatchObject([{ nrnExamination: nrn, status: 'closed', performerUin: '2300012345', diagnoses: [{ code: 'I10', rank: 1 }] }]);
    expect(await client.fetchExaminations('2200099999', { identifierType: 'egn', identifier: '7501020018', toDate: '2026-10-31' }, push)).toEqual([]);
    expect(log.map((l) => l.messageType)).toEqual(['X013', 'X013', 'X005', 'X005']);
  });
  it('X013 after an X001 closes that examination; it needs a diagnosis and the performer as sender', async () => {
    const { sim, client, push } = setup();
    const { nrn } = await client.openExamination('2300012345', open, push);
    await expect(client.submitOffline('2300012345', open, { ...closing, diagnoses: [] }, push)).rejects.toMatchObject({ reason: 'invalid_diagnosis' });
    await expect(client.submitOffline('2200099999', open, closing, push)).rejects.toMatchObject({ reason: 'not_performer' });
    expect((await client.submitOffline('2300012345', open, closing, push)).nrn).toBe(nrn);
    expect(sim.control.examinations()).toHaveLength(1);
  });
  it('X007 cancels for the performer only, with a reason; a cancelled examination cannot be corrected', async () => {
    const { client, push } = setup();
    const { nrn } = await client.submitOffline('2300012345', open, closing, push);
    await expect(client.cancelExamination('2200099999', { nrnExamination: nrn, cancelReason: 'грешка' }, push)).rejects.toMatchObject({ reason: 'not_performer' });
    await expect(client.cancelExamination('2300012345', { nrnExamination: nrn, cancelReason: '' }, push)).rejects.toMatchObject({ reason: 'missing_reason' });
    expect(await client.cancelExamination('2300012345', { nrnExamination: nrn, cancelReason: 'въведен по погрешка' }, push)).toEqual({ nrn, status: 'cancelled' });
    await expect(client.correctExamination('2300012345', close(nrn), push)).rejects.toMatchObject({ reason: 'cancelled' });
    expect(await client.fetchExaminations('2300012345', { nrnExamination: nrn }, push)).toMatchObject([{ status: 'cancelled' }]);
  });
});

describe('xml reader', () => {
  it('refuses DOCTYPE (no entity expansion) and malformed input', () => {
    expect(() => parseXml('<!DOCTYPE x [<!ENTITY a "b">]><x/>')).toThrow(XmlParseError);
    expect(() => parseXml('<a><b></a>')).toThrow(XmlParseError);
    expect(() => parseXml('<a>')).toThrow(XmlParseError);
  });
  it('reads attributes, entities, CDATA and nested elements', () => {
    const root = parseXml('<?xml version="1.0"?><!-- c --><r a="1 &amp; 2"><k value=\'&#1041;\'/><t><![CDATA[<x>]]></t></r>');
    expect(root.attrs.a).toBe('1 & 2');
    expect(valueAt(root, 'k')).toBe('Б');
    expect(root.children[1]?.text).toBe('<x>');
  });
  it('refuses undeclared named entities and a second root element', () => {
    expect(() => parseXml('<a b="&nbsp;"/>')).toThrow(XmlParseError);
    expect(() => parseXml('<a/><b/>')).toThrow(XmlParseError);
    expect(() => parseXml('')).toThrow(XmlParseError);
  });
});

describe('xml writer', () => {
  it('keeps markup characters, line breaks and tabs of attribute values through a round trip', () => {
    const value = 'O"Brien & <Co>\r\nред 2\tтаб \'';
    const xml = writeXml({ name: 'nhis:message', attrs: { 'xmlns:nhis': 'https://www.his.bg' }, children: [{ name: 'nhis:note', attrs: { value, absent: undefined } }, null] });
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?><nhis:message xmlns:nhis="https://www.his.bg"><nhis:note value="')).toBe(true);
    expect(xml).not.toMatch(/[\r\n\t]/);
    const note = parseXml(xml).children[0];
    expect(note?.attrs).toEqual({ value });
  });
});
