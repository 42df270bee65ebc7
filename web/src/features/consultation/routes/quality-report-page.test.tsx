// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiProvider } from '../../../api/api-context.js';
import type { ApiClient } from '../../../api/client.js';
import { I18nProvider } from '../../../i18n/index.js';
import { messages } from '../../../i18n/messages.js';
import type { ConsultationApi, FacilityQualityReport } from '../api.js';
import { QualityReportPage } from './quality-report-page.js';

// The facility quality report names the facilities (the choice and the report itself); the
// ids stay in the API and in data attributes only.

const noStorage = { getItem: () => null, setItem: () => undefined };
const bg = messages.bg;
const F1 = '0190a000-0000-7000-8000-0000000000f1';
const F2 = '0190a000-0000-7000-8000-0000000000f2';
const NAMES: Record<string, string> = { [F1]: 'МЦ „Св. Лука“', [F2]: 'ДКЦ „Изток“' };

const report = (facilityId: string): FacilityQualityReport => ({
  facilityId,
  facilityName: NAMES[facilityId] ?? '?',
  from: '2026-11-01T00:00:00Z',
  to: '2026-12-01T00:00:00Z',
  latencyLimitMs: 50,
  avSyncLimitMs: 150,
  consultations: 3,
  samples: 40,
  latencyBreaches: 1,
  avSyncBreaches: 0,
  p95LatencyMs: 31,
  p95AvSyncMs: 40,
  flagged: [],
});

function renderPage(consultation: Partial<ConsultationApi>) {
  const client = { consultation } as unknown as ApiClient;
  return render(
    <I18nProvider storage={noStorage}>
      <ApiProvider client={client}>
        <MemoryRouter>
          <QualityReportPage />
        </MemoryRouter>
      </ApiProvider>
    </I18nProvider>,
  );
}

describe('QualityReportPage', () => {
  afterEach(cleanup);

  it('offers the facilities by name and names the facility of the report, never its id', async () => {
    const facilityQuality = vi.fn(async (f: string) => report(f));
    renderPage({ qualityReportFacilities: async () => ({ items: [{ id: F2, name: NAMES[F2]! }, { id: F1, name: NAMES[F1]! }] }), facilityQuality });
    const select = (await screen.findByLabelText(bg['consultation.report.facility'])) as HTMLSelectElement;
    expect(within(select).getAllByRole('option').map((o) => [o.textContent, (o as HTMLOptionElement).value])).toEqual([
      [NAMES[F2], F2],
      [NAMES[F1], F1],
    ]);
    const shown = async (id: string) => {
      const dd = await screen.findByText(NAMES[id]!, { selector: 'dd' });
      expect(dd.getAttribute('data-facility-id')).toBe(id);
    };
    await shown(F2);
    expect(facilityQuality).toHaveBeenLastCalledWith(F2, expect.any(String), expect.any(String));
    fireEvent.change(select, { target: { value: F1 } });
    await shown(F1);
    expect(facilityQuality).toHaveBeenLastCalledWith(F1, expect.any(String), expect.any(String));
    expect(document.body.textContent).not.toContain(F1);
    expect(document.body.textContent).not.toContain(F2);
  });

  it('says so when the account has no facility, and asks for no report', async () => {
    const facilityQuality = vi.fn(async (f: string) => report(f));
    renderPage({ qualityReportFacilities: async () => ({ items: [] }), facilityQuality });
    expect(await screen.findByText(bg['consultation.report.noFacility'])).toBeTruthy();
    await waitFor(() => expect(facilityQuality).not.toHaveBeenCalled());
  });
});
