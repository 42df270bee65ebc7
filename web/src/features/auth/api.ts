import type { z } from 'zod';
import {
  ActivationStartSchema,
  ChangePasswordResultSchema,
  LoginResponseSchema,
  MeSchema,
  type NotificationLang,
  PasskeyListSchema,
  PasskeySchema,
  SessionListSchema,
  SignedInSchema,
  TotpEnrolmentSchema,
  WebAuthnJsonSchema,
  type ActivationStart,
  type LoginResponse,
  type Me,
  type Passkey,
  type Session,
  type SignedIn,
  type TotpEnrolment,
  type UpdateMeBody,
} from '../../../../src/contracts/identity.js';
import { surelySignedOut, type Http } from '../../api/http.js';

export type { ActivationStart, LoginResponse, Me, NotificationLang, Passkey, Session, SignedIn, TotpEnrolment, UpdateMeBody };

type WebAuthnJson = z.infer<typeof WebAuthnJsonSchema>;

/** Sign-in, enrolment and session endpoints (server module `identity`). */
export interface AuthApi {
  login(email: string, password: string): Promise<LoginResponse>;
  verifyMfa(mfaToken: string, code: string): Promise<SignedIn>;
  passkeyOptions(mfaToken: string): Promise<WebAuthnJson>;
  verifyPasskey(mfaToken: string, response: WebAuthnJson): Promise<SignedIn>;
  startTotpEnrolment(enrolmentToken: string): Promise<TotpEnrolment>;
  confirmTotpEnrolment(enrolmentToken: string, code: string): Promise<SignedIn>;
  logout(): Promise<void>;
  /** The signed-in account, or null when nobody is signed in. */
  me(): Promise<Me | null>;
  /** `PATCH /api/v1/me`: the account's own settings (the language of its e-mail and SMS); the updated account. */
  updateMe(body: UpdateMeBody): Promise<Me>;
  listSessions(): Promise<Session[]>;
  revokeSession(id: string): Promise<void>;
  listPasskeys(): Promise<Passkey[]>;
  passkeyRegistrationOptions(): Promise<WebAuthnJson>;
  registerPasskey(response: WebAuthnJson, label: string): Promise<Passkey>;
  changePassword(body: { currentPassword: string; newPassword: string; code: string }): Promise<{ sessionsEnded: number }>;
  requestPasswordReset(email: string): Promise<void>;
  confirmPasswordReset(body: { token: string; newPassword: string; code: string }): Promise<void>;
  /** Staff activation, step 1: the e-mailed token; answers whose account it is and a new authenticator. */
  startActivation(token: string): Promise<ActivationStart>;
  /** Staff activation, step 2: the person's own password and the first code; signs in. */
  completeActivation(body: { token: string; password: string; code: string }): Promise<SignedIn>;
}

export function createAuthApi(http: Http): AuthApi {
  return {
    login: (email, password) => http.sendJson('POST', '/api/v1/auth/login', { email, password }, LoginResponseSchema),
    verifyMfa: (mfaToken, code) => http.sendJson('POST', '/api/v1/auth/mfa', { mfaToken, code }, SignedInSchema),
    passkeyOptions: (mfaToken) => http.sendJson('POST', '/api/v1/auth/mfa/passkey/options', { mfaToken }, WebAuthnJsonSchema),
    verifyPasskey: (mfaToken, response) => http.sendJson('POST', '/api/v1/auth/mfa/passkey', { mfaToken, response }, SignedInSchema),
    startTotpEnrolment: (enrolmentToken) => http.sendJson('POST', '/api/v1/auth/enrolment/totp', { enrolmentToken }, TotpEnrolmentSchema),
    confirmTotpEnrolment: (enrolmentToken, code) => http.sendJson('POST', '/api/v1/auth/enrolment/totp/confirm', { enrolmentToken, code }, SignedInSchema),
    logout: () => http.sendJson('POST', '/api/v1/auth/logout', undefined, null),
    me: async () => {
      if (surelySignedOut()) return null;
      try {
        return await http.getJson('/api/v1/me', MeSchema);
      } catch (error) {
        if ((error as { problem?: { status?: number } }).problem?.status === 401) return null;
        throw error;
      }
    },
    updateMe: (body) => http.sendJson('PATCH', '/api/v1/me', body, MeSchema),
    listSessions: async () => (await http.getJson('/api/v1/me/sessions', SessionListSchema)).items,
    revokeSession: (id) => http.sendJson('DELETE', `/api/v1/me/sessions/${encodeURIComponent(id)}`, undefined, null),
    listPasskeys: async () => (await http.getJson('/api/v1/me/passkeys', PasskeyListSchema)).items,
    passkeyRegistrationOptions: () => http.sendJson('POST', '/api/v1/me/passkeys/options', undefined, WebAuthnJsonSchema),
    registerPasskey: (response, label) => http.sendJson('POST', '/api/v1/me/passkeys', { response, label }, PasskeySchema),
    changePassword: (body) => http.sendJson('POST', '/api/v1/me/password', body, ChangePasswordResultSchema),
    requestPasswordReset: (email) => http.sendJson('POST', '/api/v1/auth/password-reset', { email }, null),
    confirmPasswordReset: (body) => http.sendJson('POST', '/api/v1/auth/password-reset/confirm', body, null),
    startActivation: (token) => http.sendJson('POST', '/api/v1/auth/activation/start', { token }, ActivationStartSchema),
    completeActivation: (body) => http.sendJson('POST', '/api/v1/auth/activation/complete', body, SignedInSchema),
  };
}
