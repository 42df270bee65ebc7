import { sql } from 'drizzle-orm';
import type { Queryable } from '../../platform/db/index.js';
import { one, rows } from '../../platform/db/rows.js';

// SQL only (STYLE C7).

export type ApiClientRow = {
  id: string;
  facility_id: string;
  name: string;
  secret_sha256: Buffer;
  scope: string;
  created_at: Date;
  revoked_at: Date | null;
};

const SELECT = sql`SELECT id, facility_id, name, secret_sha256, scope, created_at, revoked_at FROM api_client`;

export async function insertClient(q: Queryable, c: Omit<ApiClientRow, 'revoked_at'> & { createdBy: string }): Promise<void> {
  await q.execute(sql`INSERT INTO api_client (id, facility_id, name, secret_sha256, scope, created_by_account_id, created_at)
    VALUES (${c.id}, ${c.facility_id}, ${c.name}, ${c.secret_sha256}, ${c.scope}, ${c.createdBy}, ${c.created_at})`);
}

export const findClient = (q: Queryable, id: string) => one<ApiClientRow>(q, sql`${SELECT} WHERE id = ${id}`);

export const listClients = (q: Queryable, facilityId: string) => rows<ApiClientRow>(q, sql`${SELECT} WHERE facility_id = ${facilityId} ORDER BY created_at, id`);

export async function revokeClient(q: Queryable, id: string, at: Date): Promise<boolean> {
  const r = await q.execute(sql`UPDATE api_client SET revoked_at = ${at} WHERE id = ${id} AND revoked_at IS NULL RETURNING id`);
  await q.execute(sql`DELETE FROM api_client_token WHERE client_id = ${id}`);
  return r.rows.length > 0;
}

export async function insertToken(q: Queryable, t: { tokenSha256: Buffer; clientId: string; scope: string; issuedAt: Date; expiresAt: Date }): Promise<void> {
  await q.execute(sql`INSERT INTO api_client_token (token_sha256, client_id, scope, issued_at, expires_at)
    VALUES (${t.tokenSha256}, ${t.clientId}, ${t.scope}, ${t.issuedAt}, ${t.expiresAt})`);
  // Expired tokens of this client go as new ones come: the table stays small without a job.
  await q.execute(sql`DELETE FROM api_client_token WHERE client_id = ${t.clientId} AND expires_at <= ${t.issuedAt}`);
}

/** A live token with its client (not revoked), or undefined. */
export const findLiveToken = (q: Queryable, tokenSha256: Buffer, now: Date) =>
  one<{ client_id: string; facility_id: string; scope: string }>(q, sql`SELECT t.client_id, c.facility_id, t.scope FROM api_client_token t
    JOIN api_client c ON c.id = t.client_id WHERE t.token_sha256 = ${tokenSha256} AND t.expires_at > ${now} AND c.revoked_at IS NULL`);
