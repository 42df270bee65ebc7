// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiProvider } from '../../../api/api-context.js';
import type { ApiClient } from '../../../api/client.js';
import { AuthProvider } from '../../auth/auth-context.js';
import { I18nProvider } from '../../../i18n/index.js';
import { messages } from '../../../i18n/messages.js';
import type { DocumentRequest } from '../api.js';
import { MyDocumentsPage } from './my-documents-page.js';

const noStorage = { getItem: () => null, setItem: () => undefined };
const bg = messages.bg;
const P = '0190a000-0000-7000-8000-0000000000a1';
const F = '0190a000-0000-7000-8000-0000000000d1';

const request = (over: Partial<DocumentRequest>): DocumentRequest => ({ id: '0190a000-0000-7000-8000-0000000000b1', facilityId: F, patientId: P, category: 'past_circumstance', what: 'Удостоверение за имунизации', receivedOn: '2026-03-02', dueOn: '2026-03-06', rule: 'R-DOC-01', fee: 'price_list', status: 'requested', issuedOn: null, note: null, overdue: false, ...over });

function renderWith(items: DocumentRequest[], requestDocument = vi.fn(async () => request({ id: '0190a000-0000-7000-8000-0000000000b9', dueOn: '2026-03-06' }))) {
  const client = {
    auth: { me: async () => ({ id: 'u', role: 'patient', patientId: P, facilityIds: [], displayName: 'Радослава', isGp: false }) },
    gp: { patientGp: async () => ({ current: { facility: { id: F, name: 'АИППМП', rhifCode: '22' } } }) },
    practice: { myDocumentRequests: async () => ({ items }), requestDocument },
  } as unknown as ApiClient;
  render(
    <I18nProvider storage={noStorage} initialLanguage="bg">
      <ApiProvider client={client}>
        <AuthProvider>
          <MemoryRouter>
            <MyDocumentsPage />
          </MemoryRouter>
        </AuthProvider>
      </ApiProvider>
    </I18nProvider>,
  );
  return requestDocument;
}

afterEach(cleanup);

describe('documents from the GP (E34)', () => {
  it('R-DOC-01: lists requests in words: ready by a day, issued, refused with the reason', async () => {
    renderWith([request({}), request({ id: '0190a000-0000-7000-8000-0000000000b2', status: 'issued', issuedOn: '2026-03-05' }), request({ id: '0190a000-0000-7000-8000-0000000000b3', status: 'refused', note: 'Нямаме данни за тази имунизация' })]);
    expect(await screen.findByText(bg['practice.docs.due'].replace('{date}', '2026-03-06'))).toBeTruthy();
    expect(screen.getByText(bg['practice.docs.issued'].replace('{date}', '2026-03-05'))).toBeTruthy();
    expect(screen.getByText(bg['practice.docs.refused'].replace('{why}', 'Нямаме данни за тази имунизация'))).toBeTruthy();
  });
  it('R-DOC-01: a written request goes to the GP’s practice and says when it will be ready; an empty one is stopped with a message', async () => {
    const send = renderWith([]);
    expect(await screen.findByText(bg['practice.docs.none'])).toBeTruthy();
    fireEvent.click(await screen.findByRole('button', { name: bg['practice.docs.send'] }));
    expect(send).not.toHaveBeenCalled();
    fireEvent.change(screen.getByLabelText(bg['practice.docs.what'], { exact: false }), { target: { value: 'Удостоверение за детски' } });
    fireEvent.click(screen.getByRole('button', { name: bg['practice.docs.send'] }));
    expect(await screen.findByText(bg['practice.docs.sent'].replace('{date}', '2026-03-06'))).toBeTruthy();
    expect(send).toHaveBeenCalledWith(F, { patientId: P, category: 'past_circumstance', what: 'Удостоверение за детски' });
  });
});
