import {
  BookingPaymentSchema,
  ForeignInsuranceSchema,
  ForeignPolicySchema,
  InsuranceCheckSchema,
  InsuredEventSchema,
  type BookingPayment,
  type ForeignInsurance,
  type ForeignPolicy,
  type ForeignPolicyInput,
  type InsuranceCheck,
  type InsuredEvent,
} from '../../../../src/contracts/insurance.js';
import { z } from 'zod';
import type { Http } from '../../api/http.js';

export type { BookingPayment, ForeignInsurance, ForeignPolicy, ForeignPolicyInput, InsuranceCheck, InsuredEvent };

const EventListSchema = z.object({ items: z.array(InsuredEventSchema) });

/** Insurance status, foreigners' policies and who pays for a booking (server module `insurance`). */
export interface InsuranceApi {
  /** `GET /api/v1/patients/:id/insurance`: the NRA status today (cached per day). */
  status(patientId: string): Promise<InsuranceCheck>;
  /** `GET /api/v1/patients/:id/foreign-insurance`: policies, coverage today, covers and exclusions. */
  foreign(patientId: string): Promise<ForeignInsurance>;
  /** `POST /api/v1/patients/:id/foreign-insurance`: record a policy (checked against R-INS-02..06). */
  recordPolicy(patientId: string, body: ForeignPolicyInput): Promise<ForeignPolicy>;
  /** `GET /api/v1/patients/:id/booking-payment`: who pays for a booking and the price, before booking. */
  bookingPayment(patientId: string, serviceId: string, slotId: string): Promise<BookingPayment>;
  /** `GET /api/v1/patients/:id/insured-events`: insured events and claim files. */
  events(patientId: string): Promise<{ items: InsuredEvent[] }>;
}

export function createInsuranceApi(http: Http): InsuranceApi {
  const id = (v: string) => encodeURIComponent(v);
  return {
    status: (patientId) => http.getJson(`/api/v1/patients/${id(patientId)}/insurance`, InsuranceCheckSchema),
    foreign: (patientId) => http.getJson(`/api/v1/patients/${id(patientId)}/foreign-insurance`, ForeignInsuranceSchema),
    recordPolicy: (patientId, body) => http.sendJson('POST', `/api/v1/patients/${id(patientId)}/foreign-insurance`, body, ForeignPolicySchema),
    bookingPayment: (patientId, serviceId, slotId) =>
      http.getJson(`/api/v1/patients/${id(patientId)}/booking-payment?${new URLSearchParams({ serviceId, slotId }).toString()}`, BookingPaymentSchema),
    events: (patientId) => http.getJson(`/api/v1/patients/${id(patientId)}/insured-events`, EventListSchema),
  };
}

/** Euro cents as money in the page's language (amounts are kept in EUR, DECISIONS 17). */
export function formatEur(cents: number, locale: string): string {
  return new Intl.NumberFormat(locale, { style: 'currency', currency: 'EUR' }).format(cents / 100);
}
