import { describe, expect, it } from 'vitest';
import { generateRecoveryCode, hashToken, normaliseEmail, normaliseRecoveryCode, safeEqual } from './secrets.js';
import { checkTotp, totpCode } from './totp.js';

describe('identity secrets', () => {
  it('generates readable recovery codes that normalise back from sloppy typing', () => {
    const code = generateRecoveryCode();
    expect(code).toMatch(/^[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$/);
    expect(normaliseRecoveryCode(` ${code.toLowerCase().replace(/-/g, ' ')} `)).toBe(code);
    expect(normaliseRecoveryCode('123456')).toBeUndefined();
    expect(normaliseRecoveryCode('OOOO-IIII-LLLL')).toBeUndefined();
  });

  it('hashes tokens deterministically and compares in constant time', () => {
    expect(hashToken('a')).toBe(hashToken('a'));
    expect(hashToken('a')).not.toBe(hashToken('b'));
    expect(safeEqual('abc', 'abc')).toBe(true);
    expect(safeEqual('abc', 'abd')).toBe(false);
    expect(safeEqual('abc', 'abcd')).toBe(false);
  });

  it('normalises e-mails for lookup', () => {
    expect(normaliseEmail('  Ivan.Petrov@Example.BG ')).toBe('ivan.petrov@example.bg');
  });
});

describe('TOTP (RFC 6238)', () => {
  const secret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
  const t = 1_795_000_000; // a fixed epoch second

  it('accepts the current, previous and next step, not two steps away', async () => {
    const now = await totpCode(secret, t);
    expect(await checkTotp(secret, now, t, null)).toBe(Math.floor(t / 30));
    expect(await checkTotp(secret, await totpCode(secret, t - 30), t, null)).toBe(Math.floor(t / 30) - 1);
    expect(await checkTotp(secret, await totpCode(secret, t + 30), t, null)).toBe(Math.floor(t / 30) + 1);
    expect(await checkTotp(secret, await totpCode(secret, t - 90), t, null)).toBeUndefined();
  });

  it('refuses a code of an already used step (replay)', async () => {
    const code = await totpCode(secret, t);
    const step = Math.floor(t / 30);
    expect(await checkTotp(secret, code, t, step)).toBeUndefined();
    expect(await checkTotp(secret, code, t, step - 1)).toBe(step);
  });
});
