// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { I18nProvider, languageStorageKey, LanguageSwitch, useT } from './index.js';
import { messages } from './messages.js';

function Heading() {
  const t = useT();
  return <h1>{t('home.title')}</h1>;
}

function renderWithI18n() {
  return render(
    <I18nProvider>
      <LanguageSwitch />
      <Heading />
    </I18nProvider>,
  );
}

describe('i18n', () => {
  beforeEach(() => {
    window.localStorage.clear();
    document.documentElement.lang = '';
  });
  afterEach(cleanup);

  it('defaults to Bulgarian and sets <html lang="bg">', () => {
    renderWithI18n();
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe(messages.bg['home.title']);
    expect(document.documentElement.lang).toBe('bg');
    expect(screen.getByLabelText<HTMLSelectElement>(messages.bg['language.label']).value).toBe('bg');
  });

  it('switches to English through the labelled select and remembers the choice', () => {
    renderWithI18n();
    act(() => {
      fireEvent.change(screen.getByLabelText(messages.bg['language.label']), { target: { value: 'en' } });
    });
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe(messages.en['home.title']);
    expect(document.documentElement.lang).toBe('en');
    expect(window.localStorage.getItem(languageStorageKey)).toBe('en');
    // The label follows the language too.
    expect(screen.getByLabelText(messages.en['language.label'])).toBeTruthy();
  });

  it('starts in the stored language on the next visit', () => {
    window.localStorage.setItem(languageStorageKey, 'en');
    renderWithI18n();
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe(messages.en['home.title']);
    expect(document.documentElement.lang).toBe('en');
  });

  it('ignores an unknown stored value and falls back to Bulgarian', () => {
    window.localStorage.setItem(languageStorageKey, 'xx');
    renderWithI18n();
    expect(document.documentElement.lang).toBe('bg');
  });

  it('has the same placeholders in every language', () => {
    const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const key of Object.keys(messages.bg) as (keyof typeof messages.bg)[]) {
      expect(placeholders(messages.en[key]), key).toEqual(placeholders(messages.bg[key]));
    }
  });
});
