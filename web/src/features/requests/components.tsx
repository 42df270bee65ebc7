import { useFormatDateTime, useT } from '../../i18n/index.js';
import type { MessageKey } from '../../i18n/catalogue.js';
import type { RequestWithAppointment } from './api.js';

/** One request as a card: kind, status, facility, specialist and time (no clinical content). */
export function RequestCard({ item, children }: { item: RequestWithAppointment; children?: React.ReactNode }) {
  const t = useT();
  const fmt = useFormatDateTime();
  const r = item.request;
  const emergency = r.urgency === 'emergency';
  return (
    <article className={`card card--flat request-card${emergency ? ' request-card--emergency' : ''}`} data-request-id={r.id} data-status={r.status} aria-label={`${t(`requests.urgency.${r.urgency}` as MessageKey)}: ${r.provider.facilityName}`}>
      <header className="request-card__head">
        <strong>{emergency ? t('requests.urgency.emergency') : t('requests.urgency.planned')}</strong>
        <span className="request-card__status">{t(`requests.status.${r.status}` as MessageKey)}</span>
      </header>
      <p>
        {r.provider.facilityName} · {r.provider.specialtyName}
        {r.provider.practitionerName ? ` · ${r.provider.practitionerName}` : ''}
      </p>
      {emergency && r.requester.practitionerName ? <p>{t('requests.from', { name: r.requester.practitionerName, facility: r.requester.facilityName ?? '' })}</p> : null}
      <p>{item.appointment ? fmt(new Date(item.appointment.start)) : t(`requests.mode.${r.mode}` as MessageKey)}</p>
      {r.acceptedAt ? <p className="request-card__accepted">{t('requests.acceptedBy', { name: r.acceptedByPractitionerName ?? '', time: fmt(new Date(r.acceptedAt)) })}</p> : null}
      {children}
    </article>
  );
}
