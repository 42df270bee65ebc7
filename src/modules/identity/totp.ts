import { generate, generateSecret, generateURI, verify } from 'otplib';

/** RFC 6238 defaults that every authenticator app supports: SHA-1, 6 digits, 30-second steps. */
export const TOTP_PERIOD_SECONDS = 30;

/** Accept the previous and the next step too (±30 s of clock drift between phone and server). */
const TOLERANCE_SECONDS = TOTP_PERIOD_SECONDS;

/** A new random 160-bit secret, base32. */
export function newTotpSecret(): string {
  return generateSecret();
}

/**
 * The `otpauth://` URI an authenticator app reads from the QR code.
 * @param secret - base32 secret
 * @param label - shown in the app (the account's e-mail)
 * @returns the URI
 */
export function totpUri(secret: string, label: string): string {
  return generateURI({ issuer: 'Distansia', label, secret, period: TOTP_PERIOD_SECONDS });
}

/**
 * Checks a code at `epochSeconds` and returns the time step it belongs to.
 * @param secret - base32 secret
 * @param code - 6 digits as typed
 * @param epochSeconds - now, from the injected clock
 * @param afterStep - the last accepted step; this step and earlier ones are refused (replay)
 * @returns the matched step, or undefined when the code is wrong or replayed
 */
export async function checkTotp(secret: string, code: string, epochSeconds: number, afterStep: number | null): Promise<number | undefined> {
  const result = await verify({
    secret,
    token: code,
    epoch: epochSeconds,
    period: TOTP_PERIOD_SECONDS,
    epochTolerance: TOLERANCE_SECONDS,
    ...(afterStep !== null ? { afterTimeStep: afterStep } : {}),
  });
  return result.valid && 'timeStep' in result ? result.timeStep : undefined;
}

/**
 * The current code for a secret (demo tooling, tests and the benchmark).
 * @param secret - base32 secret
 * @param epochSeconds - when
 * @returns 6 digits
 */
export async function totpCode(secret: string, epochSeconds: number): Promise<string> {
  return generate({ secret, epoch: epochSeconds, period: TOTP_PERIOD_SECONDS });
}
