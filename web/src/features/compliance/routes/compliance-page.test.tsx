// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiProvider } from '../../../api/api-context.js';
import type { ApiClient } from '../../../api/client.js';
import { ApiError } from '../../../api/problem.js';
import { I18nProvider } from '../../../i18n/index.js';
import { messages } from '../../../i18n/messages.js';
import type { Me } from '../../auth/api.js';
import { AuthProvider } from '../../auth/auth-context.js';
import type { ComplianceApi, ComplianceReport, Deadline } from '../api.js';
import { defaultPeriod, formatDuration } from '../format.js';
import { CompliancePage } from './compliance-page.js';

const noStorage = { getItem: () => null, setItem: () => undefined };
const bg = messages.bg;
const F1 = '0190a000-0000-7000-8000-0000000000f1';
const F2 = '0190a000-0000-7000-8000-0000000000f2';
const MISSED = '0190a000-0000-7000-8000-0000abcd1234';
const LATE = '0190a000-0000-7000-8000-0000000000e2';

const me = (role: Me['role'], facilityIds: string[]): Me => ({
  id: '0190a000-0000-7000-8000-000000000001',
  email: 'admin@example.bg',
  role,
  facilityIds,
  patientId: null,
  practitionerId: null,
  isGp: false,
  mfa: { totp: true, passkeys: 0, recoveryCodesLeft: 10 },
  session: { id: '0190a000-0000-7000-8000-000000000002', expiresAt: '2026-11-30T20:00:00Z', idleExpiresAt: '2026-11-30T08:30:00Z' },
  notificationLang: 'bg',
});

const report: ComplianceReport = {
  facilityId: F1,
  facilityName: 'МЦ „Св. Лука“ Телемедицина',
  from: '2026-11-24',
  to: '2026-11-29',
  timeZone: 'Europe/Sofia',
  generatedAt: '2026-11-30T20:00:00Z',
  rows: [
    { urgency: 'planned', mode: 'asynchronous', documentKind: 'ambulatory_sheet', services: 6, met: 3, missed: 3, open: 0, complex: 1, escalated: 2, medianSecondsToRecord: 3900, worstSecondsToRecord: 264600 },
    { urgency: 'planned', mode: 'asynchronous', documentKind: 'consultation_report', services: 1, met: 0, missed: 1, open: 0, complex: 0, escalated: 1, medianSecondsToRecord: 264600, worstSecondsToRecord: 264600 },
  ],
  totals: { services: 7, met: 3, missed: 4, open: 0, complex: 1, escalated: 3, medianSecondsToRecord: 3900, worstSecondsToRecord: 264600 },
  breaches: [
    { requestId: MISSED, dueAt: '2026-11-27T14:00:00Z', recordedAt: null, cause: 'not_signed' },
    { requestId: LATE, dueAt: '2026-11-30T14:00:00Z', recordedAt: '2026-11-30T16:00:00Z', cause: 'nhis_unavailable' },
  ],
  consentsOnFile: 5,
  qualityBreaches: 0,
};

const deadline = (over: Partial<Deadline>): Deadline => ({
  requestId: MISSED,
  facilityId: F1,
  practitionerId: null,
  urgency: 'planned',
  mode: 'synchronous',
  documentKind: 'ambulatory_sheet',
  timeZone: 'Europe/Sofia',
  completedAt: '2026-11-26T08:00:00Z',
  baseDueAt: '2026-11-27T14:00:00Z',
  dueAt: '2026-11-27T14:00:00Z',
  escalateAt: '2026-11-27T08:00:00Z',
  complex: false,
  complexKind: null,
  status: 'open',
  recordedAt: null,
  nrn: null,
  escalatedAt: '2026-11-27T08:00:00Z',
  breachedAt: null,
  breachCause: null,
  secondsLeft: 5400,
  elapsedShare: 0.9,
  documentStatus: 'draft',
  ...over,
});

/** Only what the page calls of the directory: a facility's name, and the name search. */
type FakeDirectory = { facility?: (id: string) => Promise<{ id: string; name: string }>; search?: (q: object) => Promise<{ items: { id: string; name: string }[]; hasMore: boolean }> };

function renderWith(opts: { me: Me; compliance?: Partial<ComplianceApi>; directory?: FakeDirectory }) {
  const client = {
    auth: { me: async () => opts.me },
    directory: {
      facility: async (id: string) => ({ id, name: id === F1 ? 'МЦ „Св. Лука“ Телемедицина' : 'ДКЦ „Тракия“' }),
      search: async () => ({ items: [{ id: F2, name: 'ДКЦ „Тракия“' }, { id: F1, name: 'МЦ „Св. Лука“ Телемедицина' }], hasMore: false }),
      ...opts.directory,
    },
    compliance: {
      report: async () => report,
      fileUrl: (p: { facilityId: string; from: string; to: string }, format: string) => `/api/v1/records/compliance?facilityId=${p.facilityId}&from=${p.from}&to=${p.to}&format=${format}`,
      alerts: async () => ({ now: '2026-11-27T12:30:00Z', items: [] }),
      ...opts.compliance,
    },
  } as unknown as ApiClient;
  return render(
    <I18nProvider storage={noStorage}>
      <ApiProvider client={client}>
        <AuthProvider>
          <CompliancePage />
        </AuthProvider>
      </ApiProvider>
    </I18nProvider>,
  );
}

const figure = (key: string) => document.querySelector(`[data-figure="${key}"]`)?.textContent;

describe('CompliancePage', () => {
  afterEach(cleanup);

  it('shows met and missed deadlines, times to record, consents and quality, and offers CSV and PDF', async () => {
    const reportFn = vi.fn(async () => report);
    renderWith({ me: me('facility_admin', [F1]), compliance: { report: reportFn } });
    await screen.findByRole('heading', { level: 2, name: bg['compliance.summary'] });
    const period = defaultPeriod(new Date());
    expect(reportFn).toHaveBeenCalledWith({ facilityId: F1, ...period });
    expect(figure('services')).toBe('7');
    expect(figure('met')).toBe('3');
    expect(figure('missed')).toBe('4');
    expect(figure('escalated')).toBe('3');
    expect(figure('median')).toBe('1 ч 5 мин');
    expect(figure('worst')).toBe('3 д 1 ч 30 мин');
    expect(figure('consents')).toBe('5');
    expect(figure('quality')).toBe('0');
    // the missed figure is marked as bad, the met one as good
    expect(document.querySelector('[data-figure="missed"]')?.parentElement?.className).toContain('compliance-figure--bad');
    expect(document.querySelector('[data-figure="met"]')?.parentElement?.className).toContain('compliance-figure--ok');

    const byKind = screen.getByRole('region', { name: bg['compliance.byKind'] });
    const sheetRow = within(byKind).getByRole('rowheader', { name: 'планова, без пряко взаимодействие, амбулаторен лист' }).closest('tr') as HTMLElement;
    expect([...sheetRow.querySelectorAll('td')].map((td) => td.textContent)).toEqual(['6', '3', '3', '0', '1 ч 5 мин', '3 д 1 ч 30 мин']);

    const breaches = screen.getByRole('region', { name: bg['compliance.breaches'] });
    const missedRow = within(breaches).getByText('ABCD1234').closest('tr') as HTMLElement;
    expect(within(missedRow).getByText(bg['compliance.notRecorded'])).toBeTruthy();
    expect(within(missedRow).getByText(bg['compliance.cause.not_signed'])).toBeTruthy();
    expect(within(breaches).getByText(bg['compliance.cause.nhis_unavailable'])).toBeTruthy();

    expect(screen.getByRole('link', { name: bg['compliance.csv'] }).getAttribute('href')).toBe(`/api/v1/records/compliance?facilityId=${F1}&from=${period.from}&to=${period.to}&format=csv`);
    expect(screen.getByRole('link', { name: bg['compliance.pdf'] }).getAttribute('href')).toContain('format=pdf');
  });

  it('applies another facility and period with “Show”, and refuses an end before the start', async () => {
    const reportFn = vi.fn(async () => report);
    renderWith({ me: me('coordinator', [F1, F2]), compliance: { report: reportFn } });
    await screen.findByRole('heading', { level: 2, name: bg['compliance.summary'] });
    const select = screen.getByLabelText(bg['compliance.facility']);
    await waitFor(() => expect(within(select).getByRole('option', { name: 'ДКЦ „Тракия“' })).toBeTruthy());
    fireEvent.change(select, { target: { value: F2 } });
    fireEvent.change(screen.getByLabelText(bg['compliance.from']), { target: { value: '2026-11-24' } });
    fireEvent.change(screen.getByLabelText(bg['compliance.to']), { target: { value: '2026-11-01' } });
    fireEvent.click(screen.getByRole('button', { name: bg['compliance.show'] }));
    expect((await screen.findByRole('alert')).textContent).toBe(bg['compliance.badPeriod']);
    expect(reportFn).toHaveBeenCalledTimes(1);
    fireEvent.change(screen.getByLabelText(bg['compliance.to']), { target: { value: '2026-11-29' } });
    fireEvent.click(screen.getByRole('button', { name: bg['compliance.show'] }));
    await waitFor(() => expect(reportFn).toHaveBeenLastCalledWith({ facilityId: F2, from: '2026-11-24', to: '2026-11-29' }));
  });

  it('facility staff see the escalated (80%) and missed deadline alerts', async () => {
    const alerts = vi.fn(async () => ({
      now: '2026-11-27T12:30:00Z',
      items: [deadline({}), deadline({ requestId: LATE, status: 'missed', breachedAt: '2026-11-27T14:00:01Z', breachCause: 'not_signed', secondsLeft: -7200, documentStatus: 'none' })],
    }));
    renderWith({ me: me('facility_admin', [F1]), compliance: { alerts } });
    await screen.findByRole('heading', { level: 2, name: bg['compliance.alerts.title'] });
    await waitFor(() => expect(document.querySelectorAll('.compliance-alert')).toHaveLength(2));
    const escalated = document.querySelector(`[data-request-id="${MISSED}"][data-status="escalated"]`) as HTMLElement;
    expect(within(escalated).getByText(bg['compliance.alerts.status.escalated'])).toBeTruthy();
    expect(escalated.textContent).toContain('остават 1 ч 30 мин');
    expect(within(escalated).getByText(bg['compliance.alerts.document.draft'])).toBeTruthy();
    const missed = document.querySelector(`[data-request-id="${LATE}"][data-status="missed"]`) as HTMLElement;
    expect(within(missed).getByText(bg['compliance.alerts.status.missed'])).toBeTruthy();
    expect(missed.textContent).toContain('просрочен с 2 ч 0 мин');
    expect(within(missed).getByText(bg['compliance.cause.not_signed'])).toBeTruthy();
  });

  it('the supervisor searches any facility and has no alert list (facility staff only)', async () => {
    const search = vi.fn(async () => ({ items: [{ id: F2, name: 'ДКЦ „Тракия“' }], hasMore: false }));
    const alerts = vi.fn(async () => ({ now: '2026-11-27T12:30:00Z', items: [] }));
    const reportFn = vi.fn(async () => ({ ...report, facilityId: F2, facilityName: 'ДКЦ „Тракия“' }));
    renderWith({ me: me('supervisor', []), directory: { search }, compliance: { alerts, report: reportFn } });
    await screen.findByRole('heading', { level: 2, name: bg['compliance.summary'] });
    expect(reportFn).toHaveBeenCalledWith(expect.objectContaining({ facilityId: F2 }));
    fireEvent.change(screen.getByLabelText(bg['compliance.facilitySearch']), { target: { value: 'Тракия' } });
    fireEvent.click(screen.getByRole('button', { name: bg['compliance.search'] }));
    await waitFor(() => expect(search).toHaveBeenLastCalledWith({ q: 'Тракия', limit: 50 }));
    expect(alerts).not.toHaveBeenCalled();
    expect(screen.queryByRole('heading', { name: bg['compliance.alerts.title'] })).toBeNull();
  });

  it('shows the server’s refusal, and tells other roles there is nothing to see', async () => {
    renderWith({ me: me('facility_admin', [F1]), compliance: { report: () => Promise.reject(new ApiError({ type: 'x', title: 'Забранено', status: 403, code: 'auth.forbidden' })) } });
    await waitFor(() => expect(document.querySelector('[data-problem-code="auth.forbidden"]')).not.toBeNull());
    cleanup();
    renderWith({ me: me('specialist', [F1]) });
    expect(await screen.findByText(bg['compliance.noFacility'])).toBeTruthy();
    expect(screen.queryByRole('button', { name: bg['compliance.show'] })).toBeNull();
  });
});

describe('compliance formatting', () => {
  const t = (key: string, vars?: Record<string, string | number>) => Object.entries(vars ?? {}).reduce((s, [k, v]) => s.replace(`{${k}}`, String(v)), bg[key as keyof typeof bg]);
  it('durations in days, hours and minutes; no data when null', () => {
    expect(formatDuration(t, 59)).toBe('0 мин');
    expect(formatDuration(t, 3900)).toBe('1 ч 5 мин');
    expect(formatDuration(t, -7200)).toBe('2 ч 0 мин');
    expect(formatDuration(t, 3 * 86400 + 5400)).toBe('3 д 1 ч 30 мин');
    expect(formatDuration(t, null)).toBe(bg['compliance.noData']);
  });
  it('the default period is the last 30 days in Sofia (23:30 UTC is already the next day there)', () => {
    expect(defaultPeriod(new Date('2026-03-01T23:30:00Z'))).toEqual({ from: '2026-02-01', to: '2026-03-02' });
  });
});
