import { randomBytes } from 'node:crypto';
import { toDate } from '../../platform/clock.js';
import { withTransaction } from '../../platform/db/index.js';
import type { RequestCtx } from '../../platform/auth/request-context.js';
import { ForbiddenError } from '../../platform/errors/app-error.js';
import type { ApiClient, ApiClientCreated, RegisterApiClientBody } from '../../contracts/api-clients.js';
import { assertUser } from '../identity/index.js';
import { sha256, toApiClient, type ApiClientsDeps } from './api-clients.deps.js';
import * as repo from './api-clients.repo.js';

/** Only the facility's own administrators manage its systems. */
function assertAdminOf(ctx: RequestCtx, facilityId: string): string {
  const actor = assertUser(ctx);
  if (actor.role !== 'facility_admin' || !actor.facilityIds.includes(facilityId)) throw new ForbiddenError("Only the facility's administrators manage its systems");
  return actor.id;
}

/**
 * Registering, listing and revoking a facility's systems (docs/fhir.md#machine-clients). Audited
 * (`api_client.registered`, `api_client.listed`, `api_client.revoked`); the secret is never stored or logged.
 * @param deps - see `ApiClientsDeps`
 * @returns the use cases
 */
export function manageApiClientsUseCases(deps: ApiClientsDeps) {
  return {
    async registerApiClient(ctx: RequestCtx, facilityId: string, body: RegisterApiClientBody): Promise<ApiClientCreated> {
      const accountId = assertAdminOf(ctx, facilityId);
      const secret = randomBytes(32).toString('base64url');
      const row: repo.ApiClientRow = {
        id: deps.ids.uuid(),
        facility_id: facilityId,
        name: body.name,
        secret_sha256: sha256(secret),
        scope: [...new Set(body.scopes)].join(' '),
        created_at: toDate(deps.clock.now()),
        revoked_at: null,
      };
      await withTransaction(deps.db, async (tx) => {
        await repo.insertClient(tx, { ...row, createdBy: accountId });
        await deps.audit.record(tx, ctx, { action: 'api_client.registered', facilityId, subject: { type: 'api_client', id: row.id }, data: { scope: row.scope } });
      });
      return { ...toApiClient(row), clientSecret: secret };
    },

    async listApiClients(ctx: RequestCtx, facilityId: string): Promise<ApiClient[]> {
      assertAdminOf(ctx, facilityId);
      return withTransaction(deps.db, async (tx) => {
        const found = await repo.listClients(tx, facilityId);
        await deps.audit.record(tx, ctx, { action: 'api_client.listed', facilityId, data: { count: found.length } });
        return found.map(toApiClient);
      });
    },

    async revokeApiClient(ctx: RequestCtx, clientId: string): Promise<ApiClient> {
      const actor = assertUser(ctx);
      return withTransaction(deps.db, async (tx) => {
        const row = await repo.findClient(tx, clientId);
        // Security: authorisation before existence (docs/access.md).
        if (!row || actor.role !== 'facility_admin' || !actor.facilityIds.includes(row.facility_id)) throw new ForbiddenError("Only the facility's administrators manage its systems");
        const at = toDate(deps.clock.now());
        if (await repo.revokeClient(tx, clientId, at)) {
          await deps.audit.record(tx, ctx, { action: 'api_client.revoked', facilityId: row.facility_id, subject: { type: 'api_client', id: clientId } });
          return toApiClient({ ...row, revoked_at: at });
        }
        return toApiClient(row);
      });
    },
  };
}
