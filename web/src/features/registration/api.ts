import { LoginResponseSchema, type RegistrationBody } from '../../../../src/contracts/identity.js';
import type { Http } from '../../api/http.js';

export type { RegistrationBody };

/** A patient's own registration (server module `registration`). */
export interface RegistrationApi {
  /** Always 202 when the form itself is valid: the answer never says what is already registered. */
  register(body: RegistrationBody): Promise<void>;
  /** The e-mailed token; answers with an enrolment token for the second factor. */
  confirmEmail(token: string): Promise<{ enrolmentToken: string }>;
}

export function createRegistrationApi(http: Http): RegistrationApi {
  return {
    register: (body) => http.sendJson('POST', '/api/v1/auth/register', body, null),
    confirmEmail: async (token) => {
      const res = await http.sendJson('POST', '/api/v1/auth/register/confirm', { token }, LoginResponseSchema);
      if (res.status !== 'mfa_enrolment_required') throw new Error('unexpected confirmation answer');
      return { enrolmentToken: res.enrolmentToken };
    },
  };
}
