import { locales, useLanguage, useT } from '../../../i18n/index.js';
import { formatEur, formatInstant } from '../format.js';

/** An instant in Europe/Sofia, with the visitor's own wall time when their zone differs. */
export function SlotTime({ instant, userZone }: { instant: string; userZone: string }) {
  const t = useT();
  const { language } = useLanguage();
  const { sofia, local } = formatInstant(instant, locales[language], userZone);
  return (
    <>
      <time dateTime={instant}>{sofia}</time>
      {local ? <span className="directory-muted"> {t('directory.slots.yourTime', { time: local })}</span> : null}
    </>
  );
}

/** The price of a service: "paid by the NHIF" or an amount in euro. */
export function Price({ service }: { service: { priceEurCents: number | null; nhifPaid: boolean } }) {
  const t = useT();
  const { language } = useLanguage();
  if (service.nhifPaid) return <>{t('directory.price.nhif')}</>;
  if (service.priceEurCents === null) return <>{t('directory.price.unknown')}</>;
  return <>{formatEur(service.priceEurCents, locales[language])}</>;
}
