import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * SHA-256 of a high-entropy token, for storage. Security: tokens are 256-bit random, so a fast hash is
 * enough (no dictionary to attack); a database dump then yields nothing that signs anyone in.
 * @param token - the token as sent by the client
 * @returns base64url digest
 */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('base64url');
}

/** Constant-time comparison of two strings (CSRF tokens). */
export function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a, 'utf8');
  const bb = Buffer.from(b, 'utf8');
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

// Crockford-style alphabet without look-alikes (0/O, 1/I/L), easy to read from paper.
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';

/** Number of recovery codes issued at enrolment. */
export const RECOVERY_CODE_COUNT = 10;

/**
 * One recovery code: 12 symbols from a 31-letter alphabet (~59 bits), shown as `XXXX-XXXX-XXXX`.
 * @returns the code for the user to write down
 */
export function generateRecoveryCode(): string {
  const bytes = randomBytes(12);
  let s = '';
  // Modulo bias over 256/31 is below 1 bit of entropy in total; acceptable for a 59-bit code.
  for (const b of bytes) s += ALPHABET[b % ALPHABET.length];
  return `${s.slice(0, 4)}-${s.slice(4, 8)}-${s.slice(8, 12)}`;
}

/**
 * Canonical form of a typed recovery code (case, spaces and dashes do not matter).
 * @param input - what the user typed
 * @returns the canonical code, or undefined when it cannot be a recovery code
 */
export function normaliseRecoveryCode(input: string): string | undefined {
  const s = input.toUpperCase().replace(/[\s-]/g, '');
  if (s.length !== 12 || [...s].some((c) => !ALPHABET.includes(c))) return undefined;
  return `${s.slice(0, 4)}-${s.slice(4, 8)}-${s.slice(8, 12)}`;
}

/**
 * Normalises an e-mail for lookup: trimmed, NFC, lower-cased (the local part is treated
 * case-insensitively, as every mainstream provider does).
 * @param email - as typed
 * @returns the canonical e-mail
 */
export function normaliseEmail(email: string): string {
  return email.trim().normalize('NFC').toLowerCase();
}
