// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { MemoryRouter, Route, Routes } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiProvider } from '../../../api/api-context.js';
import type { ApiClient } from '../../../api/client.js';
import { ApiError } from '../../../api/problem.js';
import { I18nProvider } from '../../../i18n/index.js';
import { messages } from '../../../i18n/messages.js';
import type { Consent, ConsentApi, GateStatus } from '../api.js';
import { ConsentSignPage } from './consent-sign-page.js';

const noStorage = { getItem: () => null, setItem: () => undefined };
const bg = messages.bg;
const R = '0190a000-0000-7000-8000-0000000000aa';
const P = '0190a000-0000-7000-8000-0000000000bb';

const gates: GateStatus = {
  requestId: R,
  requestStatus: 'accepted',
  viewerSide: 'requester',
  hardBlocks: [],
  consentRequired: true,
  treatmentConsent: null,
  recordingConsent: null,
  identity: null,
  decision: null,
  missing: ['identity.not_verified', 'consent.missing'],
};

function renderWith(consent: Partial<ConsentApi>, path = `/requests/${R}/consent`) {
  const client = {
    consent: {
      gates: async () => gates,
      present: async () => ({
        presentationId: P,
        presentedAt: '2026-11-25T08:00:00Z',
        requestId: R,
        lang: 'bg' as const,
        template: { id: P, kind: 'treatment' as const, version: 2, title: 'Информирано съгласие', body: 'Първи абзац.\n\nВтори абзац.', textSha256: 'a'.repeat(64) },
      }),
      pdfUrl: (id: string) => `/api/v1/consents/${id}/pdf`,
      ...consent,
    },
  } as unknown as ApiClient;
  return render(
    <I18nProvider storage={noStorage}>
      <ApiProvider client={client}>
        <MemoryRouter initialEntries={[path]}>
          <Routes>
            <Route path="/requests/:requestId/consent" element={<ConsentSignPage />} />
          </Routes>
        </MemoryRouter>
      </ApiProvider>
    </I18nProvider>,
  );
}

describe('ConsentSignPage', () => {
  afterEach(cleanup);

  it('R-TM-24: shows the text first; signing is possible only after reading and with a code', async () => {
    const sign = vi.fn(async () => ({ id: P, signedAt: '2026-11-25T08:01:00Z', contentSha256: 'b'.repeat(64) }) as Consent);
    renderWith({ sign });
    expect(screen.queryByRole('button', { name: bg['consent.sign.submit'] })).toBeNull();
    fireEvent.click(await screen.findByRole('button', { name: bg['consent.sign.read'] }));
    expect(await screen.findByRole('heading', { name: 'Информирано съгласие' })).toBeTruthy();
    expect(screen.getByText('Втори абзац.')).toBeTruthy();
    const submit = screen.getByRole('button', { name: bg['consent.sign.submit'] });
    expect((submit as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(screen.getByLabelText(bg['consent.sign.confirmRead']));
    fireEvent.click(screen.getByLabelText(bg['consent.sign.duty']));
    fireEvent.change(screen.getByLabelText(bg['consent.sign.code']), { target: { value: '123 456' } });
    fireEvent.click(submit);
    await waitFor(() => expect(sign).toHaveBeenCalledWith(R, { kind: 'treatment', presentationId: P, code: '123456', healthInfoDutyAcknowledged: true }));
    expect(await screen.findByRole('link', { name: bg['consent.pdf'] })).toBeTruthy();
  });

  it('R-TM-28: shows the server refusal next to the acknowledgement', async () => {
    const sign = vi.fn(async () => {
      throw new ApiError({ type: 'x', title: 'x', status: 400, code: 'request.invalid', errors: [{ in: 'body', pointer: '#/healthInfoDutyAcknowledged', detail: 'required' }] });
    });
    renderWith({ sign });
    fireEvent.click(await screen.findByRole('button', { name: bg['consent.sign.read'] }));
    fireEvent.click(await screen.findByLabelText(bg['consent.sign.confirmRead']));
    fireEvent.change(screen.getByLabelText(bg['consent.sign.code']), { target: { value: '123456' } });
    fireEvent.click(screen.getByRole('button', { name: bg['consent.sign.submit'] }));
    expect(await screen.findByText(bg['consent.sign.dutyRequired'])).toBeTruthy();
    expect(screen.getByRole('alert').getAttribute('data-problem-code')).toBe('request.invalid');
  });

  it('R-TM-26: a recording consent asks for reason, type and purpose', async () => {
    renderWith({}, `/requests/${R}/consent?kind=recording`);
    fireEvent.click(await screen.findByRole('button', { name: bg['consent.sign.read'] }));
    expect(await screen.findByLabelText(bg['consent.recording.reason'])).toBeTruthy();
    expect(screen.getByRole('group', { name: bg['consent.recording.media'] })).toBeTruthy();
    expect(screen.getByLabelText(bg['consent.recording.purpose'])).toBeTruthy();
  });
});
