import { sql } from 'drizzle-orm';
import { Temporal } from 'temporal-polyfill';
import type { Deps } from '../composition.js';
import { withTransaction } from '../platform/db/index.js';
import type { RequestCtx } from '../platform/auth/request-context.js';
import { makeUin } from '../platform/identifiers.js';
import { totpCode } from '../modules/identity/index.js';
import type { DemoAccount } from './demo-accounts.js';
import { enrolTotpForDemo } from './enrol-totp.js';

const as = (ctx: RequestCtx, id: string, role: 'specialist' | 'facility_admin', facilityIds: string[]): RequestCtx => ({ ...ctx, actor: { type: 'user', id, role, sessionId: 'demo', facilityIds } });
const EMPLOYER = { name: 'Демо Софтуер ООД', address: 'гр. София, бул. „Цариградско шосе“ 115', jobTitle: 'програмист' };

/**
 * Sick leave, the ЛКК and TELK (docs/sick-leave.md), seeded through the real use cases: the centre's ЛКК
 * with two new demo doctors (`lkk.chair`, `lkk.member`); the Sofia GP's visit of the demo patient ten days
 * ago with a 3-day certificate (issued late, with the reason recorded: R-SL-20) and a medical notice for
 * sport, and a visit today; a listed patient's case routed by a № 6, decided in today's session and signed
 * by both members (so the chair's monthly report has a protocol); and the demo patient's TELK preparation
 * with its clock and checklist.
 * @param deps - the app dependencies
 * @param ctx - the system actor
 * @param refs - the demo patient, the demo cardiologist (not an ЛКК member) and the Sofia GP's TOTP secret
 * @returns the accounts to add to demo-accounts.json
 */
export async function seedDemoSickLeave(deps: Deps, ctx: RequestCtx, refs: { patientId: string; practitionerId: string; gpTotpSecret: string }): Promise<DemoAccount[]> {
  const zone = deps.config.DEFAULT_TIME_ZONE;
  const today = deps.clock.now().toZonedDateTimeISO(zone).toPlainDate();
  const accounts: DemoAccount[] = [];
  const made = await withTransaction(deps.db, async (tx) => {
    const one = async <T>(q: ReturnType<typeof sql>) => (await tx.execute<T & Record<string, unknown>>(q)).rows[0];
    const gp = await one<{ id: string; account: string; facility: string }>(sql`SELECT p.id, a.id AS account, r.facility_id AS facility FROM practitioner p
      JOIN user_account a ON a.practitioner_id = p.id JOIN practitioner_role r ON r.practitioner_id = p.id WHERE p.uin = ${makeUin(7100)} LIMIT 1`);
    const admin = await one<{ id: string; facility: string }>(sql`SELECT a.id, f.facility_id AS facility FROM user_account a JOIN account_facility f ON f.account_id = a.id WHERE a.role = 'facility_admin' ORDER BY a.created_at, a.id LIMIT 1`);
    if (!gp || !admin) throw new Error('demo GP or facility administrator missing');
    const doctors = (await tx.execute<{ id: string }>(sql`SELECT r.practitioner_id AS id FROM practitioner_role r WHERE r.facility_id = ${admin.facility} AND r.active
      AND r.practitioner_id <> ${refs.practitionerId} AND NOT EXISTS (SELECT 1 FROM user_account a WHERE a.practitioner_id = r.practitioner_id) ORDER BY r.created_at, r.practitioner_id LIMIT 2`)).rows;
    const [chair, member] = doctors;
    if (!chair || !member) throw new Error('the demo centre needs two more doctors for its ЛКК');
    const ids: Record<'chair' | 'member', string> = { chair: '', member: '' };
    for (const [who, p, password] of [['chair', chair, 'Rila-Ezera-Sedem-2026'], ['member', member, 'Pirin-Vihren-Vrah-2026']] as const) {
      const email = `lkk.${who}@demo.distansia.bg`;
      ids[who] = await deps.identity.createAccount(tx, ctx, { email, password, role: 'specialist', practitionerId: p.id, facilityIds: [admin.facility] });
      accounts.push({ role: 'specialist', email, password, totpSecret: (await enrolTotpForDemo(deps, tx, ctx, ids[who])).secret, description: `ЛКК ${who} at the demo centre: the queue, sessions, decisions and signatures (/lkk)` });
    }
    const listed = await one<{ id: string }>(sql`SELECT patient_id AS id FROM gp_registration WHERE practitioner_id = ${gp.id} AND patient_id <> ${refs.patientId} ORDER BY starts_on, id LIMIT 1`);
    if (!listed) throw new Error('the demo GP has no listed patients');
    return { gp, admin, chair: { practitionerId: chair.id, account: ids.chair }, member: { practitionerId: member.id, account: ids.member }, listedId: listed.id };
  });
  const { gp, admin, chair, member, listedId } = made;
  const gpCtx = as(ctx, gp.account, 'specialist', [gp.facility]);
  const lkk = await deps.sickLeave.createLkk(as(ctx, admin.id, 'facility_admin', [admin.facility]), {
    facilityId: admin.facility, name: 'ЛКК по вътрешни болести', orderRef: 'Заповед № РД-09-12/2026 (демо)',
    members: [{ practitionerId: chair.practitionerId, role: 'chair' }, { practitionerId: member.practitionerId, role: 'member' }],
  });
  // The demo patient's earlier illness: examined ten days ago, the certificate written today (R-SL-20, reason recorded).
  const at = (d: Temporal.PlainDate, hour: number) => d.toZonedDateTime({ timeZone: zone, plainTime: Temporal.PlainTime.from({ hour }) }).toInstant().toString();
  const earlier = today.subtract({ days: 10 });
  const past = await deps.encounters.recordVisit(gpCtx, { facilityId: gp.facility, patientId: refs.patientId, practitionerId: gp.id, kind: 'in_person', startedAt: at(earlier, 9), nhifPaid: true, reason: 'Температура и кашлица' });
  // The GP signs with the previous 30-second step: demo sessions and e2e journeys use the current and later ones (replay protection).
  const code = await totpCode(refs.gpTotpSecret, Math.floor(deps.clock.now().epochMilliseconds / 1000) - 30);
  await deps.sickLeave.issueSickLeave(gpCtx, { encounterId: past.id, kind: 'illness', capacity: 'gp', startOn: earlier.toString(), endOn: earlier.add({ days: 2 }).toString(), diagnosis: { code: 'J06.9', text: 'Остра инфекция на горните дихателни пътища' }, employers: [EMPLOYER], lateIssueReason: 'unclear_duration', code });
  // A medical notice for sport on that visit (E37, R-EXP-05): the patient downloads it from /my-sick-leaves.
  await deps.sickLeave.issueMedicalNotice(gpCtx, { encounterId: past.id, purpose: 'sport', text: 'Клинично здрав. Може да тренира плуване без ограничения.', validUntil: earlier.add({ years: 1 }).toString() });
  // Today's visit: the one a GP issues from in the demo (and in e2e/sick-leave.e2e.test.ts).
  await deps.encounters.recordVisit(gpCtx, { facilityId: gp.facility, patientId: refs.patientId, practitionerId: gp.id, kind: 'in_person', startedAt: deps.clock.now().subtract({ minutes: 20 }).toString(), nhifPaid: true, reason: 'Болки в кръста' });
  // A listed patient's case routed to the ЛКК (R-SL-03), decided in today's session and signed by both members.
  const routed = await deps.sickLeave.routeCase(gpCtx, { lkkId: lkk.id, facilityId: gp.facility, patientId: listedId, source: 'form6', request: { startOn: today.toString(), endOn: today.add({ days: 9 }).toString(), kind: 'illness', diagnosisCode: 'M54.5', employers: [{ name: 'Пример Строй ЕАД', address: 'гр. София, ул. „Оборище“ 5', jobTitle: 'техник' }] } });
  const chairCtx = as(ctx, chair.account, 'specialist', [admin.facility]);
  const session = await deps.sickLeave.openSession(chairCtx, lkk.id, today.toString());
  await deps.sickLeave.decideCase(chairCtx, routed.id, { sessionId: session.id, decision: 'extend', text: 'Продължава временната неработоспособност: лечението на дискова херния продължава', startOn: today.toString(), endOn: today.add({ days: 9 }).toString() });
  await deps.sickLeave.signProtocol(as(ctx, member.account, 'specialist', [admin.facility]), routed.id);
  // The demo patient's TELK preparation (W16): the 30-day clock and the document checklist.
  const telk = await deps.sickLeave.openTelkCase(gpCtx, { patientId: refs.patientId, facilityId: gp.facility, route: 'gp', temporaryIncapacityPreceded: false, child: false, addressDiffers: false, hadPreviousDecision: false, diagnoses: [{ code: 'I10', documented: true, presentAtExam: true }], medications: [] });
  await deps.sickLeave.updateTelkCase(gpCtx, telk.id, { checklist: { identity_document: true, medical_documents: true } });
  return accounts;
}
