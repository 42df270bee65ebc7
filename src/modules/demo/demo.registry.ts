import type { Deps } from '../../composition.js';
import type { Tx } from '../../platform/db/index.js';
import type { RequestCtx } from '../../platform/auth/request-context.js';
import { makeFacilityNumber, makeUin } from '../../platform/identifiers.js';
import { demoFacilities, demoSpecialties, familyName, familyNames, femaleGivenNames, maleGivenNames, pick, seededRandom } from './demo.data.js';

export interface DemoRegistry {
  facilityIds: string[];
  /** Practitioners with the facility they work for (the first is always a cardiologist in facility 0). */
  practitioners: { id: string; facilityId: string; specialtyCode: string }[];
}

/**
 * Seeds facilities and specialists through the registry service (so every rule and audit applies).
 * @param deps - the app dependencies
 * @param tx - the seeding transaction
 * @param ctx - the system actor
 * @returns ids for later seeding steps
 */
export async function seedRegistry(deps: Deps, tx: Tx, ctx: RequestCtx): Promise<DemoRegistry> {
  const rand = seededRandom(2026);
  const facilityIds: string[] = [];
  for (const [i, f] of demoFacilities.entries()) {
    facilityIds.push(
      await deps.registry.createFacility(tx, ctx, {
        ...f,
        number: makeFacilityNumber(f.rhifCode, 1000 + i),
        phone: `+35928${String(100000 + i * 7919).slice(0, 6)}`,
        email: `office${i + 1}@demo.distansia.bg`,
      }),
    );
  }
  const practitioners: DemoRegistry['practitioners'] = [];
  let seed = 500;
  for (const [fi, facilityId] of facilityIds.entries()) {
    for (const [si, specialtyCode] of demoSpecialties.entries()) {
      if ((fi + si) % 2 === 1 && si !== 0) continue;
      const sex = rand() < 0.5 ? 'male' : 'female';
      const id = await deps.registry.createPractitioner(tx, ctx, {
        uin: makeUin((seed += 1)),
        givenName: pick(rand, sex === 'male' ? maleGivenNames : femaleGivenNames),
        familyName: familyName(pick(rand, familyNames), sex),
        specialtyCodes: [specialtyCode],
        facilityIds: [facilityId],
      });
      practitioners.push({ id, facilityId, specialtyCode });
    }
  }
  return { facilityIds, practitioners };
}
