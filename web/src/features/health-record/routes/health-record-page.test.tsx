// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { MemoryRouter, Route, Routes } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiProvider } from '../../../api/api-context.js';
import type { ApiClient } from '../../../api/client.js';
import { ApiError } from '../../../api/problem.js';
import { I18nProvider } from '../../../i18n/index.js';
import { messages } from '../../../i18n/messages.js';
import type { AccessApi } from '../../access/api.js';
import type { ClinicalDocument, HealthRecord, HealthRecordApi, HealthRecordEntry, Verification } from '../api.js';
import { HealthRecordPage } from './health-record-page.js';
import { HealthRecordDocumentPage } from './health-record-document-page.js';

const noStorage = { getItem: () => null, setItem: () => undefined };
const bg = messages.bg;
const P = '0190a000-0000-7000-8000-0000000000a1';
const CHILD = '0190a000-0000-7000-8000-0000000000a2';
const DOC = '0190a000-0000-7000-8000-0000000000d1';
const OLD = '0190a000-0000-7000-8000-0000000000d0';
const REQ = '0190a000-0000-7000-8000-0000000000e1';
const KEY = '0190a000-0000-7000-8000-0000000000f1';
const PRACT = '0190a000-0000-7000-8000-0000000000c1';
const FAC = '0190a000-0000-7000-8000-0000000000b1';

const entry: HealthRecordEntry = {
  documentId: DOC,
  kind: 'ambulatory_sheet',
  requestId: REQ,
  revision: 2,
  signedAt: '2026-11-24T09:00:00Z',
  performer: { name: 'Елена Петрова', uin: '2300000019', qualificationName: 'Кардиология', facilityName: 'МЦ „Св. Лука“ Телемедицина' },
  diagnoses: [
    { code: 'I10', title: 'Есенциална (първична) хипертония', rank: 'primary', clinicalStatus: 'active', verificationStatus: 'confirmed' },
    { code: 'R51', title: 'Главоболие', rank: 'additional', clinicalStatus: 'active', verificationStatus: 'confirmed' },
  ],
  medications: [{ name: 'Амлодипин 5 mg', dosage: '1 таблетка сутрин' }],
  recommendations: 'Домашно измерване два пъти дневно.',
  followUp: 'Контрол след 4 седмици.',
  summary: null,
  nrn: '26SIM0000001',
  history: [{ documentId: OLD, revision: 1, signedAt: '2026-11-24T08:30:00Z' }],
};

const record = (documents: HealthRecordEntry[], patientId = P): HealthRecord => ({ patientId, documents, diagnoses: [], medications: [], attachments: [] });

const body = {
  purpose: 'consultation' as const,
  anamnesis: 'Главоболие сутрин от 2 седмици.',
  objectiveFindings: 'По видео: в добро общо състояние.',
  diagnoses: entry.diagnoses,
  medications: entry.medications,
  therapy: 'Промяна в начина на живот.',
  recommendations: 'Домашно измерване два пъти дневно.',
  followUp: 'Контрол след 4 седмици.',
};

const doc: ClinicalDocument = {
  id: DOC,
  kind: 'ambulatory_sheet',
  requestId: REQ,
  patientId: P,
  facilityId: FAC,
  authorPractitionerId: PRACT,
  status: 'signed',
  revision: 2,
  replacesId: OLD,
  replacedById: null,
  body,
  content: {
    schema: 'distansia.clinical-document/1',
    documentId: DOC,
    kind: 'ambulatory_sheet',
    revision: 2,
    replaces: { documentId: OLD, sha256: 'c'.repeat(64), reason: 'Уточнен срок на контролния преглед' },
    requestId: REQ,
    examination: { class: 'VR', urgency: 'planned', mode: 'synchronous', completedAt: '2026-11-24T08:00:00Z' },
    subject: { patientId: P, identifierType: 'egn', identifier: '7501010010', givenName: 'Мария', familyName: 'Петрова', birthDate: '1975-01-01', sex: 'female' },
    performer: { practitionerId: PRACT, uin: '2300000019', givenName: 'Елена', familyName: 'Петрова', qualification: '1020', qualificationName: 'Кардиология', facilityId: FAC, practiceNumber: '2201001001', facilityName: 'МЦ „Св. Лука“ Телемедицина' },
    body,
    signedAt: '2026-11-24T09:00:00Z',
  },
  signature: { format: 'jws', level: 'advanced', keyId: KEY, alg: 'EdDSA', signedAt: '2026-11-24T09:00:00Z', contentSha256: 'a'.repeat(64), jws: 'eyJ.x.y' },
  nhis: { status: 'acknowledged', nrn: '26SIM0000001', attempts: 1, acknowledgedAt: '2026-11-24T09:05:00Z', lastError: null },
  createdAt: '2026-11-24T08:40:00Z',
  updatedAt: '2026-11-24T09:00:00Z',
  version: 3,
};

const verification = (valid: boolean): Verification => ({
  documentId: DOC,
  revision: 2,
  valid,
  checks: { signature: true, contentDigest: valid, header: true, chain: true },
  level: 'advanced',
  keyId: KEY,
  signer: { practitionerId: PRACT, uin: '2300000019' },
  certificate: null,
  signedAt: '2026-11-24T09:00:00Z',
  contentSha256: 'a'.repeat(64),
  replacedById: null,
});

const self = { patientId: P, basis: 'self' as const, linkId: null, givenName: 'Мария', familyName: 'Петрова' };

function renderWith(opts: { access?: Partial<AccessApi>; healthRecord?: Partial<HealthRecordApi>; path?: string }) {
  const client = {
    access: { actingFor: async () => ({ items: [self] }), ...opts.access },
    healthRecord: {
      get: async () => record([entry]),
      document: async () => doc,
      verify: async () => verification(true),
      pdfUrl: (id: string) => `/api/v1/records/documents/${id}/pdf`,
      fhirUrl: (id: string) => `/api/v1/patients/${id}/health-record/fhir`,
      ...opts.healthRecord,
    },
  } as unknown as ApiClient;
  return render(
    <I18nProvider storage={noStorage}>
      <ApiProvider client={client}>
        <MemoryRouter initialEntries={[opts.path ?? '/health-record']}>
          <Routes>
            <Route path="/health-record" element={<HealthRecordPage />} />
            <Route path="/health-record/documents/:documentId" element={<HealthRecordDocumentPage />} />
          </Routes>
        </MemoryRouter>
      </ApiProvider>
    </I18nProvider>,
  );
}

describe('HealthRecordPage', () => {
  afterEach(cleanup);

  it('lists each signed document with date, facility, specialist, ICD-10 diagnoses, medications and recommendations', async () => {
    const get = vi.fn(async () => record([entry]));
    renderWith({ healthRecord: { get } });
    const card = (await screen.findByRole('heading', { level: 3, name: bg['healthRecord.kind.ambulatory_sheet'] })).closest('li') as HTMLElement;
    expect(get).toHaveBeenCalledWith(P);
    const c = within(card);
    expect(c.getByText('МЦ „Св. Лука“ Телемедицина')).toBeTruthy();
    expect(c.getByText('Елена Петрова, Кардиология (УИН 2300000019)')).toBeTruthy();
    expect(c.getByText('I10').closest('li')?.textContent).toBe('I10 Есенциална (първична) хипертония (основна)');
    expect(c.getByText('R51').closest('li')?.textContent).toContain('(придружаваща)');
    expect(c.getByText('Амлодипин 5 mg – 1 таблетка сутрин')).toBeTruthy();
    expect(c.getByText('Домашно измерване два пъти дневно.')).toBeTruthy();
    expect(c.getByText('Контрол след 4 седмици.')).toBeTruthy();
    expect(c.getByText('26SIM0000001')).toBeTruthy();
    expect(c.getByText(bg['healthRecord.corrected'].replace('{revision}', '2'))).toBeTruthy();
    expect(card.querySelector('time')?.getAttribute('dateTime')).toBe('2026-11-24T09:00:00Z');
    expect(c.getByRole('link', { name: new RegExp(bg['healthRecord.open']) }).getAttribute('href')).toBe(`/health-record/documents/${DOC}`);
    expect(screen.getByRole('link', { name: bg['healthRecord.fhir'] }).getAttribute('href')).toBe(`/api/v1/patients/${P}/health-record/fhir`);
  });

  it('a representative picks which linked patient; the record of that patient is loaded', async () => {
    const get = vi.fn(async (patientId: string) => record(patientId === CHILD ? [] : [entry], patientId));
    renderWith({
      access: { actingFor: async () => ({ items: [{ patientId: P, basis: 'representative', linkId: OLD, givenName: 'Мария', familyName: 'Петрова' }, { patientId: CHILD, basis: 'representative', linkId: DOC, givenName: 'Иван', familyName: 'Петров' }] }) },
      healthRecord: { get },
    });
    await screen.findByRole('heading', { level: 3, name: bg['healthRecord.kind.ambulatory_sheet'] });
    fireEvent.change(screen.getByLabelText(bg['healthRecord.patient']), { target: { value: CHILD } });
    expect(await screen.findByText(bg['healthRecord.empty'])).toBeTruthy();
    expect(get).toHaveBeenLastCalledWith(CHILD);
    expect(screen.getByRole('link', { name: bg['healthRecord.fhir'] }).getAttribute('href')).toBe(`/api/v1/patients/${CHILD}/health-record/fhir`);
  });

  it('shows the empty state, and the server’s refusal as a problem', async () => {
    renderWith({ healthRecord: { get: async () => record([]) } });
    expect(await screen.findByText(bg['healthRecord.empty'])).toBeTruthy();
    cleanup();
    renderWith({ healthRecord: { get: async () => Promise.reject(new ApiError({ type: 'x', title: 'Нямате достъп', status: 403, code: 'auth.forbidden' })) } });
    const alert = await screen.findByRole('alert');
    expect(alert.getAttribute('data-problem-code')).toBe('auth.forbidden');
    expect(screen.queryByRole('link', { name: bg['healthRecord.fhir'] })).toBeNull();
  });

  it('tells a representative without links that there is no record to show', async () => {
    renderWith({ access: { actingFor: async () => ({ items: [] }) } });
    expect(await screen.findByText(bg['healthRecord.noPatients'])).toBeTruthy();
  });
});

describe('HealthRecordDocumentPage', () => {
  afterEach(cleanup);

  it('opening a document shows it read-only with the valid signature, its checks and the PDF copy', async () => {
    renderWith({ path: `/health-record/documents/${DOC}` });
    expect(await screen.findByRole('heading', { level: 1, name: bg['healthRecord.kind.ambulatory_sheet'] })).toBeTruthy();
    expect(screen.getByText('Главоболие сутрин от 2 седмици.')).toBeTruthy();
    expect(screen.getByText('По видео: в добро общо състояние.')).toBeTruthy();
    expect(screen.getByText('Промяна в начина на живот.')).toBeTruthy();
    expect(screen.getByText('Уточнен срок на контролния преглед')).toBeTruthy();
    expect(screen.getByText(/Мария Петрова, ЕГН 7501010010/)).toBeTruthy();
    const status = await screen.findByRole('status');
    expect(status.textContent).toBe(bg['healthRecord.signature.valid']);
    expect(status.getAttribute('data-valid')).toBe('true');
    expect(screen.getByText(`${bg['healthRecord.signature.check.contentDigest']}: ${bg['healthRecord.signature.ok']}`)).toBeTruthy();
    expect(screen.getByText(bg['healthRecord.signature.level.advanced'])).toBeTruthy();
    expect(screen.getByText('a'.repeat(64))).toBeTruthy();
    expect(screen.getByRole('link', { name: bg['healthRecord.pdf'] }).getAttribute('href')).toBe(`/api/v1/records/documents/${DOC}/pdf`);
    expect(screen.getByRole('link', { name: bg['healthRecord.document.openPrevious'] }).getAttribute('href')).toBe(`/health-record/documents/${OLD}`);
    expect(screen.getByRole('link', { name: new RegExp(bg['healthRecord.document.back']) }).getAttribute('href')).toBe(`/health-record?patient=${P}`);
    // read-only: nothing to type into, nothing to submit
    expect(screen.queryAllByRole('textbox')).toHaveLength(0);
    expect(screen.queryAllByRole('button')).toHaveLength(0);
  });

  it('a document that fails verification says so plainly, with the failing check', async () => {
    renderWith({ path: `/health-record/documents/${DOC}`, healthRecord: { verify: async () => verification(false) } });
    const status = await screen.findByRole('status');
    expect(status.textContent).toBe(bg['healthRecord.signature.invalid']);
    expect(screen.getByText(`${bg['healthRecord.signature.check.contentDigest']}: ${bg['healthRecord.signature.failed']}`)).toBeTruthy();
  });

  it('a document the patient may not read shows the problem', async () => {
    const refused = () => Promise.reject(new ApiError({ type: 'x', title: 'Не е намерен', status: 404, code: 'resource.not_found' }));
    renderWith({ path: `/health-record/documents/${DOC}`, healthRecord: { document: refused, verify: refused } });
    await waitFor(() => expect(screen.getByRole('alert').getAttribute('data-problem-code')).toBe('resource.not_found'));
    expect(screen.queryByRole('link', { name: bg['healthRecord.pdf'] })).toBeNull();
  });
});
