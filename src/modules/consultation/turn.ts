import { createHmac } from 'node:crypto';

/**
 * Short-lived TURN credentials in the "TURN REST API" scheme that coturn implements with
 * `use-auth-secret` / `static-auth-secret`: username `<expiry unix seconds>:<user id>`, password
 * base64(HMAC-SHA1(secret, username)). Pure: `nowSeconds` is an argument.
 * @param secret - coturn's static-auth-secret
 * @param userId - the account (only its id goes to coturn's logs)
 * @param nowSeconds - now, in Unix seconds
 * @param ttlSeconds - how long the credential is valid
 * @returns username, credential and expiry
 */
export function turnCredential(secret: string, userId: string, nowSeconds: number, ttlSeconds: number): { username: string; credential: string; expiresAt: number } {
  const expiresAt = Math.floor(nowSeconds) + ttlSeconds;
  const username = `${expiresAt}:${userId}`;
  const credential = createHmac('sha1', secret).update(username).digest('base64');
  return { username, credential, expiresAt };
}
