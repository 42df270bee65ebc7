import { sql } from 'drizzle-orm';
import type { Deps } from '../composition.js';
import { toDate } from '../platform/clock.js';
import { withTransaction } from '../platform/db/index.js';
import type { RequestCtx } from '../platform/auth/request-context.js';
import { totpCode } from '../modules/identity/index.js';
import { makeUin } from '../platform/identifiers.js';

/**
 * Demo data for referrals and e-prescriptions (docs/referrals.md): the team-written medicines subset, an
 * RHIF outpatient contract for every demo doctor at an outpatient facility (GPs as PIMP, the others as
 * SIMP), and each GP practice's quarterly regulatory standards (R-48; the numbers are illustrative, the
 * real ones come from the practice's contract protocol).
 * @param deps - the app dependencies
 */
export async function seedDemoReferrals(deps: Deps): Promise<void> {
  await deps.referrals.seedDemoMedicines();
  const at = toDate(deps.clock.now()).toISOString();
  await withTransaction(deps.db, async (tx) => {
    const roles = await tx.execute<{ practitioner_id: string; facility_id: string; type_code: string; is_gp: boolean }>(sql`
      SELECT r.practitioner_id, r.facility_id, f.type_code,
        EXISTS (SELECT 1 FROM practitioner_specialty s WHERE s.practitioner_id = r.practitioner_id AND s.specialty_code = '0000') AS is_gp
      FROM practitioner_role r JOIN facility f ON f.id = r.facility_id WHERE r.active AND f.type_code IN ('ipmp', 'isomp', 'mc', 'dkc')`);
    for (const [i, r] of roles.rows.entries()) {
      const kind = r.type_code === 'ipmp' && r.is_gp ? 'pimp' : 'simp';
      await tx.execute(sql`INSERT INTO rhif_outpatient_contract (id, practitioner_id, facility_id, kind, contract_number, valid_from, created_at)
        VALUES (${deps.ids.uuid()}, ${r.practitioner_id}, ${r.facility_id}, ${kind}, ${`DEMO-${String(i + 1).padStart(4, '0')}`}, '2026-01-01', ${at})`);
      if (kind === 'pimp') {
        for (const [form, perQuarter] of [['3', 60], ['4', 90], ['6', 10], ['7', 15]] as const) {
          await tx.execute(sql`INSERT INTO referral_standard (facility_id, form, per_quarter, valid_from, source)
            VALUES (${r.facility_id}, ${form}, ${perQuarter}, '2026-01-01', 'Distansia demo (illustrative)') ON CONFLICT DO NOTHING`);
        }
      }
    }
    // R-REF-07: the demo hospitals are contracted for a few clinical pathways (illustrative numbers).
    const hospitals = await tx.execute<{ id: string }>(sql`SELECT id FROM facility WHERE type_code = 'hospital'`);
    for (const h of hospitals.rows) {
      for (const pathway of ['047', '048', '050']) {
        await tx.execute(sql`INSERT INTO hospital_pathway_contract (facility_id, pathway_code, valid_from) VALUES (${h.id}, ${pathway}, '2026-01-01') ON CONFLICT DO NOTHING`);
      }
    }
  });
}

/** The UIN of the demo GP `gp@demo.distansia.bg` (demo.gp.ts: the first practice's doctor). */
export const DEMO_GP_UIN = makeUin(7100);

/** The demo GP's account, doctor and practice, and a signer that uses the previous TOTP step's code. */
async function demoGp(deps: Deps, gpTotpSecret: string) {
  const found = await deps.db.execute<{ account_id: string; practitioner_id: string; facility_id: string }>(sql`
    SELECT a.id AS account_id, a.practitioner_id, r.facility_id FROM user_account a JOIN practitioner p ON p.id = a.practitioner_id
      JOIN practitioner_role r ON r.practitioner_id = a.practitioner_id AND r.active
    WHERE a.role = 'specialist' AND p.uin = ${DEMO_GP_UIN} LIMIT 1`);
  const gp = found.rows[0];
  if (!gp) return undefined;
  const ctx: RequestCtx = { requestId: 'system:demo', ip: '127.0.0.1', userAgent: undefined, lang: 'bg', actor: { type: 'user', id: gp.account_id, role: 'specialist', sessionId: 'demo', facilityIds: [gp.facility_id] } };
  const signAs = async <T>(issue: (code: string) => Promise<T>): Promise<T> => {
    // An earlier seed step (sick leave, another document) may have spent this step with the same account.
    await deps.db.execute(sql`UPDATE totp_credential SET last_step = NULL WHERE account_id = ${gp.account_id}`);
    const code = await totpCode(gpTotpSecret, Math.floor(deps.clock.now().epochMilliseconds / 1000) - 30);
    try {
      return await issue(code);
    } finally {
      await deps.db.execute(sql`UPDATE totp_credential SET last_step = NULL WHERE account_id = ${gp.account_id}`);
    }
  };
  return { ...gp, ctx, signAs };
}

const CARDIOLOGY_REFERRAL = { form: '3', purpose: 'consultation', basis: 'clinical_need', independentlyJudgedNecessary: false, diagnosisCode: 'I10', specialtyCode: '1020' } as const;

/**
 * Demo only: the demo GP examines each patient (an in-person visit two hours ago) and issues № 3 referrals
 * to cardiology, which the outbox records in the NHIS simulator at once, so the demo's NHIF-paid bookings
 * with the demo cardiologist carry a referral (W14) and the demo patient has some left to book with.
 * @param deps - the app dependencies
 * @param wanted - per patient, how many referrals
 * @param gpTotpSecret - the demo GP's authenticator secret
 * @returns the НРН of each patient's referrals, in issue order
 */
export async function seedDemoBookingReferrals(deps: Deps, wanted: { patientId: string; count: number }[], gpTotpSecret: string): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  const gp = await demoGp(deps, gpTotpSecret);
  if (!gp) return out;
  const now = deps.clock.now();
  const ids: { patientId: string; id: string }[] = [];
  for (const w of wanted) {
    const visit = await deps.encounters.recordVisit(gp.ctx, { facilityId: gp.facility_id, patientId: w.patientId, practitionerId: gp.practitioner_id, kind: 'in_person', startedAt: now.subtract({ minutes: 120 }).toString(), endedAt: now.subtract({ minutes: 105 }).toString(), nhifPaid: true });
    for (let i = 0; i < w.count; i += 1) {
      const r = await gp.signAs((code) => deps.referrals.issueReferral(gp.ctx, { encounterId: visit.id, ...CARDIOLOGY_REFERRAL, request: 'Демо: кардиологична консултация при артериална хипертония', code }));
      ids.push({ patientId: w.patientId, id: r.id });
    }
  }
  // The NHIS simulator acknowledges through the outbox (R001/R002); the demo waits for the НРН.
  for (let round = 0; round < 5; round += 1) {
    await deps.outbox.drain(200);
    const rows = await deps.db.execute<{ id: string; nrn: string | null }>(sql`SELECT id, trim(nrn) AS nrn FROM referral WHERE id IN (${sql.join(ids.map((x) => sql`${x.id}`), sql`, `)})`);
    const nrn = new Map(rows.rows.map((r) => [r.id, r.nrn]));
    if (ids.every((x) => nrn.get(x.id))) {
      for (const x of ids) out.set(x.patientId, [...(out.get(x.patientId) ?? []), nrn.get(x.id) as string]);
      return out;
    }
  }
  throw new Error('demo: the NHIS simulator did not acknowledge the demo referrals');
}

/**
 * Demo only: the demo GP records an in-person visit of the demo patient (earlier today) and issues from
 * it a № 3 to cardiology and an e-prescription, through the real use cases (rules, signature with a
 * second factor, audit, NHIS outbox). The seed signs with the GP's demo authenticator, using the previous
 * 30-second step's code, and then forgets the spent step (as the consent seed does), so the demo
 * account's own codes keep working.
 * @param deps - the app dependencies
 * @param patientId - the demo patient (listed with the demo GP)
 * @param gpTotpSecret - the demo GP's authenticator secret
 */
export async function seedDemoDocuments(deps: Deps, patientId: string, gpTotpSecret: string): Promise<void> {
  const gp = await demoGp(deps, gpTotpSecret);
  if (!gp) return;
  const now = deps.clock.now();
  const visit = await deps.encounters.recordVisit(gp.ctx, { facilityId: gp.facility_id, patientId, practitionerId: gp.practitioner_id, kind: 'in_person', startedAt: now.subtract({ minutes: 40 }).toString(), endedAt: now.subtract({ minutes: 25 }).toString(), nhifPaid: true });
  await gp.signAs((code) => deps.referrals.issueReferral(gp.ctx, { encounterId: visit.id, ...CARDIOLOGY_REFERRAL, request: 'Демо: кардиологична консултация – ЕКГ и ехокардиография при неконтролирана хипертония', code }));
  await gp.signAs((code) => deps.referrals.issuePrescription(gp.ctx, { encounterId: visit.id, diagnosisCode: 'I10', lines: [{ medicineCode: 'DEMO0001', packages: 1, days: 30, dosage: '1 таблетка сутрин', substitutionAllowed: true }], code }));
}
