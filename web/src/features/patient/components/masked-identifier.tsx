import { useId, useState } from 'react';
import { useApi } from '../../../api/api-context.js';
import { ProblemAlert } from '../../../api/problem-alert.js';
import { problemFromError, type Problem } from '../../../api/problem.js';
import { useT } from '../../../i18n/index.js';
import './patient-banner.css';

/** All but the last two characters hidden, as the server masks it (`request-patient-banner.ts`). */
export function maskIdentifier(identifier: string): string {
  return `${'•'.repeat(Math.max(0, identifier.length - 2))}${identifier.slice(-2)}`;
}

export interface MaskedIdentifierProps {
  /** What the identifier is, already translated ("ЕГН"). */
  kindLabel: string;
  /** The masked text shown until the reveal. */
  masked: string;
  /** The request the reveal is audited against; none: the identifier stays masked. */
  requestId: string | null;
  /**
   * What to show once the reveal is recorded, e.g. the identifier a signed document holds; without it,
   * the identifier the server returns.
   */
  revealedText?: string;
  /** Rendered as `span` inside other text (a `dd`), as `p` on its own (the banner). */
  inline?: boolean;
}

/**
 * The EGN/LNCh masked, with reveal-on-click (docs/design-system.md#patient-banner): the reveal is one audited
 * call (`patient.identifier_revealed`, shown to the patient in the access log), "hide" puts the mask back.
 */
export function MaskedIdentifier({ kindLabel, masked, requestId, revealedText, inline = false }: MaskedIdentifierProps) {
  const t = useT();
  const api = useApi();
  const hintId = useId();
  const [revealed, setRevealed] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem>();
  const Wrapper = inline ? 'span' : 'p';
  return (
    <Wrapper className="patient-banner__identifier">
      <span>{kindLabel}</span>{' '}
      <span className="patient-banner__number" data-testid="patient-identifier" data-revealed={revealed !== undefined}>
        {revealed ?? masked}
      </span>{' '}
      {requestId === null ? null : revealed !== undefined ? (
        <button type="button" className="link-button" onClick={() => setRevealed(undefined)}>
          {t('banner.hide')}
        </button>
      ) : (
        <button
          type="button"
          className="link-button"
          aria-describedby={hintId}
          aria-disabled={busy ? 'true' : undefined}
          onClick={() => {
            if (busy) return;
            setBusy(true);
            setProblem(undefined);
            api.patient
              .revealIdentifier(requestId)
              .then((r) => setRevealed(revealedText ?? r.identifier), (e: unknown) => setProblem(problemFromError(e)))
              .finally(() => setBusy(false));
          }}
        >
          {t('banner.reveal')} <span className="visually-hidden">{kindLabel}</span>
        </button>
      )}
      <span id={hintId} className="visually-hidden">
        {t('banner.revealHint')}
      </span>
      {problem ? <ProblemAlert problem={problem} /> : null}
    </Wrapper>
  );
}
