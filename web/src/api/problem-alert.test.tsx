// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { I18nProvider, type Language } from '../i18n/index.js';
import { messages } from '../i18n/messages.js';
import { ProblemAlert } from './problem-alert.js';
import type { Problem } from './problem.js';

const slotTaken: Problem = {
  type: 'https://errors.distansia.bg/appointment.slot_taken',
  title: 'That time is no longer available',
  status: 409,
  code: 'appointment.slot_taken',
  instance: 'urn:request:req-42',
};

function renderAlert(problem: Problem, language: Language = 'bg') {
  const storage = { getItem: () => null, setItem: () => undefined };
  return render(
    <I18nProvider initialLanguage={language} storage={storage}>
      <ProblemAlert problem={problem} />
    </I18nProvider>,
  );
}

describe('ProblemAlert', () => {
  afterEach(cleanup);

  it('shows the Bulgarian message for the problem code, not the server title', () => {
    renderAlert(slotTaken);
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain(messages.bg['problem.appointment.slot_taken']);
    expect(alert.textContent).not.toContain(slotTaken.title);
  });

  it('shows the English message when the interface is in English', () => {
    renderAlert(slotTaken, 'en');
    expect(screen.getByRole('alert').textContent).toContain(messages.en['problem.appointment.slot_taken']);
  });

  it('shows the request reference so support can find the log entry', () => {
    renderAlert(slotTaken);
    expect(screen.getByRole('alert').textContent).toContain('urn:request:req-42');
  });

  it('falls back to the server title for a code it has no message for', () => {
    renderAlert({ type: 'about:blank', title: 'Консултацията е приключила', status: 409, code: 'consultation.closed' });
    expect(screen.getByRole('alert').textContent).toContain('Консултацията е приключила');
  });
});
