import { sql } from 'drizzle-orm';
import { Temporal } from 'temporal-polyfill';
import type { Deps } from '../composition.js';
import { withTransaction, type Queryable } from '../platform/db/index.js';
import { facilityScope } from '../platform/crypto/keyring.js';
import { makeEgn, makeFacilityNumber } from '../platform/identifiers.js';
import type { RequestCtx } from '../platform/auth/request-context.js';
import type { PatientDemographics } from '../contracts/patients.js';
import { piiContext } from '../modules/patients/index.js';
import { ageGroupOf, assessVisitFee, type DatedRule, type PriceListVersion } from '../modules/practice/index.js';
import { seededRandom } from './demo.data.js';
import type { DemoAccount } from './demo-accounts.js';
import { enrolTotpForDemo } from './enrol-totp.js';

// The practice's day for the demo GP practices (numbers as demo.gp.ts makes them: Sofia 22, Plovdiv 16) (docs/practice.md): an administrator each, the 2024 price
// list of the source practice ([004] L59-75, BGN) and a 2026 list in EUR, the out-of-hours arrangement,
// and last month's visits, fees and phone consultations so the monthly NHIF report has content. The
// history is written as records imported from the practice's previous system: the patients were listed
// only today, so the live use case (which checks the list on the visit's day, R-PC-13) would price them
// all; the fee of each visit is still assessed by the module's own rule (`assessVisitFee`).

const ADMINS = [
  { email: 'gp.admin@demo.distansia.bg', password: 'Vitosha-Cherni-Vrah-2026' },
  { email: 'gp.admin.plovdiv@demo.distansia.bg', password: 'Sahat-Tepe-Kamak-2026' },
];

// [004] L59-75, valid from 01.01.2024, in BGN; exam.primary and visit.home are not priced by the source
// (E24 gap) and carry demo amounts.
const LIST_2024 = [
  ['exam.primary', 'Преглед на пациент с прекъснати права или нерегистриран', '30.00'],
  ['visit.home', 'Домашно посещение по желание на пациента', '60.00'],
  ['test.antibody_rapid', 'Качествено изследване за антитела IgM/IgG – бърз тест', '20.00'],
  ['test.antibody_quant', 'Количествено изследване на антитела (венозна кръв)', '30.00'],
  ['test.covid_antigen', 'Бърз антигенен тест COVID-19', '20.00'],
  ['test.combo_antigen', 'Комбиниран бърз тест COVID-19 + грип A/B + RSV', '30.00'],
  ['test.strep_a', 'Бърз антигенен тест за стрептокок група A', '20.00'],
  ['echo.lung', 'Ехографско проследяване на белодробни промени', '40.00'],
  ['abpm.24h', '24-часово амбулаторно мониториране на кръвното налягане', '30.00'],
  ['holter.ecg', '24-часово ЕКГ (Холтер) мониториране', '40.00'],
] as const;
const LIST_2026: [string, string, string][] = [
  ['exam.primary', 'Преглед на пациент с прекъснати права или нерегистриран', '16.00'],
  ['visit.home', 'Домашно посещение по желание на пациента', '32.00'],
  ['test.covid_antigen', 'Бърз антигенен тест COVID-19', '10.00'],
  ['test.strep_a', 'Бърз антигенен тест за стрептокок група A', '10.00'],
  ['abpm.24h', '24-часово амбулаторно мониториране на кръвното налягане', '16.00'],
  ['holter.ecg', '24-часово ЕКГ (Холтер) мониториране', '21.00'],
];

async function loadRules(q: Queryable): Promise<DatedRule[]> {
  const r = await q.execute<{ key: string; rule_id: string; value: unknown; valid_from: string; valid_to: string | null }>(
    sql`SELECT key, rule_id, value, to_char(valid_from, 'YYYY-MM-DD') AS valid_from, to_char(valid_to, 'YYYY-MM-DD') AS valid_to FROM nhif_rule`,
  );
  return r.rows.map((x) => ({ key: x.key, ruleId: x.rule_id, value: typeof x.value === 'string' ? (JSON.parse(x.value) as unknown) : x.value, validFrom: x.valid_from, validTo: x.valid_to }));
}

/**
 * Seeds the practice's day for the two demo GP practices (after `seedDemoGp`).
 * @param deps - the app dependencies
 * @param ctx - the system actor
 * @returns the administrator accounts for demo-accounts.json
 */
export async function seedDemoPractice(deps: Deps, ctx: RequestCtx): Promise<DemoAccount[]> {
  const zone = deps.config.DEFAULT_TIME_ZONE;
  const now = deps.clock.now();
  const today = now.toZonedDateTimeISO(zone).toPlainDate();
  const month = today.toPlainYearMonth().subtract({ months: 1 });
  const rand = seededRandom(1919);
  const accounts: DemoAccount[] = [];
  await withTransaction(deps.db, async (tx) => {
    const practices = await tx.execute<{ id: string; name: string; practitioner_id: string; gp_account: string; desk_account: string }>(sql`
      SELECT f.id, f.name, pr.practitioner_id,
        (SELECT ua.id FROM user_account ua WHERE ua.practitioner_id = pr.practitioner_id ORDER BY ua.created_at LIMIT 1) AS gp_account,
        (SELECT ua.id FROM user_account ua JOIN account_facility af ON af.account_id = ua.id WHERE af.facility_id = f.id AND ua.role = 'coordinator' ORDER BY ua.created_at LIMIT 1) AS desk_account
      FROM facility f JOIN practitioner_role pr ON pr.facility_id = f.id
      WHERE f.number IN (${makeFacilityNumber('22', 5100)}, ${makeFacilityNumber('16', 5101)}) ORDER BY f.rhif_code DESC`);
    const rules = await loadRules(tx);
    const at = now.toString();
    for (const [i, p] of practices.rows.entries()) {
      const admin = ADMINS[i];
      if (!admin) continue;
      const adminId = await deps.identity.createAccount(tx, ctx, { email: admin.email, password: admin.password, role: 'facility_admin', facilityIds: [p.id] });
      accounts.push({ role: 'facility_admin', email: admin.email, password: admin.password, totpSecret: (await enrolTotpForDemo(deps, tx, ctx, adminId)).secret, description: `Administrator of ${p.name}: price list, monthly NHIF report, complaints and the data register` });
      // Price lists (E24): 2024 in BGN, 2026 in EUR (DECISIONS 17).
      const versions: PriceListVersion[] = [];
      for (const [from, currency, items] of [['2024-01-01', 'BGN', LIST_2024.map((x) => [...x])], ['2026-01-01', 'EUR', LIST_2026]] as const) {
        const id = deps.ids.uuid();
        await tx.execute(sql`INSERT INTO practice_price_list (id, facility_id, effective_from, currency, created_by, created_at) VALUES (${id}, ${p.id}, ${from}::date, ${currency}, ${adminId}, ${at}::timestamptz)`);
        for (const [k, [code, name, amount]] of items.entries()) {
          await tx.execute(sql`INSERT INTO practice_price_item (price_list_id, code, name, amount, position) VALUES (${id}, ${code}, ${name}, ${amount}::numeric, ${k})`);
        }
        versions.push({ id, effectiveFrom: from, currency, items: items.map(([code, name, amount]) => ({ code, name, amount })) });
      }
      // Out of hours (W21, R-OOH-03): Sofia individually by phone (1.4), Plovdiv through the nearest hospital's duty room (1.3).
      await tx.execute(sql`INSERT INTO practice_out_of_hours (id, facility_id, arrangement, partner_name, partner_distance_km, phone, note, valid_from, created_at)
        VALUES (${deps.ids.uuid()}, ${p.id}, ${i === 0 ? 'individual_24h_phone' : 'contract_nearest'}, ${i === 0 ? null : 'УМБАЛ „Свети Георги“ – кабинет за неотложна помощ'}, ${i === 0 ? null : 3.5},
          ${i === 0 ? '+359 886 175 066' : '+359 32 602 000'}, ${'За спешни състояния: 112'}, ${'2024-01-01'}::date, ${at}::timestamptz)`);
      // Last month's visits: the practice's first 36 listed patients, on working days, 09:00 onwards.
      const listed = await tx.execute<{ patient_id: string; pii: Buffer }>(sql`SELECT r.patient_id, pt.pii FROM gp_registration r JOIN patient pt ON pt.id = r.patient_id
        WHERE r.facility_id = ${p.id} AND r.ended_on IS NULL ORDER BY r.created_at, r.id LIMIT 36`);
      const days: Temporal.PlainDate[] = [];
      for (let d = month.toPlainDate({ day: 1 }); d.month === month.month; d = d.add({ days: 1 })) if (deps.calendar.isWorkingDay(d)) days.push(d);
      let receipt = 0;
      for (const [k, row] of listed.rows.entries()) {
        const demo = await deps.keyring.decryptJson<PatientDemographics>(ctx, tx, 'registry', row.pii, piiContext(row.patient_id));
        const day = days[k % days.length] as Temporal.PlainDate;
        const startedAt = day.toZonedDateTime({ timeZone: zone, plainTime: Temporal.PlainTime.from({ hour: 9 + (k % 8), minute: (k * 13) % 60 }) }).toInstant();
        const on = day.toString();
        const ageYears = Temporal.PlainDate.from(demo.birthDate).until(day, { largestUnit: 'years' }).years;
        const kind = k % 12 === 5 ? 'home_visit' : k % 4 === 1 ? 'phone' : 'in_person';
        const purpose = kind === 'in_person' && k % 6 === 0 ? 'prophylaxis' : k % 10 === 7 ? 'dispensary' : 'treatment';
        const exemptionCode = k % 9 === 4 && ageYears >= 18 ? 'listed_disease' : undefined;
        // The patient demo.gp.ts configures as interrupted in the insurance simulator pays the price list (R-PC-13).
        const interrupted = demo.identifier === makeEgn(Temporal.PlainDate.from('1971-02-14'), 'male', 490);
        const fee = assessVisitFee({ date: on, kind, nhifPaid: true, insurance: interrupted ? 'interrupted' : 'insured', registeredHere: true, emergency: false, ageYears, exemptionCode }, rules, versions);
        const encounterId = deps.ids.uuid();
        const nhifPaid = fee.basis !== 'price_list';
        await tx.execute(sql`INSERT INTO encounter (id, patient_id, facility_id, practitioner_id, kind, nhif_paid, started_at, recorded_by_account_id, created_at)
          VALUES (${encounterId}, ${row.patient_id}, ${p.id}, ${p.practitioner_id}, ${kind}, ${nhifPaid}, ${startedAt.toString()}::timestamptz, ${p.gp_account}, ${at}::timestamptz)`);
        await tx.execute(sql`INSERT INTO practice_visit (encounter_id, facility_id, patient_id, practitioner_id, kind, visit_on, nhif_paid, purpose, age_group, fee_basis, fee_rule, exemption_code, price_item_code, fee_amount, fee_currency, created_at)
          VALUES (${encounterId}, ${p.id}, ${row.patient_id}, ${p.practitioner_id}, ${kind}, ${on}::date, ${nhifPaid}, ${purpose}, ${ageGroupOf(rules, on, ageYears)}, ${fee.basis}, ${fee.ruleId},
            ${fee.basis === 'exempt' ? fee.exemption : null}, ${fee.basis === 'price_list' ? fee.itemCode : null}, ${fee.due?.amount ?? null}::numeric, ${fee.due?.currency ?? null}, ${at}::timestamptz)`);
        const pay = async (purposeOf: string, amount: string, currency: string, method: string, lab: string | null, itemCode: string | null = null) => {
          receipt += 1;
          const paidAt = startedAt.add({ minutes: 15 }).toString();
          await tx.execute(sql`INSERT INTO practice_payment (id, facility_id, encounter_id, patient_id, purpose, item_code, lab, amount, currency, method, provider_reference, receipt_number, paid_at, paid_on, recorded_by, created_at)
            VALUES (${deps.ids.uuid()}, ${p.id}, ${encounterId}, ${row.patient_id}, ${purposeOf}, ${itemCode}, ${lab}, ${amount}::numeric, ${currency}, ${method}, ${method === 'cash' ? null : `POS ${String(1000 + receipt)}`},
              ${receipt}, ${paidAt}::timestamptz, ${on}::date, ${p.desk_account}, ${at}::timestamptz)`);
        };
        if (fee.basis === 'user_fee') await pay('user_fee', fee.due.amount, fee.due.currency, rand() < 0.7 ? 'cash' : 'card_terminal', null);
        if (fee.basis === 'price_list' && fee.due) await pay('price_list', fee.due.amount, fee.due.currency, 'cash', null, fee.itemCode);
        if (kind === 'in_person' && k % 5 === 2) await pay('lab_fee', '1.00', 'EUR', 'cash', 'СМДЛ „Цибалаб“');
        if (kind === 'phone') {
          const id = deps.ids.uuid();
          await tx.execute(sql`INSERT INTO practice_phone_consultation (id, facility_id, encounter_id, patient_id, practitioner_id, kind, caller, basis, outcome, called_at, topic_enc, recorded_by, created_at)
            VALUES (${id}, ${p.id}, ${encounterId}, ${row.patient_id}, ${p.practitioner_id}, 'medical', 'patient', 'test_results', 'advice', ${startedAt.toString()}::timestamptz,
              ${await deps.keyring.encryptJson(tx, facilityScope(p.id), 'Обсъждане на резултати от изследвания', `practice_phone_consultation:${id}:topic`)}, ${p.gp_account}, ${at}::timestamptz)`);
        }
      }
      // Administrative calls: hours, documents, booking (R-PC-07: every call is registered).
      for (const [k, topic] of ['Работно време', 'Готов ли е документът', 'Записване на час', 'Адрес на лабораторията', 'Имунизационен календар'].entries()) {
        const id = deps.ids.uuid();
        const calledAt = (days[(k * 3) % days.length] as Temporal.PlainDate).toZonedDateTime({ timeZone: zone, plainTime: Temporal.PlainTime.from({ hour: 13, minute: 10 * k }) }).toInstant().toString();
        await tx.execute(sql`INSERT INTO practice_phone_consultation (id, facility_id, kind, caller, outcome, called_at, topic_enc, recorded_by, created_at)
          VALUES (${id}, ${p.id}, 'administrative', 'other', 'information', ${calledAt}::timestamptz,
            ${await deps.keyring.encryptJson(tx, facilityScope(p.id), topic, `practice_phone_consultation:${id}:topic`)}, ${p.desk_account}, ${at}::timestamptz)`);
      }
    }
  });
  return accounts;
}
