import { isMessageKey, useT, type Translate } from '../i18n/index.js';
import type { Problem } from './problem.js';
import './problem-alert.css';

/** The localised message for a problem: chosen by `problem.code`, else the server's title. */
export function problemMessage(problem: Problem, t: Translate): string {
  const key = `problem.${problem.code}`;
  return isMessageKey(key) ? t(key) : problem.title;
}

/** Shows a failed call to the user. The request reference helps support find the server log entry. */
export function ProblemAlert({ problem }: { problem: Problem }) {
  const t = useT();
  return (
    <div className="problem-alert" role="alert" data-problem-code={problem.code}>
      <svg className="problem-alert__icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
        <circle cx="12" cy="12" r="11" fill="currentColor" />
        <rect x="10.75" y="5.5" width="2.5" height="8.5" rx="1.25" fill="#fff" />
        <circle cx="12" cy="17.5" r="1.5" fill="#fff" />
      </svg>
      <div>
        <p className="problem-alert__message">{problemMessage(problem, t)}</p>
        {problem.instance ? (
          <p className="problem-alert__reference">{t('problem.reference', { instance: problem.instance })}</p>
        ) : null}
      </div>
    </div>
  );
}
