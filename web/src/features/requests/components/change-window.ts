import type { Problem } from '../../../api/problem.js';
import type { Translate } from '../../../i18n/index.js';

/**
 * The facility's rule, in words, when the server refused a cancel or reschedule as too late
 * (`request.change_window_closed`, whose `meta.minMinutes` is the facility's minimum notice for the
 * caller's side). Undefined for any other problem.
 * @param problem - the server's answer
 * @param t - the translate function
 * @returns the sentence to show, or undefined
 */
export function changeWindowText(problem: Problem | undefined, t: Translate): string | undefined {
  if (problem?.code !== 'request.change_window_closed') return undefined;
  const min = problem.meta?.minMinutes;
  if (typeof min !== 'number') return undefined;
  const limit = min % 60 === 0 ? t('requests.detail.window.hours', { n: min / 60 }) : t('requests.detail.window.minutes', { n: min });
  return t('requests.detail.window.closed', { limit });
}
