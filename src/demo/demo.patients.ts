import { Temporal } from 'temporal-polyfill';
import type { Deps } from '../composition.js';
import type { Tx } from '../platform/db/index.js';
import type { RequestCtx } from '../platform/auth/request-context.js';
import { makeEgn, makeLnch } from '../platform/identifiers.js';
import type { PatientDemographics } from '../contracts/patients.js';
import { familyName, familyNames, femaleGivenNames, maleGivenNames, pick, seededRandom } from './demo.data.js';

export interface DemoPatient {
  id: string;
  sex: 'male' | 'female';
  /** True for the child whose parent is the demo representative. */
  minor: boolean;
  /** What was registered (the GP demo writes it on the registration forms). */
  demographics: PatientDemographics;
}

/**
 * Seeds patients with valid EGNs (and one foreigner with an LNCh), encrypted through the patients service.
 * @param deps - the app dependencies
 * @param tx - the seeding transaction
 * @param ctx - the system actor
 * @returns the patients created
 */
export async function seedPatients(deps: Deps, tx: Tx, ctx: RequestCtx): Promise<DemoPatient[]> {
  const rand = seededRandom(1878);
  const patients: DemoPatient[] = [];
  for (let i = 0; i < 12; i += 1) {
    const sex = i % 2 === 0 ? 'female' : 'male';
    const minor = i === 11;
    const birth = minor ? Temporal.PlainDate.from('2016-04-18') : Temporal.PlainDate.from({ year: 1950 + Math.floor(rand() * 50), month: 1 + Math.floor(rand() * 12), day: 1 + Math.floor(rand() * 28) });
    const demographics: PatientDemographics = {
      identifierKind: 'egn',
      identifier: makeEgn(birth, sex, 100 + i),
      givenName: pick(rand, sex === 'male' ? maleGivenNames : femaleGivenNames),
      familyName: familyName(pick(rand, familyNames), sex),
      birthDate: birth.toString(),
      sex,
      phone: `+3598${String(87000000 + i * 1237)}`,
    };
    const id = await deps.patients.createPatient(tx, ctx, demographics);
    patients.push({ id, sex, minor, demographics });
  }
  const foreignerDemographics: PatientDemographics = {
    identifierKind: 'lnch',
    identifier: makeLnch(4242),
    givenName: 'Anna',
    familyName: 'Schneider',
    birthDate: '1988-09-03',
    sex: 'female',
    citizenship: 'DE',
  };
  const foreigner = await deps.patients.createPatient(tx, ctx, foreignerDemographics);
  patients.push({ id: foreigner, sex: 'female', minor: false, demographics: foreignerDemographics });
  return patients;
}
