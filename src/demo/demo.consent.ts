import { sql } from 'drizzle-orm';
import type { Deps } from '../composition.js';
import type { Tx } from '../platform/db/index.js';
import type { RequestCtx } from '../platform/auth/request-context.js';
import { DEMO_CONSENT_TEMPLATES } from '../modules/consent/index.js';

/**
 * Publishes the demo's consent forms (treatment and recording, bg/en) for every demo facility
 * (Art. 19(3)), through the consent module's facility set-up use case, authored by the first facility
 * administrator.
 * @param deps - the app dependencies
 * @param tx - the demo seeding transaction
 * @param ctx - the demo's system context
 * @param facilityIds - the demo facilities
 * @returns how many forms were published
 */
export async function seedDemoConsentTemplates(deps: Deps, tx: Tx, ctx: RequestCtx, facilityIds: readonly string[]): Promise<number> {
  // Demo only: the identity module has no lookup of the first administrator; read the id.
  const [author] = (await tx.execute<{ id: string }>(sql`SELECT id FROM user_account WHERE role = 'facility_admin' ORDER BY created_at, id LIMIT 1`)).rows;
  if (!author) throw new Error('the demo needs a facility administrator before its consent forms');
  let n = 0;
  for (const facilityId of facilityIds) {
    for (const body of DEMO_CONSENT_TEMPLATES) {
      await deps.consent.seedPublishedTemplate(tx, ctx, facilityId, body, author.id);
      n += 1;
    }
  }
  return n;
}
