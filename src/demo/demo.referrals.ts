import { sql } from 'drizzle-orm';
import type { Deps } from '../composition.js';
import { toDate } from '../platform/clock.js';
import { withTransaction } from '../platform/db/index.js';

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
  });
}
