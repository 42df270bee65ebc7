import { mkdir, writeFile } from 'node:fs/promises';
import { sql } from 'drizzle-orm';
import { resolve } from 'node:path';
import type { Deps } from '../composition.js';
import { withTransaction } from '../platform/db/index.js';
import { systemCtx } from '../platform/auth/request-context.js';
import { seedRegistry } from './demo.registry.js';
import { seedPatients } from './demo.patients.js';
import { seedDemoHealthRecord } from './demo.records.js';
import { seedDemoAccounts } from './demo-accounts.js';
import { enrolTotpForDemo } from './enrol-totp.js';
import { configureDemoInsurance, seedDemoGp } from './demo.gp.js';
import { seedDemoInsurance } from './demo.insurance.js';
import { seedDemoPractice } from './demo.practice.js';
import type { DemoPatient } from './demo.patients.js';
import { seedDemoRequests } from './demo.requests.js';
import { seedDemoConsentTemplates } from './demo.consent.js';
import { seedDemoBookingReferrals, seedDemoDocuments, seedDemoReferrals } from './demo.referrals.js';
import { seedDemoSickLeave } from './demo.sick-leave.js';

import type { DemoAccount } from './demo-accounts.js';
import { seedIcd10Demo } from './icd10-demo.js';

/** One line of `DATA_DIR/demo-accounts.json` (declared beside the account seeding). */
export type { DemoAccount };

/**
 * Seeds the demo on first start, in one transaction through the real services (so rules, encryption
 * and audit all apply), and writes the demo accounts file. New modules extend the steps here.
 * @param deps - the app dependencies
 * @returns whether data was created now and where the accounts file is
 */
export async function seedDemo(deps: Deps): Promise<{ created: boolean; accountsFile: string }> {
  const accountsFile = resolve(deps.config.DATA_DIR, 'demo-accounts.json');
  // Insurance simulator answers live in memory: configured on every start (R-NHIF-01 demo patient).
  configureDemoInsurance(deps);
  if ((await deps.registry.countFacilities(deps.db)) > 0) return { created: false, accountsFile };
  const ctx = systemCtx('demo');
  const accounts: DemoAccount[] = [];
  let demoRefs: { patientId: string; practitionerId: string; facilityId: string } | undefined;
  let gpRefs: { adult?: DemoPatient; child?: DemoPatient } = {};
  await withTransaction(deps.db, async (tx) => {
    const registry = await seedRegistry(deps, tx, ctx);
    const patients = await seedPatients(deps, tx, ctx);
    // Identity: one account per role, each with TOTP enrolled; secrets go to demo-accounts.json.
    const cardiologist = registry.practitioners[0];
    const adult = patients.find((p) => !p.minor);
    if (!cardiologist || !adult) throw new Error('demo registry is incomplete');
    demoRefs = { patientId: adult.id, practitionerId: cardiologist.id, facilityId: cardiologist.facilityId };
    gpRefs = { adult, child: patients.find((p) => p.minor) };
    accounts.push(...(await seedDemoAccounts(deps, tx, ctx, { facilityIds: registry.facilityIds, practitionerId: cardiologist.id, patientId: adult.id })));
    // Coordinators manage only the facilities of the centres they coordinate (docs/access.md).
    const coordinator = await tx.execute<{ id: string }>(sql`SELECT id FROM user_account WHERE role = 'coordinator' ORDER BY created_at, id LIMIT 1`);
    if (coordinator.rows[0]) await deps.registry.within(tx).assignCentreCoordinator(ctx, registry.coordinatedCentreId, coordinator.rows[0].id);
    // Access: the demo parent represents the demo child, as checked by the facility administrator.
    const child = patients.find((p) => p.minor);
    const parent = accounts.find((a) => a.role === 'representative');
    const admin = accounts.find((a) => a.role === 'facility_admin');
    const facilityId = registry.facilityIds[0];
    if (child && parent && admin && facilityId) {
      await deps.access.linkRepresentativeIn(tx, ctx, { representativeEmail: parent.email, checkedByEmail: admin.email, patientId: child.id, facilityId, basis: 'parent', documentRef: 'Удостоверение за раждане (демо)' });
    }
    // Consent: every demo facility publishes its own treatment and recording forms (Art. 19(3)).
    await seedDemoConsentTemplates(deps, tx, ctx, registry.facilityIds);
    // Requests: emergency routing — a specialist of facility 3 may consult facility 0 in
    // cardiology (Art. 14(3)); facility 0's cardiologists are on the rota, the demo cardiologist first.
    const requesterFacility = registry.facilityIds[3];
    const providerFacility = registry.facilityIds[0];
    const requester = registry.practitioners.find((p) => p.facilityId === requesterFacility);
    if (requesterFacility && providerFacility && requester) {
      await deps.registry.within(tx).createEmergencyContract(ctx, {
        requesterFacilityId: requesterFacility,
        providerFacilityId: providerFacility,
        reference: 'Договор за спешни консултации № 7/2026',
        specialtyCodes: ['1020'],
        validFrom: deps.clock.now().toZonedDateTimeISO(deps.config.DEFAULT_TIME_ZONE).toPlainDate().toString(),
      });
      const rota = registry.practitioners.filter((p) => p.facilityId === providerFacility && p.specialtyCode === '1020').map((p) => p.id);
      await deps.requests.setRotaIn(tx, providerFacility, '1020', [cardiologist.id, ...rota.filter((id) => id !== cardiologist.id)]);
      const email = 'emergency.requester@demo.distansia.bg';
      const password = 'Kaliakra-Nos-Far-2026';
      const id = await deps.identity.createAccount(tx, ctx, { email, password, role: 'specialist', practitionerId: requester.id });
      const { secret } = await enrolTotpForDemo(deps, tx, ctx, id);
      accounts.push({ role: 'specialist', email, password, totpSecret: secret, description: 'Specialist at the facility that sends emergency consultations (contract with the demo centre)' });
    }
    await deps.audit.record(tx, ctx, { action: 'demo.seeded' });
  });
  // GP practices and patient lists (W8-W10): two practices, about 300 listed patients, one with interrupted
  // insurance; then the medicines subset, RHIF contracts and the practices' standards (docs/referrals.md).
  // They come before the bookings: the demo's NHIF-paid bookings carry the demo GP's referrals (W14).
  const gpAccounts = await seedDemoGp(deps, ctx, gpRefs);
  await seedDemoReferrals(deps);
  const gpSecret = gpAccounts.find((a) => a.email === 'gp@demo.distansia.bg')?.totpSecret;
  // Six № 3 to cardiology for the demo patient (four booked below, one given back by the cancelled
  // request) and two for the demo child, so both can book the demo cardiologist on the NHIF.
  const referralsOf = demoRefs && gpSecret
    ? await seedDemoBookingReferrals(deps, [{ patientId: demoRefs.patientId, count: 6 }, ...(gpRefs.child ? [{ patientId: gpRefs.child.id, count: 2 }] : [])], gpSecret)
    : new Map<string, string[]>();
  const patientReferrals = demoRefs ? [...(referralsOf.get(demoRefs.patientId) ?? [])] : [];
  // Requests: a few requests of the demo patient in different states, after the seeding commit
  // (the use cases open their own transactions).
  if (demoRefs) await seedDemoRequests(deps, demoRefs, patientReferrals);
  // Records: one completed service with a signed ambulatory sheet, so the patient's health
  // record and the facility's compliance report show real data.
  const patientSecret = accounts.find((a) => a.role === 'patient')?.totpSecret;
  const specialistSecret = accounts.find((a) => a.email.startsWith('cardiologist@'))?.totpSecret;
  if (demoRefs && patientSecret && specialistSecret) await seedDemoHealthRecord(deps, demoRefs, { patient: patientSecret, specialist: specialistSecret }, patientReferrals.shift());
  // Records: the team-written ICD-10 demo subset; `distansia import icd10` loads the NHIS CL011 list.
  await seedIcd10Demo(deps.records, ctx);
  accounts.push(...gpAccounts);
  accounts.push(...(await seedDemoInsurance(deps, ctx)));
  // The practice's day (docs/practice.md): administrators, price lists, last month's visits, fees and calls.
  accounts.push(...(await seedDemoPractice(deps, ctx)));
  // Sick leave, the ЛКК and TELK (docs/sick-leave.md): the ЛКК's doctors, a certificate, a decided case, a TELK preparation.
  if (demoRefs && gpSecret) accounts.push(...(await seedDemoSickLeave(deps, ctx, { ...demoRefs, gpTotpSecret: gpSecret })));
  // A referral and an e-prescription the demo patient finds on /referrals, issued by the demo GP.
  if (demoRefs && gpSecret) await seedDemoDocuments(deps, demoRefs.patientId, gpSecret);
  await mkdir(resolve(deps.config.DATA_DIR), { recursive: true });
  await writeFile(accountsFile, `${JSON.stringify(accounts, null, 2)}\n`, { mode: 0o600 });
  return { created: true, accountsFile };
}
