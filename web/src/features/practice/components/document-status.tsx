import { useT } from '../../../i18n/index.js';
import type { DocumentRequest } from '../api.js';

/** Where a document request stands, in words: due by a day, overdue, issued on a day, or refused with why. */
export function DocumentStatus({ request: r }: { request: DocumentRequest }) {
  const t = useT();
  if (r.status === 'issued') return <span>{t('practice.docs.issued', { date: r.issuedOn ?? '' })}</span>;
  if (r.status === 'refused') return <span>{t('practice.docs.refused', { why: r.note ?? '' })}</span>;
  if (r.overdue) return <strong>{t('practice.docs.overdue', { date: r.dueOn ?? '' })}</strong>;
  return <span>{r.dueOn ? t('practice.docs.due', { date: r.dueOn }) : t('practice.docs.dueSoon')}</span>;
}
