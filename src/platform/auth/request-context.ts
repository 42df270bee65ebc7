import type { Role } from '../../contracts/identity.js';

/** Who is acting. Stored in audit rows as ids, never names (STYLE C13). */
export type Actor =
  | { type: 'anonymous' }
  | { type: 'system'; id: string }
  | {
      type: 'user';
      id: string;
      role: Role;
      sessionId: string;
      /** Facilities the user works for (specialists, admins, coordinators). */
      facilityIds: readonly string[];
      /** The patient record this account is (patients), if any. */
      patientId?: string;
    }
  /**
   * A facility's registered system (OAuth 2.0 client credentials, docs/fhir.md#machine-clients): it reads
   * only what its own facility recorded, for patients under care there.
   */
  | { type: 'client'; id: string; facilityId: string; scopes: readonly string[] };

/** Per-request data passed explicitly as the first argument of every use case (STYLE C6). */
export interface RequestCtx {
  actor: Actor;
  requestId: string;
  ip: string;
  userAgent: string | undefined;
  lang: 'bg' | 'en';
}

/**
 * A context for background work and the CLI, audited as a system actor.
 * @param name - which job acts, e.g. `outbox` or `cli.demo`
 * @returns a system context
 */
export function systemCtx(name: string): RequestCtx {
  return { actor: { type: 'system', id: name }, requestId: `system:${name}`, ip: '127.0.0.1', userAgent: undefined, lang: 'en' };
}
