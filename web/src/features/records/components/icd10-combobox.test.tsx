// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiProvider } from '../../../api/api-context.js';
import type { ApiClient } from '../../../api/client.js';
import { I18nProvider } from '../../../i18n/index.js';
import { messages } from '../../../i18n/messages.js';
import type { Diagnosis, Icd10Entry } from '../api.js';
import { DiagnosesField } from './diagnoses-field.js';
import { Icd10Combobox } from './icd10-combobox.js';

const noStorage = { getItem: () => null, setItem: () => undefined };
const bg = messages.bg;

const HYPERTENSION: Icd10Entry[] = [
  { code: 'I10', titleBg: 'Есенциална (първична) хипертония', titleEn: 'Essential (primary) hypertension', isChronic: true, source: 'demo' },
  { code: 'I11.9', titleBg: 'Хипертонично сърце без сърдечна недостатъчност', titleEn: 'Hypertensive heart disease without heart failure', isChronic: true, source: 'demo' },
  { code: 'I15.9', titleBg: 'Вторична хипертония', titleEn: 'Secondary hypertension', isChronic: true, source: 'demo' },
];

function withApi(search: (q: string) => Promise<Icd10Entry[]>, ui: React.ReactNode) {
  const client = { records: { searchIcd10: vi.fn(search) } } as unknown as ApiClient;
  render(
    <I18nProvider storage={noStorage}>
      <ApiProvider client={client}>{ui}</ApiProvider>
    </I18nProvider>,
  );
  return client.records.searchIcd10 as ReturnType<typeof vi.fn>;
}

const input = () => screen.getByRole('combobox', { name: bg['records.icd10.label'] });
const selected = () => screen.getAllByRole('option').find((o) => o.getAttribute('aria-selected') === 'true');

describe('ICD-10 combobox (fast keyboard entry)', () => {
  afterEach(cleanup);

  it('is an ARIA combobox: typing lists codes with Bulgarian and English titles, ↓/↑ move the active option, Enter picks it', async () => {
    const onPick = vi.fn();
    const search = withApi(async () => HYPERTENSION, <Icd10Combobox onPick={onPick} />);
    const box = input();
    expect(box.getAttribute('aria-expanded')).toBe('false');
    expect(box.getAttribute('aria-autocomplete')).toBe('list');

    fireEvent.change(box, { target: { value: 'хипертон' } });
    const listbox = await screen.findByRole('listbox', { name: bg['records.icd10.results'] });
    await waitFor(() => expect(screen.getAllByRole('option')).toHaveLength(3));
    expect(search).toHaveBeenLastCalledWith('хипертон', 12, expect.any(AbortSignal));
    expect(box.getAttribute('aria-expanded')).toBe('true');
    expect(box.getAttribute('aria-controls')).toBe(listbox.id);
    expect(screen.getByRole('option', { name: /I10 Есенциална \(първична\) хипертония Essential \(primary\) hypertension/ })).toBeTruthy();

    // The first result is active, so "I10" + Enter is the fastest path; the arrows move and wrap.
    expect(selected()?.textContent).toContain('I10');
    expect(box.getAttribute('aria-activedescendant')).toBe(selected()?.id);
    fireEvent.keyDown(box, { key: 'ArrowDown' });
    expect(selected()?.textContent).toContain('I11.9');
    fireEvent.keyDown(box, { key: 'ArrowDown' });
    fireEvent.keyDown(box, { key: 'ArrowDown' });
    expect(selected()?.textContent).toContain('I10');
    fireEvent.keyDown(box, { key: 'ArrowUp' });
    expect(selected()?.textContent).toContain('I15.9');
    fireEvent.keyDown(box, { key: 'ArrowUp' });
    expect(box.getAttribute('aria-activedescendant')).toBe(selected()?.id);

    fireEvent.keyDown(box, { key: 'Enter' });
    expect(onPick).toHaveBeenCalledTimes(1);
    expect(onPick).toHaveBeenCalledWith(HYPERTENSION[1]);
    // Ready for the next diagnosis at once: the text is cleared and the list closed.
    expect((box as HTMLInputElement).value).toBe('');
    expect(box.getAttribute('aria-expanded')).toBe('false');
    expect(box.getAttribute('aria-activedescendant')).toBeNull();
  });

  it('Escape closes the list, a second Escape clears the text; Enter never submits the surrounding form', async () => {
    const onPick = vi.fn();
    const onSubmit = vi.fn((e: React.FormEvent) => e.preventDefault());
    withApi(async (q) => (q === 'zzz' ? [] : HYPERTENSION), <form onSubmit={onSubmit}><Icd10Combobox onPick={onPick} /></form>);
    const box = input();
    fireEvent.change(box, { target: { value: 'хип' } });
    await waitFor(() => expect(box.getAttribute('aria-expanded')).toBe('true'));
    await screen.findAllByRole('option');
    fireEvent.keyDown(box, { key: 'Escape' });
    expect(box.getAttribute('aria-expanded')).toBe('false');
    expect((box as HTMLInputElement).value).toBe('хип');
    fireEvent.keyDown(box, { key: 'Escape' });
    expect((box as HTMLInputElement).value).toBe('');

    fireEvent.change(box, { target: { value: 'zzz' } });
    expect(await screen.findByText(bg['records.icd10.none'], { selector: 'p.records-hint' })).toBeTruthy();
    fireEvent.keyDown(box, { key: 'Enter' });
    fireEvent.submit(box.closest('form') as HTMLFormElement);
    // Only the explicit submit above reached the form handler; Enter with no result picked nothing.
    expect(onPick).not.toHaveBeenCalled();
    expect(onSubmit).toHaveBeenCalledTimes(1);
  });

  it('Enter typed before the answer arrives picks the answer to what was typed, never an older list', async () => {
    const onPick = vi.fn();
    const pending: ((items: Icd10Entry[]) => void)[] = [];
    const search = withApi(
      (q) => (q === 'I1' ? Promise.resolve(HYPERTENSION.slice(1)) : new Promise<Icd10Entry[]>((resolve) => pending.push(resolve))),
      <Icd10Combobox onPick={onPick} />,
    );
    const box = input();
    fireEvent.change(box, { target: { value: 'I1' } });
    await waitFor(() => expect(selected()?.textContent).toContain('I11.9'));
    // "I10" + Enter faster than the search answers: the stale "I1" list (I11.9 active) must not be used.
    fireEvent.change(box, { target: { value: 'I10' } });
    fireEvent.keyDown(box, { key: 'Enter' });
    expect(onPick).not.toHaveBeenCalled();
    await waitFor(() => expect(search).toHaveBeenLastCalledWith('I10', 12, expect.any(AbortSignal)));
    pending[0]?.([HYPERTENSION[0] as Icd10Entry]);
    await waitFor(() => expect(onPick).toHaveBeenCalledWith(HYPERTENSION[0]));
    expect(onPick).toHaveBeenCalledTimes(1);
    expect((box as HTMLInputElement).value).toBe('');
  });

  it('in the diagnoses field the first pick is primary, later ones additional, and exactly one stays primary', async () => {
    function Harness() {
      const [list, setList] = useState<Diagnosis[]>([]);
      return <DiagnosesField value={list} onChange={(fn) => setList(fn)} />;
    }
    withApi(async () => HYPERTENSION, <Harness />);
    const box = input();
    const pickNth = async (n: number) => {
      fireEvent.change(box, { target: { value: 'хипертон' } });
      await waitFor(() => expect(screen.getAllByRole('option')).toHaveLength(3));
      for (let i = 0; i < n; i += 1) fireEvent.keyDown(box, { key: 'ArrowDown' });
      fireEvent.keyDown(box, { key: 'Enter' });
    };
    await pickNth(0);
    await pickNth(2);
    const radios = () => screen.getAllByRole('radio', { name: /Основна диагноза/ }) as HTMLInputElement[];
    await waitFor(() => expect(radios()).toHaveLength(2));
    expect(radios().map((r) => r.checked)).toEqual([true, false]);

    // The same code again is announced, not added.
    await pickNth(0);
    expect(await screen.findByText(bg['records.diagnoses.duplicate'].replace('{code}', 'I10'))).toBeTruthy();
    expect(radios()).toHaveLength(2);

    fireEvent.click(screen.getByRole('radio', { name: bg['records.diagnoses.primaryOf'].replace('{code}', 'I15.9') }));
    expect(radios().map((r) => r.checked)).toEqual([false, true]);
    fireEvent.click(screen.getByRole('button', { name: bg['records.diagnoses.remove'].replace('{code}', 'I15.9') }));
    expect(radios().map((r) => r.checked)).toEqual([true]);
  });
});
