// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiProvider } from '../../../api/api-context.js';
import type { ApiClient } from '../../../api/client.js';
import { ApiError } from '../../../api/problem.js';
import { I18nProvider } from '../../../i18n/index.js';
import { messages } from '../../../i18n/messages.js';
import type { PatientApi, PatientIdentifier } from '../api.js';
import { MaskedIdentifier, maskIdentifier, type MaskedIdentifierProps } from './masked-identifier.js';

// The EGN/LNCh on clinical screens (docs/design-system.md#patient-banner): masked until the reveal, which
// is one audited call (`patient.identifier_revealed`), never a second one while it runs; "hide" masks again.

const noStorage = { getItem: () => null, setItem: () => undefined };
const bg = messages.bg;
const REQUEST = '0190a000-0000-7000-8000-0000000000a1';
const EGN = '8403174512';

function renderWith(revealIdentifier: PatientApi['revealIdentifier'], props: Partial<MaskedIdentifierProps> = {}) {
  const client = { patient: { revealIdentifier } } as unknown as ApiClient;
  return render(
    <I18nProvider storage={noStorage}>
      <ApiProvider client={client}>
        <MaskedIdentifier kindLabel="ЕГН" masked={maskIdentifier(EGN)} requestId={REQUEST} {...props} />
      </ApiProvider>
    </I18nProvider>,
  );
}

const number = () => screen.getByTestId('patient-identifier');
const revealButton = () => screen.getByRole('button', { name: `${bg['banner.reveal']} ЕГН` });

describe('maskIdentifier', () => {
  it('hides all but the last two characters, as the server does', () => {
    expect(maskIdentifier(EGN)).toBe('••••••••12');
    expect(maskIdentifier('12')).toBe('12');
    expect(maskIdentifier('7')).toBe('7');
    expect(maskIdentifier('')).toBe('');
  });
});

describe('MaskedIdentifier', () => {
  afterEach(cleanup);

  it('shows the mask, reveals through one audited call, and masks again on "hide"', async () => {
    const revealIdentifier = vi.fn(async (): Promise<PatientIdentifier> => ({ identifierKind: 'egn', identifier: EGN }));
    renderWith(revealIdentifier);
    expect(number().textContent).toBe('••••••••12');
    expect(number().dataset.revealed).toBe('false');
    expect(screen.queryByText(EGN)).toBeNull();
    // The hint that the reveal is logged is announced with the button.
    const hint = document.getElementById(revealButton().getAttribute('aria-describedby') ?? '');
    expect(hint?.textContent).toBe(bg['banner.revealHint']);

    fireEvent.click(revealButton());
    await waitFor(() => expect(number().textContent).toBe(EGN));
    expect(revealIdentifier).toHaveBeenCalledTimes(1);
    expect(revealIdentifier).toHaveBeenCalledWith(REQUEST);
    expect(number().dataset.revealed).toBe('true');

    fireEvent.click(screen.getByRole('button', { name: bg['banner.hide'] }));
    expect(number().textContent).toBe('••••••••12');
    expect(revealButton()).toBeTruthy();
  });

  it('does not call twice while the reveal is on its way', async () => {
    let answer!: (v: PatientIdentifier) => void;
    const revealIdentifier = vi.fn(() => new Promise<PatientIdentifier>((resolve) => (answer = resolve)));
    renderWith(revealIdentifier);
    fireEvent.click(revealButton());
    await waitFor(() => expect(revealButton().getAttribute('aria-disabled')).toBe('true'));
    fireEvent.click(revealButton());
    expect(revealIdentifier).toHaveBeenCalledTimes(1);
    answer({ identifierKind: 'egn', identifier: EGN });
    await waitFor(() => expect(number().textContent).toBe(EGN));
  });

  it('shows what the screen holds (a signed document) once the reveal is recorded', async () => {
    const revealIdentifier = vi.fn(async (): Promise<PatientIdentifier> => ({ identifierKind: 'egn', identifier: EGN }));
    renderWith(revealIdentifier, { revealedText: '8403174512 (в документа)' });
    fireEvent.click(revealButton());
    await waitFor(() => expect(number().textContent).toBe('8403174512 (в документа)'));
    expect(revealIdentifier).toHaveBeenCalledTimes(1);
  });

  it('stays masked and shows the problem when the reveal is refused', async () => {
    const revealIdentifier = vi.fn(async (): Promise<PatientIdentifier> => {
      throw new ApiError({ type: 'x', title: 'Not allowed', status: 403, code: 'auth.forbidden' });
    });
    renderWith(revealIdentifier);
    fireEvent.click(revealButton());
    expect((await screen.findByRole('alert')).textContent).toContain(bg['problem.auth.forbidden']);
    expect(number().textContent).toBe('••••••••12');
    expect(revealButton().getAttribute('aria-disabled')).toBeNull();
  });

  it('offers no reveal without a request to audit it against', () => {
    const revealIdentifier = vi.fn();
    renderWith(revealIdentifier, { requestId: null });
    expect(number().textContent).toBe('••••••••12');
    expect(screen.queryByRole('button')).toBeNull();
  });

  it('renders inside other text as a span when inline', () => {
    const { container } = renderWith(vi.fn(), { inline: true });
    expect(container.querySelector('.patient-banner__identifier')?.tagName).toBe('SPAN');
  });
});
