import { describe, expect, it } from 'vitest';
import type { Lkk, LkkCase, LkkMonthlyReport, MedicalNotice, SickLeave, TelkCase } from '../../contracts/sick-leave.js';
import { renderLkkProtocolPdf, renderSickLeavePdf } from './expertise-pdf.js';
import { renderLkkReportPdf, renderMedicalNoticePdf, renderTelkBundlePdf } from './expertise-lists-pdf.js';

const who = { name: 'Мария Иванова Петрова', identifierLabel: 'ЕГН', identifier: '8001010000', birthDate: '1980-01-01' };
const leave: SickLeave = {
  id: '0195f000-0000-7000-8000-000000000001', certificateSet: '0195f000-0000-7000-8000-000000000002', employerIndex: 0,
  patientId: '0195f000-0000-7000-8000-000000000003', facilityId: '0195f000-0000-7000-8000-000000000004',
  practitioner: { id: '0195f000-0000-7000-8000-000000000005', name: 'Виктория Илиева' }, encounterId: null, consultationId: '0195f000-0000-7000-8000-000000000006', lkkCaseId: null,
  kind: 'illness', capacity: 'gp', startOn: '2026-03-10', endOn: '2026-03-23', days: 14, issuedOn: '2026-03-10', retroactive: false, duplicateOf: null, marking: '',
  diagnosis: { code: 'J06.9', text: 'Остра инфекция' }, employer: { name: 'Лекс Консулт ЕООД', address: 'гр. София, ул. Шипка 1', jobTitle: 'счетоводител' },
  nhisStatus: 'recorded', nrn: '26SL0000001', createdAt: '2026-03-10T07:30:00.000Z',
};
const lkk: Lkk = { id: '0195f000-0000-7000-8000-000000000010', facilityId: leave.facilityId, name: 'ЛКК по вътрешни болести', orderRef: 'Заповед № РД-01-15/2026', members: [
  { practitionerId: '0195f000-0000-7000-8000-000000000011', role: 'chair', name: 'Петър Колев' },
  { practitionerId: '0195f000-0000-7000-8000-000000000012', role: 'member', name: 'Анна Тодорова' },
] };
const lkkCase: LkkCase = {
  id: '0195f000-0000-7000-8000-000000000020', lkkId: lkk.id, patientId: leave.patientId, fromFacilityId: leave.facilityId, fromPractitionerId: leave.practitioner.id,
  source: 'limit_14', ruleId: 'R-SL-01', request: { startOn: '2026-03-24', endOn: '2026-03-30', kind: 'illness', diagnosisCode: 'J06.9', employers: [leave.employer] },
  patientName: 'Мария Петрова', form6Needed: true, form6ReferralId: null, status: 'awaiting_signatures', sessionId: null, decision: 'extend', protocolNo: 7,
  protocol: { text: 'Продължава лечението', startOn: '2026-03-24', endOn: '2026-03-30' }, signatures: [{ practitionerId: '0195f000-0000-7000-8000-000000000011', signedAt: '2026-03-24T08:00:00.000Z' }], createdAt: '2026-03-23T10:00:00.000Z',
};
const isPdf = (b: Buffer) => b.subarray(0, 5).toString('latin1') === '%PDF-';

describe('sick-leave and ЛКК PDFs', () => {
  it('the certificate is a PDF with the embedded DejaVu font, the same bytes for the same data', async () => {
    const a = await renderSickLeavePdf(leave, who, 'АИППМП „Д-р Виктория Илиева“');
    expect(isPdf(a)).toBe(true);
    expect(a.toString('latin1')).toContain('DejaVuSans');
    expect((await renderSickLeavePdf(leave, who, 'АИППМП „Д-р Виктория Илиева“')).equals(a)).toBe(true);
  });

  it('R-SL-18: a duplicate prints differently from the original (marked "дубликат")', async () => {
    const original = await renderSickLeavePdf(leave, who, 'X');
    const duplicate = await renderSickLeavePdf({ ...leave, duplicateOf: leave.id, marking: 'дубликат' }, who, 'X');
    expect(isPdf(duplicate)).toBe(true);
    expect(duplicate.equals(original)).toBe(false);
  });

  it('the ЛКК protocol is a PDF; who has signed changes it', async () => {
    const one = await renderLkkProtocolPdf(lkkCase, lkk, who, { heldOn: '2026-03-24' }, 'Europe/Sofia');
    expect(isPdf(one)).toBe(true);
    const both = await renderLkkProtocolPdf({ ...lkkCase, status: 'decided', signatures: [...lkkCase.signatures, { practitionerId: '0195f000-0000-7000-8000-000000000012', signedAt: '2026-03-24T08:05:00.000Z' }] }, lkk, who, { heldOn: '2026-03-24' }, 'Europe/Sofia');
    expect(both.equals(one)).toBe(false);
  });

  it('R-TELK-10: the bundle list (опис) is a PDF; ticking an item changes it', async () => {
    const telk: TelkCase = {
      id: '0195f000-0000-7000-8000-000000000030', patientId: leave.patientId, facilityId: leave.facilityId, practitionerId: leave.practitioner.id, route: 'gp', temporaryIncapacityPreceded: false,
      requestedOn: '2026-04-07', earliestOn: '2026-04-07', dueOn: '2026-05-07', clockSuspended: false, scheduledOn: null, checklist: { identity_document: true },
      missing: ['medical_documents', 'last_12_months_tests', 'diseases_list', 'medications_list'], registryAddress: 'permanent', diagnoses: [{ code: 'I10', documented: true, presentAtExam: true }],
      medications: ['Лизиноприл 10 mg'], missingConsultations: ['Кардиолог'], form6Needed: true, status: 'preparing', completedOn: null, dossierLentOn: null, dossierDueOn: null, dossierReturnedOn: null, createdAt: '2026-04-07T07:00:00.000Z',
    };
    const a = await renderTelkBundlePdf(telk, who, 'X');
    expect(isPdf(a)).toBe(true);
    expect((await renderTelkBundlePdf(telk, who, 'X')).equals(a)).toBe(true);
    expect((await renderTelkBundlePdf({ ...telk, checklist: { ...telk.checklist, medical_documents: true }, missing: telk.missing.slice(1) }, who, 'X')).equals(a)).toBe(false);
  });

  it('a medical notice prints; a cancelled one prints differently', async () => {
    const n: MedicalNotice = { id: '0195f000-0000-7000-8000-000000000040', patientId: leave.patientId, facilityId: leave.facilityId, practitionerId: leave.practitioner.id, encounterId: '0195f000-0000-7000-8000-000000000041', purpose: 'sport', issuedOn: '2026-04-07', text: 'Клинично здрав.', validUntil: '2027-04-07', status: 'issued', nhisStatus: 'recorded', nrn: '26N0000001', createdAt: '2026-04-07T07:00:00.000Z' };
    const issuer = { name: 'Виктория Илиева', uin: '1740840506', facilityName: 'X' };
    const a = await renderMedicalNoticePdf(n, who, issuer);
    expect(isPdf(a)).toBe(true);
    expect((await renderMedicalNoticePdf({ ...n, status: 'cancelled' }, who, issuer)).equals(a)).toBe(false);
  });

  it('R-133: the monthly report is a PDF, the same bytes for the same data', async () => {
    const report: LkkMonthlyReport = { lkk, month: '2026-04', sessions: ['2026-04-07'], totals: { extend: 1 }, rows: [{
      caseId: lkkCase.id, protocolNo: 7, heldOn: '2026-04-07', patientName: 'Мария Петрова', identifierKind: 'egn', identifier: '8001010000', source: 'limit_14', decision: 'extend', inForce: true,
      period: { startOn: '2026-04-08', endOn: '2026-04-14' }, talon: { practitionerName: 'Виктория Илиева', practitionerUin: '1740840506', facilityName: 'X', facilityNumber: '2267950689', diagnosisCode: 'M54.5', form6ReferralId: null },
    }] };
    const a = await renderLkkReportPdf(report, new Map(), '2026-05-01T07:00:00Z');
    expect(isPdf(a)).toBe(true);
    expect((await renderLkkReportPdf(report, new Map(), '2026-05-01T07:00:00Z')).equals(a)).toBe(true);
  });
});
