import { useEffect, useState } from 'react';
import type { Problem } from '../../../api/problem.js';
import type { Translate } from '../../../i18n/index.js';

/**
 * The facility's rule, in words: a change is possible no later than `minMinutes` before the start.
 * @param minMinutes - the facility's minimum notice for the caller's side
 * @param t - the translate function
 * @returns the sentence to show
 */
export function changeRuleText(minMinutes: number, t: Translate): string {
  const limit = minMinutes % 60 === 0 ? t('requests.detail.window.hours', { n: minMinutes / 60 }) : t('requests.detail.window.minutes', { n: minMinutes });
  return t('requests.detail.window.closed', { limit });
}

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
  return changeRuleText(min, t);
}

// setTimeout takes a signed 32-bit delay; a deadline further away is re-armed in steps.
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Whether an instant has passed by the browser's clock, turning true by itself when it passes while the
 * page is open (one timer, no polling). The server still decides every change (it answers
 * `request.change_window_closed`); this only stops offering what it would refuse.
 * @param iso - the instant, or null (never passes)
 * @returns true once the browser's time is after the instant
 */
export function useInstantPassed(iso: string | null): boolean {
  const at = iso === null ? null : Date.parse(iso);
  const [passed, setPassed] = useState(() => at !== null && Date.now() > at);
  useEffect(() => {
    let timer: number | undefined;
    const check = () => {
      const left = at === null ? Infinity : at - Date.now();
      setPassed(left < 0);
      // Tricky: a timer may fire a little early; the check then finds time left and re-arms.
      if (Number.isFinite(left) && left >= 0) timer = window.setTimeout(check, Math.min(left + 1, MAX_TIMER_MS));
    };
    check();
    return () => window.clearTimeout(timer);
  }, [at]);
  return passed;
}
