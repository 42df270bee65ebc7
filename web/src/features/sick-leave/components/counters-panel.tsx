import { useResource } from '../../../api/use-resource.js';
import { useT } from '../../../i18n/index.js';

/**
 * The issuing doctor's 14/40 counters for the planned period (R-SL-01, R-SL-02, DECISIONS 18), shown
 * before signing; over a limit it says the ЛКК decides.
 */
export function CountersPanel({ patientId, practitionerId, kind, startOn, endOn }: { patientId: string; practitionerId: string; kind: string; startOn: string; endOn: string }) {
  const t = useT();
  const valid = /^\d{4}-\d{2}-\d{2}$/.test(startOn) && /^\d{4}-\d{2}-\d{2}$/.test(endOn) && startOn <= endOn;
  const r = useResource(valid ? `sl-counters:${patientId}:${kind}:${startOn}:${endOn}` : null, (a) => a.sickLeave.counters(patientId, { practitionerId, kind, startOn, endOn }));
  if (!valid || r.state !== 'ready') return null;
  const c = r.value.counters;
  const year = Object.values(c.yearDaysBefore).reduce((n, d) => Math.max(n, d), 0);
  const episode = c.episodeDaysBefore + c.requestDays;
  return (
    <section className={r.value.ok ? 'sl-counters' : 'sl-counters sl-counters--over'} aria-live="polite" data-testid="sl-counters">
      <h2 className="sl-counters__title">{t('sickLeave.counters.title')}</h2>
      <p>
        <meter min={0} max={c.limits.consecutiveDays} value={Math.min(episode, c.limits.consecutiveDays)} aria-label={t('sickLeave.counters.episodeLabel')} />{' '}
        {t('sickLeave.counters.episode', { days: String(episode), limit: String(c.limits.consecutiveDays) })}
      </p>
      <p>
        <meter min={0} max={c.limits.yearDays} value={Math.min(year + c.requestDays, c.limits.yearDays)} aria-label={t('sickLeave.counters.yearLabel')} />{' '}
        {t('sickLeave.counters.year', { days: String(year + c.requestDays), limit: String(c.limits.yearDays) })}
      </p>
      <p className="sl-counters__all">{t('sickLeave.counters.all', { days: String(c.allIssuersYearDays) })}</p>
      {r.value.ok ? null : <p className="sl-counters__over"><strong>{t('sickLeave.counters.over')}</strong></p>}
    </section>
  );
}
