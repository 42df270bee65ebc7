import { v7 as uuidv7 } from 'uuid';
import { randomBytes } from 'node:crypto';

/** Generates identifiers; injected so tests can make them predictable. */
export interface IdGen {
  /** A time-ordered UUID (v7): index-friendly primary keys. */
  uuid(): string;
  /** A URL-safe random token of `bytes` bytes of entropy (sessions, MFA tokens, CSRF). */
  token(bytes?: number): string;
}

export const systemIds: IdGen = {
  uuid: () => uuidv7(),
  token: (bytes = 32) => randomBytes(bytes).toString('base64url'),
};

/**
 * A deterministic generator for tests.
 * @param prefix - hex prefix (up to 8 chars) placed in the first UUID group
 * @returns ids that count up from 1
 */
export function sequentialIds(prefix = '00000000'): IdGen {
  let n = 0;
  return {
    uuid: () => {
      n += 1;
      return `${prefix.padStart(8, '0').slice(0, 8)}-0000-7000-8000-${n.toString(16).padStart(12, '0')}`;
    },
    token: () => {
      n += 1;
      return `token-${n}`;
    },
  };
}
