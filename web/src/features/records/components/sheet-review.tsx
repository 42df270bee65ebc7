import { useEffect, useId, useRef, useState } from 'react';
import { ProblemAlert } from '../../../api/problem-alert.js';
import { Callout } from '../../../components/ui.js';
import { useT, type MessageKey } from '../../../i18n/index.js';
import { emptyTemplateLines, signingIssues } from '../../../../../src/contracts/records-signing.js';
import type { SheetDraft } from '../use-sheet-draft.js';
import { DocumentView } from './document-view.js';
import { OneTimeCodeInput } from '../../../components/one-time-code.js';
import { CardSigning } from './card-signing.js';

/**
 * The check-your-answers step: the saved draft, read-only, exactly as it will be signed. Before the
 * signature it names the sections still missing (the server refuses those, Art. 20(1)) and the template
 * prompts left empty ("ЕКГ:"), and the signature is confirmed with a fresh code (docs/decisions.md#d5).
 */
export function SheetReview({ draft }: { draft: SheetDraft }) {
  const t = useT();
  const ids = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  const [code, setCode] = useState('');
  useEffect(() => heading.current?.focus(), []);
  const { doc } = draft;
  if (!doc) return null;
  const missing = [...new Set(signingIssues(doc.kind, doc.body).map((issue) => issue.pointer.replace('#/body/', '')))];
  const emptyLines = emptyTemplateLines(doc.body);
  const field = (name: string) => t(`records.field.${name}` as MessageKey);
  const digits = code.replace(/\s/g, '');
  return (
    <section className="records-review" aria-labelledby={`${ids}-review`}>
      <h2 id={`${ids}-review`} ref={heading} tabIndex={-1}>
        {t('records.review.title')}
      </h2>
      <p>{t('records.review.lead')}</p>
      {draft.problem ? <ProblemAlert problem={draft.problem} /> : null}
      {missing.length > 0 ? (
        <div data-testid="sheet-missing">
          <Callout tone="danger" title={t('records.review.missingTitle')}>
            <ul>
              {missing.map((name) => (
                <li key={name}>{field(name)}</li>
              ))}
            </ul>
          </Callout>
        </div>
      ) : null}
      {emptyLines.length > 0 ? (
        <div data-testid="sheet-empty-lines">
          <Callout tone="warn" title={t('records.review.emptyLinesTitle')}>
            <p>{t('records.review.emptyLinesLead')}</p>
            <ul>
              {emptyLines.map((l) => (
                <li key={`${l.section}:${l.line}`}>{t('records.review.emptyLine', { section: field(l.section), line: l.line })}</li>
              ))}
            </ul>
          </Callout>
        </div>
      ) : null}
      <DocumentView doc={doc} body={doc.body} />
      <form
        className="records-sign"
        onSubmit={(event) => {
          event.preventDefault();
          void draft.sign(digits).then(() => setCode(''));
        }}
      >
        <div className="ra-field">
          <label htmlFor={`${ids}-code`}>{t('records.review.code')}</label>
          <p id={`${ids}-code-hint`} className="ra-field__hint">
            {t('records.review.codeHint')}
          </p>
          <OneTimeCodeInput id={`${ids}-code`} className="records-sign__code" value={code} onChange={setCode} aria-describedby={`${ids}-code-hint`} />
        </div>
        <div className="records-actions">
          <button type="submit" className="button" disabled={draft.busy || digits.length !== 6}>
            {t('records.review.sign')}
          </button>
          <button type="button" className="records-secondary" onClick={draft.backToEdit} disabled={draft.busy}>
            {t('records.review.back')}
          </button>
        </div>
      </form>
      <CardSigning draft={draft} code={digits} />
    </section>
  );
}
