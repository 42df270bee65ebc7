import { randomBytes, timingSafeEqual } from 'node:crypto';
import { toDate } from '../../platform/clock.js';
import { withTransaction } from '../../platform/db/index.js';
import type { Actor, RequestCtx } from '../../platform/auth/request-context.js';
import { SYSTEM_SCOPES, type TokenResponse } from '../../contracts/api-clients.js';
import { sha256, TOKEN_SECONDS, type ApiClientsDeps } from './api-clients.deps.js';
import * as repo from './api-clients.repo.js';

/** An RFC 6749 §5.2 error: the token endpoint answers in OAuth's shape, not problem+json. */
export class OAuthError extends Error {
  constructor(
    readonly status: 400 | 401,
    readonly error: 'invalid_request' | 'invalid_client' | 'unsupported_grant_type' | 'invalid_scope',
    readonly description: string,
  ) {
    super(description);
  }
}

export interface TokenRequest {
  grantType: string | undefined;
  clientId: string | undefined;
  clientSecret: string | undefined;
  scope: string | undefined;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// A digest to compare against when the client is unknown, so both answers take the same work.
const NO_SECRET = sha256(randomBytes(32).toString('base64url'));

/**
 * The token endpoint's use cases: client credentials for a token (RFC 6749 §4.4), and a bearer token
 * back to the client actor (RFC 6750). Audited: `api_client.token_issued`, `api_client.token_refused`.
 * @param deps - see `ApiClientsDeps`
 * @returns the use cases
 */
export function tokenUseCases(deps: ApiClientsDeps) {
  async function refuse(ctx: RequestCtx, err: OAuthError, clientId?: string): Promise<never> {
    await deps.audit.recordStandalone(ctx, { action: 'api_client.token_refused', outcome: 'failure', ...(clientId ? { subject: { type: 'api_client', id: clientId } } : {}), data: { error: err.error } });
    throw err;
  }

  return {
    async issueToken(ctx: RequestCtx, req: TokenRequest): Promise<TokenResponse> {
      if (req.grantType !== 'client_credentials') return refuse(ctx, new OAuthError(400, 'unsupported_grant_type', 'Only client_credentials is supported'));
      if (!req.clientId || !req.clientSecret) return refuse(ctx, new OAuthError(401, 'invalid_client', 'Client authentication failed'));
      const clientId = req.clientId;
      const row = UUID.test(clientId) ? await repo.findClient(deps.db, clientId) : undefined;
      const matches = timingSafeEqual(sha256(req.clientSecret), row?.secret_sha256 ?? NO_SECRET);
      if (!row || !matches || row.revoked_at) return refuse(ctx, new OAuthError(401, 'invalid_client', 'Client authentication failed'), row?.id);
      const granted = row.scope.split(' ');
      const asked = req.scope ? req.scope.split(/\s+/).filter(Boolean) : granted;
      const unknown = asked.filter((s) => !(SYSTEM_SCOPES as readonly string[]).includes(s) || !granted.includes(s));
      if (asked.length === 0 || unknown.length) return refuse(ctx, new OAuthError(400, 'invalid_scope', `Not granted to this client: ${unknown.join(' ') || '(none asked)'}`), row.id);
      const token = randomBytes(32).toString('base64url');
      const issuedAt = toDate(deps.clock.now());
      const scope = [...new Set(asked)].join(' ');
      const clientCtx: RequestCtx = { ...ctx, actor: { type: 'client', id: row.id, facilityId: row.facility_id, scopes: scope.split(' ') } };
      await withTransaction(deps.db, async (tx) => {
        await repo.insertToken(tx, { tokenSha256: sha256(token), clientId: row.id, scope, issuedAt, expiresAt: new Date(issuedAt.getTime() + TOKEN_SECONDS * 1000) });
        await deps.audit.record(tx, clientCtx, { action: 'api_client.token_issued', facilityId: row.facility_id, subject: { type: 'api_client', id: row.id }, data: { scope } });
      });
      return { access_token: token, token_type: 'Bearer', expires_in: TOKEN_SECONDS, scope };
    },

    /**
     * The client a bearer token stands for, or undefined for an unknown, expired or revoked one.
     * @param token - the `Authorization: Bearer` value
     */
    async resolveToken(token: string): Promise<Extract<Actor, { type: 'client' }> | undefined> {
      if (token.length > 200) return undefined;
      const live = await repo.findLiveToken(deps.db, sha256(token), toDate(deps.clock.now()));
      return live ? { type: 'client', id: live.client_id, facilityId: live.facility_id, scopes: live.scope.split(' ') } : undefined;
    },
  };
}
