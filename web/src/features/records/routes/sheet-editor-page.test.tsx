// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { MemoryRouter, Route, Routes } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiProvider } from '../../../api/api-context.js';
import type { ApiClient } from '../../../api/client.js';
import { ApiError } from '../../../api/problem.js';
import { I18nProvider } from '../../../i18n/index.js';
import { messages } from '../../../i18n/messages.js';
import type { RequestWithAppointment } from '../../requests/api.js';
import type { ClinicalDocument, Deadline, DocumentBody, RecordsApi, SheetTemplate } from '../api.js';
import { deadlineFixture } from '../test-fixtures.js';
import { SheetEditorPage } from './sheet-editor-page.js';

const noStorage = { getItem: () => null, setItem: () => undefined };
const bg = messages.bg;
const R = '0190a000-0000-7000-8000-0000000000aa';
const D = '0190a000-0000-7000-8000-0000000000dd';
const F = '0190a000-0000-7000-8000-0000000000ff';
const P = '0190a000-0000-7000-8000-0000000000cc';

const emptyBody: DocumentBody = { purpose: 'consultation', diagnoses: [], medications: [] };

function draft(version: number, body: DocumentBody = emptyBody): ClinicalDocument {
  return {
    id: D,
    kind: 'ambulatory_sheet',
    requestId: R,
    patientId: P,
    facilityId: F,
    authorPractitionerId: P,
    status: 'draft',
    revision: 1,
    replacesId: null,
    replacedById: null,
    body,
    content: null,
    signature: null,
    nhis: null,
    createdAt: '2026-11-24T08:10:00Z',
    updatedAt: '2026-11-24T08:10:00Z',
    version,
  };
}

const sheetBody: DocumentBody = {
  purpose: 'consultation',
  anamnesis: 'Главоболие сутрин',
  objectiveFindings: 'В добро общо състояние',
  diagnoses: [{ code: 'I10', title: 'Есенциална (първична) хипертония', rank: 'primary', clinicalStatus: 'active', verificationStatus: 'confirmed' }],
  therapy: 'Промяна в начина на живот',
  medications: [],
};

function signed(nhis: ClinicalDocument['nhis']): ClinicalDocument {
  const signedAt = '2026-11-24T09:00:00Z';
  return {
    ...draft(3, sheetBody),
    status: 'signed',
    content: {
      schema: 'distansia.clinical-document/1',
      documentId: D,
      kind: 'ambulatory_sheet',
      revision: 1,
      replaces: null,
      requestId: R,
      examination: { class: 'VR', urgency: 'planned', mode: 'asynchronous', completedAt: '2026-11-24T08:00:00Z' },
      subject: { patientId: P, identifierType: 'egn', identifier: '8001010000', givenName: 'Иван', familyName: 'Петров', birthDate: '1980-01-01', sex: 'male' },
      performer: { practitionerId: P, uin: '2300012345', givenName: 'Мария', familyName: 'Георгиева', qualification: '1020', qualificationName: 'Кардиология', facilityId: F, practiceNumber: '2201211001', facilityName: 'МЦ Тест' },
      body: sheetBody,
      signedAt,
    },
    signature: { format: 'jws', level: 'advanced', keyId: F, alg: 'EdDSA', signedAt, contentSha256: 'a'.repeat(64), jws: 'x.y.z' },
    nhis,
  };
}

const deadline: Deadline = deadlineFixture({ requestId: R, facilityId: F, practitionerId: P, mode: 'asynchronous', documentStatus: 'draft' });

const item = {
  request: { id: R, status: 'completed', requester: { kind: 'patient' }, provider: { facilityName: 'МЦ Тест', specialtyCode: '1020', specialtyName: 'Кардиология', serviceName: 'Кардиологична консултация' } },
  appointment: null,
} as unknown as RequestWithAppointment;

const template: SheetTemplate = {
  id: 'cardiology-hypertension-control',
  specialtyCode: '1020',
  name: { bg: 'Контрол на артериална хипертония', en: 'Hypertension follow-up' },
  body: { purpose: 'dispensary', anamnesis: 'Домашни измервания: ', objectiveFindings: 'АН: / mmHg', followUp: 'Контрол след 3 месеца.' },
};

const versionMismatch = () => new ApiError({ type: 'about:blank', title: 'Version mismatch', status: 412, code: 'resource.version_mismatch' });

function renderEditor(records: Partial<RecordsApi>) {
  const client = {
    requests: { worklist: async () => ({ emergencies: [], planned: [item] }) },
    records: {
      deadline: async () => deadline,
      listForRequest: async () => [draft(1)],
      templates: async () => [template],
      createDraft: vi.fn(),
      ...records,
    },
  } as unknown as ApiClient;
  render(
    <I18nProvider storage={noStorage}>
      <ApiProvider client={client}>
        <MemoryRouter initialEntries={[`/requests/${R}/sheet`]}>
          <Routes>
            <Route path="/requests/:requestId/sheet" element={<SheetEditorPage />} />
          </Routes>
        </MemoryRouter>
      </ApiProvider>
    </I18nProvider>,
  );
}

const field = (key: keyof typeof bg) => screen.getByLabelText(bg[key]) as HTMLTextAreaElement;
const ctrlS = () => fireEvent.keyDown(document, { key: 'с', code: 'KeyS', ctrlKey: true });

describe('sheet editor', () => {
  afterEach(cleanup);

  it('Ctrl+S saves with If-Match; a conflicting save keeps the text on the page, and "keep mine" saves it over the newer version', async () => {
    const saveDraft = vi
      .fn<RecordsApi['saveDraft']>()
      .mockRejectedValueOnce(versionMismatch())
      .mockImplementation(async (_id, version, body) => ({ ...draft(version + 1), body: { ...emptyBody, ...body } as DocumentBody }));
    const get = vi.fn(async () => draft(2, { ...emptyBody, anamnesis: 'Записано от другия прозорец' }));
    renderEditor({ saveDraft, get });

    fireEvent.change(await screen.findByLabelText(bg['records.field.anamnesis']), { target: { value: 'Главоболие от 2 седмици' } });
    ctrlS(); // Bulgarian layout: the key is "с", the physical key is S
    await waitFor(() => expect(saveDraft).toHaveBeenCalledTimes(1));
    expect(saveDraft.mock.calls[0]?.slice(0, 2)).toEqual([D, 1]);
    expect(saveDraft.mock.calls[0]?.[2]).toMatchObject({ anamnesis: 'Главоболие от 2 седмици' });

    const conflict = await screen.findByTestId('conflict');
    expect(conflict.getAttribute('role')).toBe('alert');
    expect(conflict.textContent).toContain(bg['records.conflict.title']);
    // Nothing is lost or silently overwritten: the text stays, and the review step waits for a choice.
    expect(field('records.field.anamnesis').value).toBe('Главоболие от 2 седмици');
    expect((screen.getByRole('button', { name: bg['records.editor.review'] }) as HTMLButtonElement).disabled).toBe(true);

    fireEvent.click(screen.getByRole('button', { name: bg['records.conflict.keepMine'] }));
    await waitFor(() => expect(saveDraft).toHaveBeenCalledTimes(2));
    expect(get).toHaveBeenCalledWith(D);
    expect(saveDraft.mock.calls[1]?.slice(0, 2)).toEqual([D, 2]);
    expect(saveDraft.mock.calls[1]?.[2]).toMatchObject({ anamnesis: 'Главоболие от 2 седмици' });
    await waitFor(() => expect(screen.queryByTestId('conflict')).toBeNull());
    expect(screen.getByTestId('save-state').getAttribute('data-state')).toBe('saved');
    expect(field('records.field.anamnesis').value).toBe('Главоболие от 2 седмици');
  });

  it('"load the saved version" replaces the text with the newer draft only when asked', async () => {
    const saveDraft = vi.fn<RecordsApi['saveDraft']>().mockRejectedValue(versionMismatch());
    renderEditor({ saveDraft, get: async () => draft(3, { ...emptyBody, anamnesis: 'Записано от другия прозорец' }) });
    fireEvent.change(await screen.findByLabelText(bg['records.field.anamnesis']), { target: { value: 'Моят текст' } });
    fireEvent.click(screen.getByRole('button', { name: bg['records.editor.save'] }));
    await screen.findByTestId('conflict');
    expect(field('records.field.anamnesis').value).toBe('Моят текст');
    fireEvent.click(screen.getByRole('button', { name: bg['records.conflict.loadTheirs'] }));
    await waitFor(() => expect(field('records.field.anamnesis').value).toBe('Записано от другия прозорец'));
    expect(screen.queryByTestId('conflict')).toBeNull();
    expect(saveDraft).toHaveBeenCalledTimes(1);
  });

  it('a refused save shows the server problem and marks the field; every value typed stays', async () => {
    const saveDraft = vi.fn<RecordsApi['saveDraft']>().mockRejectedValue(
      new ApiError({ type: 'about:blank', title: 'Invalid', status: 400, code: 'request.invalid', instance: 'urn:request:1', errors: [{ in: 'body', pointer: '#/body/medications/0/name', detail: 'Too small' }] }),
    );
    renderEditor({ saveDraft });
    fireEvent.change(await screen.findByLabelText(bg['records.field.anamnesis']), { target: { value: 'Кашлица' } });
    fireEvent.click(screen.getByRole('button', { name: bg['records.medication.add'] }));
    fireEvent.click(screen.getByRole('button', { name: bg['records.medication.add'] }));
    // The first row stays empty (not sent); the second has only a dosage, so the server names its name field.
    fireEvent.change(screen.getByLabelText(bg['records.medication.dosage'].replace('{n}', '2')), { target: { value: '2 x 1 таблетка' } });
    ctrlS();
    await waitFor(() => expect(saveDraft).toHaveBeenCalledTimes(1));
    expect(saveDraft.mock.calls[0]?.[2].medications).toEqual([{ name: '', dosage: '2 x 1 таблетка' }]);
    expect((await screen.findByRole('alert')).getAttribute('data-problem-code')).toBe('request.invalid');
    const name2 = screen.getByLabelText(bg['records.medication.name'].replace('{n}', '2'));
    expect(name2.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByLabelText(bg['records.medication.name'].replace('{n}', '1')).getAttribute('aria-invalid')).toBeNull();
    expect(field('records.field.anamnesis').value).toBe('Кашлица');
    expect((screen.getByLabelText(bg['records.medication.dosage'].replace('{n}', '2')) as HTMLInputElement).value).toBe('2 x 1 таблетка');
    expect(screen.getByTestId('save-state').getAttribute('data-state')).toBe('dirty');
  });

  it('signing an incomplete sheet returns to the editor with the fields to fix, the first one focused', async () => {
    const saveDraft = vi.fn<RecordsApi['saveDraft']>(async (_id, version, body) => ({ ...draft(version + 1), body: { ...emptyBody, ...body } as DocumentBody }));
    const sign = vi.fn<RecordsApi['sign']>().mockRejectedValue(
      new ApiError({
        type: 'about:blank',
        title: 'Incomplete',
        status: 422,
        code: 'records.incomplete',
        errors: [
          { in: 'body', pointer: '#/body/anamnesis', detail: 'required' },
          { in: 'body', pointer: '#/body/diagnoses', detail: 'exactly one primary diagnosis' },
        ],
      }),
    );
    renderEditor({ saveDraft, sign });
    fireEvent.change(await screen.findByLabelText(bg['records.field.therapy']), { target: { value: 'Покой' } });
    fireEvent.click(screen.getByRole('button', { name: bg['records.editor.review'] }));
    // The review shows what will be signed: the saved version.
    expect(await screen.findByRole('heading', { name: bg['records.review.title'] })).toBeTruthy();
    expect(screen.getByText('Покой')).toBeTruthy();
    // Before the signature: the sections still missing are named (Art. 20(1)), and the signature waits
    // for a fresh six-digit code (docs/decisions.md#d5).
    const missing = screen.getByTestId('sheet-missing');
    for (const key of ['records.field.diagnoses', 'records.field.anamnesis', 'records.field.objectiveFindings'] as const) expect(missing.textContent).toContain(bg[key]);
    const signButton = screen.getByRole('button', { name: bg['records.review.sign'] }) as HTMLButtonElement;
    expect(signButton.disabled).toBe(true);
    fireEvent.change(screen.getByLabelText(bg['records.review.code']), { target: { value: '123 456' } });
    expect(signButton.disabled).toBe(false);
    fireEvent.click(signButton);
    await waitFor(() => expect(sign).toHaveBeenCalledWith(D, 2, '123456'));
    const anamnesis = await screen.findByLabelText(bg['records.field.anamnesis']);
    await waitFor(() => expect(document.activeElement).toBe(anamnesis));
    expect(anamnesis.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText(bg['records.incomplete.anamnesis'])).toBeTruthy();
    expect(screen.getByText(bg['records.incomplete.diagnoses'])).toBeTruthy();
    expect(field('records.field.therapy').value).toBe('Покой');
  });

  it('the review lists template prompts left empty ("ЕКГ:") before the signature', async () => {
    const saveDraft = vi.fn<RecordsApi['saveDraft']>(async (_id, version, body) => ({ ...draft(version + 1), body: { ...emptyBody, ...body } as DocumentBody }));
    renderEditor({ saveDraft });
    fireEvent.change(await screen.findByLabelText(bg['records.field.testsReviewed']), { target: { value: 'ЕКГ: \nЛипиден профил: LDL 3,1' } });
    fireEvent.click(screen.getByRole('button', { name: bg['records.editor.review'] }));
    const empty = await screen.findByTestId('sheet-empty-lines');
    expect(empty.textContent).toContain(bg['records.review.emptyLine'].replace('{section}', bg['records.field.testsReviewed']).replace('{line}', 'ЕКГ:'));
    expect(empty.textContent).not.toContain('Липиден профил');
  });

  it('a signed sheet is read-only: verified, waits for the NHIS acknowledgement and shows the NRN; a correction needs a reason', async () => {
    const get = vi.fn(async () => signed({ status: 'acknowledged', nrn: '26SIM0000042', attempts: 2, acknowledgedAt: '2026-11-24T09:00:03Z', lastError: null }));
    const verify = vi.fn<RecordsApi['verify']>(async () => ({ documentId: D, revision: 1, valid: true, checks: { signature: true, contentDigest: true, header: true, chain: true }, level: 'advanced', keyId: F, signer: { practitionerId: P, uin: '2300012345' }, certificate: null, signedAt: '2026-11-24T09:00:00Z', contentSha256: 'a'.repeat(64), replacedById: null }));
    const startCorrection = vi.fn<RecordsApi['startCorrection']>(async () => ({ ...draft(1, sheetBody), id: F, revision: 2, replacesId: D }));
    const deadlines = vi.fn(async () => deadline);
    renderEditor({
      listForRequest: async () => [signed({ status: 'pending', nrn: null, attempts: 0, acknowledgedAt: null, lastError: null })],
      get,
      verify,
      startCorrection,
      deadline: deadlines,
      pdfUrl: (id: string) => `/api/v1/records/documents/${id}/pdf`,
    });
    expect(await screen.findByRole('heading', { name: bg['records.signed.title'].replace('{revision}', '1') })).toBeTruthy();
    expect(screen.queryByLabelText(bg['records.field.anamnesis'])).toBeNull();
    // The identifier is masked like the patient banner's; the full one shows only after the audited reveal.
    expect(screen.getByTestId('patient-identifier').textContent).toBe('••••••••00');
    expect(document.body.textContent).not.toContain('8001010000');
    expect((await screen.findByTestId('verification')).getAttribute('data-valid')).toBe('true');
    expect(verify).toHaveBeenCalledWith(D);
    expect(screen.getByTestId('nhis-status').getAttribute('data-status')).toBe('pending');
    // The page asks again after 2 s; the acknowledgement brings the NRN and a fresh read of the deadline.
    await waitFor(() => expect(screen.getByTestId('nrn').textContent).toBe('26SIM0000042'), { timeout: 4000 });
    await waitFor(() => expect(deadlines.mock.calls.length).toBeGreaterThanOrEqual(2));
    expect(screen.getByRole('link', { name: bg['records.signed.pdf'] }).getAttribute('href')).toBe(`/api/v1/records/documents/${D}/pdf`);

    fireEvent.click(screen.getByRole('button', { name: bg['records.correction.start'] }));
    const submit = screen.getByRole('button', { name: bg['records.correction.submit'] }) as HTMLButtonElement;
    expect(submit.disabled).toBe(true);
    fireEvent.change(screen.getByLabelText(bg['records.correction.reason']), { target: { value: 'Уточнен контрол' } });
    fireEvent.click(submit);
    await waitFor(() => expect(startCorrection).toHaveBeenCalledWith(D, sheetBody, 'Уточнен контрол'));
    // The correction opens in the editor with the signed content to change.
    expect(((await screen.findByLabelText(bg['records.field.anamnesis'])) as HTMLTextAreaElement).value).toBe('Главоболие сутрин');
    expect(screen.getByText(bg['records.correction.editing'].replace('{revision}', '1'))).toBeTruthy();
  });

  it('offers the templates of the service\'s specialty; a template fills only the empty fields', async () => {
    const templates = vi.fn(async () => [template]);
    renderEditor({ templates, listForRequest: async () => [draft(1, { ...emptyBody, anamnesis: 'Вече написано' })] });
    await screen.findByLabelText(bg['records.template.label']);
    expect(templates).toHaveBeenCalledWith('1020');
    expect(screen.getByText('Кардиологична консултация · Кардиология · МЦ Тест')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: bg['records.template.apply'] }));
    expect(field('records.field.anamnesis').value).toBe('Вече написано');
    expect(field('records.field.objectiveFindings').value).toBe('АН: / mmHg');
    expect(field('records.field.followUp').value).toBe('Контрол след 3 месеца.');
    expect(screen.getByText(bg['records.template.applied'].replace('{filled}', '2').replace('{kept}', '1'))).toBeTruthy();
  });
});
