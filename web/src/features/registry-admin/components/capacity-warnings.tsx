import { locales, useLanguage, useT } from '../../../i18n/index.js';
import type { CapacityWarning } from '../api.js';
import { weekdayName } from '../format.js';

/**
 * Art. 16 (R-TM-33): where the published capacity exceeds the specialists' time. The warnings do not
 * block publication; they tell the facility to staff enough or change the schedule.
 */
export function CapacityWarnings({
  warnings,
  nameOf,
  announce = false,
  headingLevel = 4,
}: {
  warnings: readonly CapacityWarning[];
  nameOf: (practitionerId: string) => string;
  /** Announce as an alert (right after a change), rather than show quietly in a list. */
  announce?: boolean;
  /** The heading level that fits where the warnings are shown. */
  headingLevel?: 3 | 4;
}) {
  const t = useT();
  const { language } = useLanguage();
  if (warnings.length === 0) return null;
  const Heading = headingLevel === 3 ? 'h3' : 'h4';
  const hours = (minutes: number) => new Intl.NumberFormat(locales[language], { maximumFractionDigits: 1 }).format(minutes / 60);
  return (
    <div className="ra-warnings" role={announce ? 'alert' : undefined} data-rule="R-TM-33">
      <Heading className="ra-warnings__title">{t('registryAdmin.warn.title')}</Heading>
      <p>{t('registryAdmin.warn.intro')}</p>
      <ul>
        {warnings.map((w) => (
          <li key={`${w.kind}/${w.practitionerId}/${w.weekday ?? ''}/${w.scheduleIds.join('+')}`}>
            {w.kind === 'overlap'
              ? t('registryAdmin.warn.overlap', { name: nameOf(w.practitionerId), minutes: w.minutes, weekday: weekdayName(w.weekday ?? 1, locales[language]) })
              : t('registryAdmin.warn.weekly', { name: nameOf(w.practitionerId), hours: hours(w.minutes), limit: hours(w.limitMinutes ?? 0) })}
          </li>
        ))}
      </ul>
    </div>
  );
}
