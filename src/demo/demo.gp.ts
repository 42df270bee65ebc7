import { Temporal } from 'temporal-polyfill';
import type { Deps } from '../composition.js';
import { mapInOrder, withTransaction } from '../platform/db/index.js';
import type { RequestCtx } from '../platform/auth/request-context.js';
import { makeEgn, makeFacilityNumber, makeUin } from '../platform/identifiers.js';
import type { PatientDemographics } from '../contracts/patients.js';
import { familyName, familyNames, femaleGivenNames, maleGivenNames, pick, seededRandom } from './demo.data.js';
import type { DemoAccount } from './demo.seed.js';
import type { DemoPatient } from './demo.patients.js';
import { enrolTotpForDemo } from './enrol-totp.js';
import { configureDemoForeignInsurance, INTERRUPTED, interruptedEgn } from './demo.insurance.js';

/** Listed patients per demo GP practice (the demo patient and the demo child come on top in practice 1). */
const LISTED_PER_PRACTICE = 140;

/**
 * People with no GP yet, for the desk's registration screen (W8, `/practice/gp-registration`): an adult,
 * a teenager who signs with a parent's consent and a child a parent signs for (R-GP-08). Their document
 * details are in the demo accounts file, on the front desk's line.
 */
export const DEMO_UNLISTED = [
  { givenName: 'Галина', familyName: 'Петкова', birthDate: '1987-03-14', sex: 'female', serial: 490 },
  { givenName: 'Калоян', familyName: 'Денев', birthDate: '2011-09-02', sex: 'male', serial: 491 },
  { givenName: 'Ива', familyName: 'Денева', birthDate: '2020-05-21', sex: 'female', serial: 492 },
] as const;

/**
 * The EGN of a person in `DEMO_UNLISTED`.
 * @param p - the person
 * @returns a valid EGN
 */
export function unlistedEgn(p: (typeof DEMO_UNLISTED)[number]): string {
  return makeEgn(Temporal.PlainDate.from(p.birthDate), p.sex, p.serial);
}


/**
 * Configures the insurance simulator for the demo (its answers live in memory, so this runs on every
 * start): one listed patient has interrupted rights with three missing months (R-NHIF-01).
 * @param deps - the app dependencies
 */
export function configureDemoInsurance(deps: Deps): void {
  deps.insuranceSimulator.setAnswer(interruptedEgn(), { code: 2, status: 'interrupted', missingMonths: ['2026-07', '2026-08', '2026-09'] });
  configureDemoForeignInsurance(deps);
}

/**
 * Seeds two GP practices (Sofia and Plovdiv) with their GPs, a front desk, and about 300 listed
 * patients registered through the real GP use case (forms encrypted, care opened, audited): the demo
 * patient and the demo child (through the parent) are on the Sofia GP's list.
 * @param deps - the app dependencies
 * @param ctx - the system actor
 * @param refs - the demo patient, the demo child and the accounts file
 * @returns the accounts to add to demo-accounts.json
 */
export async function seedDemoGp(deps: Deps, ctx: RequestCtx, refs: { adult?: DemoPatient; child?: DemoPatient }): Promise<DemoAccount[]> {
  const rand = seededRandom(1105);
  const accounts: DemoAccount[] = [];
  const made = await withTransaction(deps.db, async (tx) => {
    const practices = [
      { name: 'АИППМП „Д-р Виктория Илиева“', rhifCode: '22', ekatte: '68134', settlement: 'София', address: 'ж.к. „Младост 2“, бл. 211' },
      { name: 'ГППМП „Марица Медик“', rhifCode: '16', ekatte: '56784', settlement: 'Пловдив', address: 'ул. „Гладстон“ 14' },
    ];
    const out: { facilityId: string; practitionerId: string; deskId: string }[] = [];
    for (const [i, p] of practices.entries()) {
      const facilityId = await deps.registry.createFacility(tx, ctx, { ...p, typeCode: 'ipmp', number: makeFacilityNumber(p.rhifCode, 5100 + i) });
      const practitionerId = await deps.registry.createPractitioner(tx, ctx, { uin: makeUin(7100 + i), givenName: i === 0 ? 'Виктория' : 'Стефан', familyName: i === 0 ? 'Илиева' : 'Марков', specialtyCodes: ['0000'], facilityIds: [facilityId] });
      const gpEmail = i === 0 ? 'gp@demo.distansia.bg' : 'gp.plovdiv@demo.distansia.bg';
      const gpPassword = i === 0 ? 'Osogovo-Izvor-Bor-2026' : 'Maritsa-Tepe-Most-2026';
      const gpAccount = await deps.identity.createAccount(tx, ctx, { email: gpEmail, password: gpPassword, role: 'specialist', practitionerId });
      accounts.push({ role: 'specialist', email: gpEmail, password: gpPassword, totpSecret: (await enrolTotpForDemo(deps, tx, ctx, gpAccount)).secret, description: `GP (ОПЛ) of ${p.name}: patient list, summary and monthly register` });
      const deskEmail = i === 0 ? 'gp.desk@demo.distansia.bg' : 'gp.desk.plovdiv@demo.distansia.bg';
      const deskPassword = i === 0 ? 'Lozen-Planina-Ruen-2026' : 'Bachkovo-Manastir-2026';
      const deskId = await deps.identity.createAccount(tx, ctx, { email: deskEmail, password: deskPassword, role: 'coordinator', facilityIds: [facilityId] });
      const unlisted = i === 0 ? `; no GP yet: ${DEMO_UNLISTED.map((u) => `${u.givenName} ${u.familyName} (EGN ${unlistedEgn(u)}, born ${u.birthDate})`).join(', ')}` : '';
      accounts.push({ role: 'coordinator', email: deskEmail, password: deskPassword, totpSecret: (await enrolTotpForDemo(deps, tx, ctx, deskId)).secret, description: `Front desk of ${p.name}: registers patients with a GP at /practice/gp-registration${unlisted}` });
      out.push({ facilityId, practitionerId, deskId });
    }
    const patients: { practice: number; id: string; d: PatientDemographics }[] = [];
    for (const practice of [0, 1]) {
      for (let k = 0; k < LISTED_PER_PRACTICE; k += 1) {
        const first = practice === 0 && k === 0;
        const sex = first ? INTERRUPTED.sex : rand() < 0.5 ? 'male' : 'female';
        const child = k % 7 === 3;
        const birth = first
          ? Temporal.PlainDate.from(INTERRUPTED.birth)
          : Temporal.PlainDate.from({ year: child ? 2010 + Math.floor(rand() * 15) : 1935 + Math.floor(rand() * 70), month: 1 + Math.floor(rand() * 12), day: 1 + Math.floor(rand() * 28) });
        const d: PatientDemographics = {
          identifierKind: 'egn',
          identifier: first ? interruptedEgn() : makeEgn(birth, sex, 200 + practice * LISTED_PER_PRACTICE + k),
          givenName: pick(rand, sex === 'male' ? maleGivenNames : femaleGivenNames),
          familyName: familyName(pick(rand, familyNames), sex),
          birthDate: birth.toString(),
          sex,
        };
        patients.push({ practice, id: await deps.patients.createPatient(tx, ctx, d), d });
      }
    }
    for (const u of DEMO_UNLISTED) {
      await deps.patients.createPatient(tx, ctx, { identifierKind: 'egn', identifier: unlistedEgn(u), givenName: u.givenName, familyName: u.familyName, birthDate: u.birthDate, sex: u.sex });
    }
    return { practices: out, patients };
  });
  const desk = (p: { facilityId: string; deskId: string }): RequestCtx => ({ ...ctx, actor: { type: 'user', id: p.deskId, role: 'coordinator', sessionId: 'demo', facilityIds: [p.facilityId] } });
  const documents = { healthInsuranceBooklet: true, initialFormCopy3: false, choiceForm: true };
  const register = async (practice: number, patientId: string, d: Pick<PatientDemographics, 'identifierKind' | 'identifier' | 'givenName' | 'familyName' | 'birthDate'>, minor: boolean) => {
    const p = made.practices[practice];
    if (!p) return;
    await deps.gp.registerGpChoice(desk(p), {
      kind: 'initial',
      patientId,
      practitionerId: p.practitionerId,
      facilityId: p.facilityId,
      patient: { identifierKind: d.identifierKind, identifier: d.identifier, givenName: d.givenName, familyName: d.familyName, birthDate: d.birthDate },
      signer: minor ? { kind: 'representative', representative: { basis: 'parent', name: 'Родител (демо)', documentRef: 'Удостоверение за раждане (демо)' } } : { kind: 'self' },
      interdiction: 'none',
      documents,
    });
  };
  const today = deps.clock.now().toZonedDateTimeISO(deps.config.DEFAULT_TIME_ZONE).toPlainDate();
  await mapInOrder(made.patients, (x) => register(x.practice, x.id, x.d, Temporal.PlainDate.from(x.d.birthDate).until(today, { largestUnit: 'years' }).years < 18));
  // The demo patient and the demo child (through the parent) are on the Sofia GP's list.
  if (refs.adult) await register(0, refs.adult.id, refs.adult.demographics, false);
  if (refs.child) await register(0, refs.child.id, refs.child.demographics, true);
  configureDemoInsurance(deps);
  return accounts;
}
