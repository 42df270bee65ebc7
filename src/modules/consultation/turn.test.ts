import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { turnCredential } from './turn.js';

describe('TURN REST API credentials (coturn use-auth-secret)', () => {
  it('uses <expiry>:<user> as username and base64 HMAC-SHA1 of it as password', () => {
    const c = turnCredential('north-wind', '0190aaaa-0000-7000-8000-000000000001', 1_795_000_000.7, 3600);
    expect(c.username).toBe('1795003600:0190aaaa-0000-7000-8000-000000000001');
    expect(c.expiresAt).toBe(1_795_003_600);
    expect(c.credential).toBe(createHmac('sha1', 'north-wind').update(c.username).digest('base64'));
    // A known vector computed independently (python hmac/sha1 over the same username).
    expect(turnCredential('secret', 'u', 0, 100).credential).toBe('9a+XCRwez+2oD9p38gxjKeUgvmc=');
  });

  it('changes with the secret, so coturn rejects credentials minted with another one', () => {
    expect(turnCredential('a', 'u', 0, 60).credential).not.toBe(turnCredential('b', 'u', 0, 60).credential);
  });
});
