import { Link } from 'react-router';
import { useT } from '../../../i18n/index.js';

/** The short reference people quote on the phone (the same one the notifications carry). */
export const requestRef = (id: string) => id.slice(-8).toUpperCase();

/** The link from a request card to its detail page (history, appointment, changes, attachments). */
export function RequestDetailLink({ requestId }: { requestId: string }) {
  const t = useT();
  return (
    <Link to={`/requests/${requestId}`} aria-label={t('requests.detail.openLabel', { ref: requestRef(requestId) })} data-detail-link={requestId}>
      {t('requests.detail.open')}
    </Link>
  );
}
