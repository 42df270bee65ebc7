import { sql } from 'drizzle-orm';
import { Temporal } from 'temporal-polyfill';
import type { Deps } from '../composition.js';
import { withTransaction } from '../platform/db/index.js';
import type { RequestCtx } from '../platform/auth/request-context.js';
import { makeEgn, makeLnch } from '../platform/identifiers.js';
import type { DemoAccount } from './demo.seed.js';
import { enrolTotpForDemo } from './enrol-totp.js';

/** The listed GP patient whose insurance the simulator reports as interrupted (deterministic, so every start can configure it). */
export const INTERRUPTED = { birth: '1971-02-14', sex: 'male' as const, serial: 490 };
export const interruptedEgn = () => makeEgn(Temporal.PlainDate.from(INTERRUPTED.birth), INTERRUPTED.sex, INTERRUPTED.serial);

/** The demo foreigner of demo.patients.ts (LNCh): not insured with the NHIF, covered by a policy. */
export const DEMO_FOREIGNER_LNCH = () => makeLnch(4242);
/** A second foreigner, by passport, whose policy has expired. */
export const DEMO_EXPIRED_PASSPORT = 'CA7781204';

/**
 * Configures the simulator for the demo foreigners (answers live in memory: runs on every start): the
 * NRA does not know the LNCh holder, so the mandatory policy pays (R-INS-01, R-INS-11).
 * @param deps - the app dependencies
 */
export function configureDemoForeignInsurance(deps: Deps): void {
  deps.insuranceSimulator.setAnswer(DEMO_FOREIGNER_LNCH(), { code: 0, status: 'not_found' });
}

/**
 * Foreigners' insurance and paid NHIF care in the demo (W22-W23, R-PC-13): the demo foreigner gets an
 * account and a short-stay policy ending in 7 days (so the renewal notice shows); a second foreigner's
 * policy ended yesterday (NHIF-paid booking is refused); the listed patient with interrupted rights gets an
 * account; and the cardiology practices whose consultation the NHIF pays publish its paid price.
 * @param deps - the app dependencies
 * @param ctx - the system actor
 * @returns the accounts to add to demo-accounts.json
 */
export async function seedDemoInsurance(deps: Deps, ctx: RequestCtx): Promise<DemoAccount[]> {
  configureDemoForeignInsurance(deps);
  const today = deps.clock.now().toZonedDateTimeISO(deps.config.DEFAULT_TIME_ZONE).toPlainDate();
  const accounts: DemoAccount[] = [];
  const made = await withTransaction(deps.db, async (tx) => {
    const account = async (patientId: string, email: string, password: string, description: string) => {
      const id = await deps.identity.createAccount(tx, ctx, { email, password, role: 'patient', patientId });
      accounts.push({ role: 'patient', email, password, totpSecret: (await enrolTotpForDemo(deps, tx, ctx, id)).secret, description });
      return id;
    };
    const foreignerId = await deps.patients.findPatientIdByIdentifier(tx, 'lnch', DEMO_FOREIGNER_LNCH());
    const interruptedId = await deps.patients.findPatientIdByIdentifier(tx, 'egn', interruptedEgn());
    const expiredId = await deps.patients.createPatient(tx, ctx, { identifierKind: 'passport', identifier: DEMO_EXPIRED_PASSPORT, givenName: 'Daniel', familyName: 'Tremblay', birthDate: '1979-04-22', sex: 'male', citizenship: 'CA' });
    const out: { patientId: string; accountId: string; endsOn: string; startsOn: string }[] = [];
    if (foreignerId) {
      const accountId = await account(foreignerId, 'foreigner@demo.distansia.bg', 'Struma-Kresna-Most-2026', 'Foreign patient (LNCh, not NHIF-insured) with a mandatory medical insurance policy ending in 7 days: /my-insurance, booking paid by the insurer, the 24-hour insurer notice (R-INS-*)');
      out.push({ patientId: foreignerId, accountId, startsOn: today.subtract({ days: 82 }).toString(), endsOn: today.add({ days: 7 }).toString() });
    }
    const expiredAccount = await account(expiredId, 'foreigner.expired@demo.distansia.bg', 'Shipka-Vrah-Pamet-2026', 'Foreign patient (passport) whose policy expired yesterday: NHIF-paid booking is refused until a new policy is recorded (R-INS-01, R-INS-06)');
    out.push({ patientId: expiredId, accountId: expiredAccount, startsOn: today.subtract({ days: 90 }).toString(), endsOn: today.subtract({ days: 1 }).toString() });
    if (interruptedId) {
      await account(interruptedId, 'patient2@demo.distansia.bg', 'Perin-Vihren-Ezero-2026', 'Second patient (on the Sofia GP list) with interrupted health insurance: NHIF-paid cardiology is shown with its price before booking (R-PC-13)');
    }
    // R-PC-13: the facility's price for the same care, for patients the NHIF does not pay for.
    const nhifServices = await tx.execute<{ facility_id: string; specialty_code: string }>(sql`SELECT facility_id, specialty_code FROM facility_service
      WHERE nhif_paid AND status = 'published' AND kind_code = 'consultation' AND mode = 'synchronous' AND specialty_code = '1020' ORDER BY facility_id`);
    const registry = deps.registry.within(tx);
    for (const s of nhifServices.rows) {
      const draft = await registry.createService(ctx, s.facility_id, {
        specialtyCode: s.specialty_code,
        kindCode: 'consultation',
        name: 'Видеоконсултация (платена)',
        description: 'Същата консултация за пациенти, за които НЗОК не заплаща (прекъснати права, неосигурени).',
        mode: 'synchronous',
        typicalMinutes: 30,
        priceEurCents: 4500,
      });
      await registry.publishService(ctx, s.facility_id, draft.id, draft.version);
    }
    return out;
  });
  for (const p of made) {
    const patientCtx: RequestCtx = { ...ctx, actor: { type: 'user', id: p.accountId, role: 'patient', sessionId: 'demo', facilityIds: [], patientId: p.patientId } };
    await deps.insurance.recordForeignPolicy(patientCtx, p.patientId, {
      stayKind: 'short',
      insurer: 'ЗАД „Демо Застраховане“ АД',
      policyNumber: `ZMZ-${p.startsOn.replace(/-/g, '')}-${p.patientId.slice(-4)}`,
      concludedOn: Temporal.PlainDate.from(p.startsOn).subtract({ days: 2 }).toString(),
      startsOn: p.startsOn,
      endsOn: p.endsOn,
      sumInsuredCents: 3_067_751,
      sumCurrency: 'EUR',
      premiumCents: 6_000,
      premiumCurrency: 'EUR',
      premiumPayment: 'single',
    });
  }
  return accounts;
}
