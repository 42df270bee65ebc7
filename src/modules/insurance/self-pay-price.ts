import type { Queryable } from '../../platform/db/index.js';
import { facilityPaidPrice, type ServiceForPayment } from './foreign-insurance.repo.js';

/**
 * The price a patient pays for a service when the NHIF does not (R-PC-13: the practice's price-list fee),
 * in euro cents, or null when the facility states none. Today the price comes from the facility's own
 * services: the service's price, or for an NHIF-paid service (which carries none, migrations/0006) the
 * facility's published paid service of the same specialty and kind. The one place to change when price
 * lists with effective dates arrive (docs/insurance.md).
 * @param q - a transaction or the database
 * @param service - the service booked
 * @param _on - the day of care (a versioned price list will need it)
 * @returns euro cents, or null
 */
export async function selfPayPriceEurCents(q: Queryable, service: ServiceForPayment, _on: string): Promise<number | null> {
  if (service.price_eur_cents !== null) return Number(service.price_eur_cents);
  return facilityPaidPrice(q, service);
}
