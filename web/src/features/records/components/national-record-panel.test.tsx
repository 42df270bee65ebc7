// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiProvider } from '../../../api/api-context.js';
import type { ApiClient } from '../../../api/client.js';
import { ApiError } from '../../../api/problem.js';
import { I18nProvider } from '../../../i18n/index.js';
import { messages } from '../../../i18n/messages.js';
import type { NationalRecord, RecordsApi } from '../api.js';
import { NationalRecordPanel } from './national-record-panel.js';

const noStorage = { getItem: () => null, setItem: () => undefined };
const bg = messages.bg;
const CONSULTATION = '0190a000-0000-7000-8000-000000000001';

const READY: NationalRecord = {
  status: 'ready',
  fetchedAt: '2026-11-25T08:05:41Z',
  fromDate: '2024-11-25',
  toDate: '2026-11-25',
  fromCache: false,
  examinations: [
    {
      nrn: '26SIM0000001',
      date: '2026-10-14T07:30:12Z',
      status: 'closed',
      doctor: { name: 'Петър Петров', uin: '0300099999', specialty: { bg: 'Общопрактикуващ лекар', en: 'General practitioner' } },
      diagnoses: [{ code: 'I10', title: { bg: 'Есенциална (първична) хипертония', en: 'Essential (primary) hypertension' } }],
    },
  ],
  referrals: [
    {
      nrn: '26SIR0000002',
      date: '2026-10-14',
      status: 'active',
      form: '3',
      consultedSpecialty: { bg: 'Кардиология', en: 'Cardiology' },
      doctor: { name: null, uin: '0399999999', specialty: { bg: 'Общопрактикуващ лекар', en: 'General practitioner' } },
      diagnoses: [{ code: 'I10', title: null }],
    },
  ],
  prescriptions: [],
};

function renderPanel(records: Partial<RecordsApi>) {
  const client = { records } as unknown as ApiClient;
  render(
    <I18nProvider storage={noStorage}>
      <ApiProvider client={client}>
        <NationalRecordPanel consultationId={CONSULTATION} />
      </ApiProvider>
    </I18nProvider>,
  );
}

describe('the national record panel (Art. 13, R-TM-29)', () => {
  afterEach(cleanup);

  it('fetches on request and shows each kind with date, doctor and specialty, diagnosis and NRN, in words and Sofia time without seconds', async () => {
    let asked = 0;
    renderPanel({ nationalRecord: async () => ({ status: 'not_fetched' }), fetchNationalRecord: async () => (asked++, READY) });
    fireEvent.click(await screen.findByRole('button', { name: bg['nationalRecord.fetch'] }));
    const exams = await screen.findByTestId('national-record-examinations');
    expect(asked).toBe(1);
    expect(screen.getByRole('heading', { level: 2, name: bg['nationalRecord.title'] })).toBeTruthy();
    // 07:30:12 UTC in October (summer time) is 10:30 in Sofia; seconds are not shown.
    expect(exams.textContent).toContain('10:30');
    expect(exams.textContent).not.toContain('10:30:12');
    expect(exams.textContent).toContain('Петър Петров, Общопрактикуващ лекар');
    expect(exams.textContent).toContain('I10 Есенциална (първична) хипертония');
    expect(exams.textContent).toContain('26SIM0000001');
    expect(exams.textContent).toContain(bg['nationalRecord.examination.closed']);
    const refs = screen.getByTestId('national-record-referrals');
    expect(refs.textContent).toContain('14 октомври 2026');
    expect(refs.textContent).toContain(`${bg['nationalRecord.referral.form.3']}: Кардиология`);
    expect(refs.textContent).toContain('лекар с УИН 0399999999');
    expect(screen.getByTestId('national-record-prescriptions').textContent).toContain(bg['nationalRecord.prescriptions.none']);
    // No internal codes: statuses, forms and specialties are words.
    const text = screen.getByTestId('national-record').textContent ?? '';
    for (const code of ['closed', 'active', 'R2', '1020', 'X005', 'not_fetched']) expect(text).not.toContain(code);
    expect(screen.queryByTestId('national-record-fetch')).toBeNull();
  });

  it('says in words that the NHIS is not answering, without blocking, and offers to try again', async () => {
    renderPanel({ nationalRecord: async () => ({ status: 'unavailable', checkedAt: '2026-11-25T08:00:00Z' }), fetchNationalRecord: async () => READY });
    expect((await screen.findByText(bg['nationalRecord.unavailable.title'])).textContent).toBe(bg['nationalRecord.unavailable.title']);
    expect(screen.getByTestId('national-record').textContent).toContain('10:00');
    fireEvent.click(screen.getByRole('button', { name: bg['nationalRecord.retry'] }));
    await screen.findByTestId('national-record-examinations');
  });

  it('shows the consent refusal as the catalogue says it', async () => {
    renderPanel({
      nationalRecord: async () => {
        throw new ApiError({ type: 'about:blank', title: 'Written informed consent is required first', status: 409, code: 'consent.missing' });
      },
    });
    expect((await screen.findByRole('alert')).textContent).toContain(bg['problem.consent.missing']);
  });
});
