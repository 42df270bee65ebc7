import { useMemo } from 'react';
import { dayFormatter } from '../../i18n/format-when.js';
import { locales, useLanguage } from '../../i18n/index.js';

export { addDays, sofiaDay } from '../../components/week-calendar.js';

/** A calendar day ("2026-03-10") as people say it: "вт, 10 март" (DESIGN: dates written out). */
export function useFormatDay(): (isoDate: string) => string {
  const { language } = useLanguage();
  return useMemo(() => {
    const f = dayFormatter(locales[language]);
    // Noon UTC is the same calendar day in Europe/Sofia.
    return (iso: string) => f(new Date(`${iso}T12:00:00Z`));
  }, [language]);
}
