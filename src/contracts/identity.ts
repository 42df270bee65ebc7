import { z } from 'zod';
import { Instant } from './common.js';

/** Every role Distansia knows. Deny by default: a role grants nothing until a service says so. */
export const RoleSchema = z.enum([
  'patient', // the person receiving care
  'representative', // parent, guardian or curator acting for linked patients (Health Act Art. 87)
  'specialist', // a doctor with a UIN, working in one or more facilities
  'facility_admin', // runs a facility's operational data, not clinical content
  'coordinator', // functional head of a telemedicine centre (Art. 5)
  'supervisor', // Executive Agency "Medical Supervision" (Art. 21): read-only compliance data
  'operator', // runs the platform; sees no patient data (Art. 28(3))
]);
export type Role = z.infer<typeof RoleSchema>;

// ---- Sign-in, second factor and sessions ----


/** Second factors an account can present after the password. */
export const MfaMethodSchema = z.enum(['totp', 'recovery_code', 'webauthn']);
export type MfaMethod = z.infer<typeof MfaMethodSchema>;

export const LoginBodySchema = z.object({
  email: z.string().trim().min(3).max(320),
  password: z.string().min(1).max(1024),
});
export type LoginBody = z.infer<typeof LoginBodySchema>;

/** Password accepted; no session yet. The token is short-lived, single-use and bound to the account. */
export const MfaRequiredSchema = z.object({
  status: z.literal('mfa_required'),
  mfaToken: z.string(),
  expiresAt: Instant,
  /** Factors this account has: the sign-in page offers a passkey button only when `webauthn` is listed. */
  methods: z.array(MfaMethodSchema),
});

/** Password accepted, but the account has no second factor yet: the token allows only enrolment. */
export const MfaEnrolmentRequiredSchema = z.object({
  status: z.literal('mfa_enrolment_required'),
  enrolmentToken: z.string(),
  expiresAt: Instant,
});

/** A patient's own registration (docs/registration.md); EGN or LNCh with its checksum, date of birth matching the EGN. */
export const RegistrationBodySchema = z.object({
  email: z.email().max(320),
  password: z.string().min(1).max(256),
  phone: z.string().trim().regex(/^\+?[0-9 ()-]{6,20}$/),
  identifierKind: z.enum(['egn', 'lnch']),
  identifier: z.string().trim().regex(/^\d{10}$/),
  givenName: z.string().trim().min(1).max(100),
  middleName: z.string().trim().max(100).optional(),
  familyName: z.string().trim().min(1).max(100),
  birthDate: z.iso.date(),
  /** Needed for an LNCh (an EGN encodes it). */
  sex: z.enum(['male', 'female']).optional(),
});
export type RegistrationBody = z.infer<typeof RegistrationBodySchema>;
export const ConfirmEmailBodySchema = z.object({ token: z.string().min(1).max(200) });

export const LoginResponseSchema = z.discriminatedUnion('status', [MfaRequiredSchema, MfaEnrolmentRequiredSchema]);
export type LoginResponse = z.infer<typeof LoginResponseSchema>;

export const MfaBodySchema = z.object({
  mfaToken: z.string().min(1).max(200),
  /** A 6-digit TOTP code, or a recovery code `XXXX-XXXX-XXXX`. */
  code: z.string().trim().min(6).max(20),
});
export type MfaBody = z.infer<typeof MfaBodySchema>;

export const CurrentSessionSchema = z.object({
  id: z.uuid(),
  /** The session ends at the earlier of these two instants. */
  expiresAt: Instant,
  idleExpiresAt: Instant,
});

/** The language an account's e-mail and SMS are written in (`user_account.notification_lang`, docs/notifications.md#texts). */
export const NotificationLangSchema = z.enum(['bg', 'en']);
export type NotificationLang = z.infer<typeof NotificationLangSchema>;

/** The signed-in account (`GET /api/v1/me`). */
export const MeSchema = z
  .object({
    id: z.uuid(),
    email: z.string(),
    role: RoleSchema,
    facilityIds: z.array(z.uuid()),
    patientId: z.uuid().nullable(),
    practitionerId: z.uuid().nullable(),
    /** The specialist works at a GP practice (ИПМП), so the patient list and GP screens apply. */
    isGp: z.boolean(),
    mfa: z.object({
      totp: z.boolean(),
      passkeys: z.number().int(),
      recoveryCodesLeft: z.number().int(),
    }),
    session: CurrentSessionSchema,
    /** Self-registered patients only: false until a specialist records a successful identity check (R-TM-15). */
    identityVerified: z.boolean().optional(),
    /** The language of the account's e-mail and SMS; the interface language is the browser's own choice. */
    notificationLang: NotificationLangSchema,
  })
  .meta({ id: 'Me' });
export type Me = z.infer<typeof MeSchema>;

/** `PATCH /api/v1/me`: the account's own settings (the notification language); answers the updated account. */
export const UpdateMeBodySchema = z.strictObject({ notificationLang: NotificationLangSchema });
export type UpdateMeBody = z.infer<typeof UpdateMeBodySchema>;

/** A session was created: the response also sets the `distansia_session` and `csrf` cookies. */
export const SignedInSchema = z.object({
  status: z.literal('signed_in'),
  me: MeSchema,
  /** Only when a TOTP enrolment was just confirmed: shown once, never again. */
  recoveryCodes: z.array(z.string()).optional(),
});
export type SignedIn = z.infer<typeof SignedInSchema>;

export const EnrolmentTokenBodySchema = z.object({ enrolmentToken: z.string().min(1).max(200) });

/** A TOTP secret to enrol: the QR code encodes `otpauthUri`; `secret` is for typing in by hand. */
export const TotpEnrolmentSchema = z.object({
  secret: z.string(),
  otpauthUri: z.string(),
  /** `data:image/svg+xml;base64,…` */
  qrDataUrl: z.string(),
});
export type TotpEnrolment = z.infer<typeof TotpEnrolmentSchema>;

export const ConfirmTotpBodySchema = z.object({
  enrolmentToken: z.string().min(1).max(200),
  code: z.string().trim().regex(/^\d{6}$/),
});
export type ConfirmTotpBody = z.infer<typeof ConfirmTotpBodySchema>;

/** Password change: the current password and a fresh TOTP code, as for a signature. */
export const ChangePasswordBodySchema = z.object({
  currentPassword: z.string().min(1).max(1024),
  newPassword: z.string().min(1).max(1024),
  code: z.string().trim().regex(/^\d{6}$/),
});
export type ChangePasswordBody = z.infer<typeof ChangePasswordBodySchema>;
export const ChangePasswordResultSchema = z.object({ sessionsEnded: z.number().int().nonnegative() });

/** Forgotten password, step 1: the same 202 answer whether or not the e-mail has an account. */
export const PasswordResetRequestBodySchema = z.object({ email: z.string().trim().min(3).max(320) });
export type PasswordResetRequestBody = z.infer<typeof PasswordResetRequestBodySchema>;

/** Step 2: the token from the e-mailed link, the new password and the account's second factor. */
export const PasswordResetConfirmBodySchema = z.object({
  token: z.string().min(20).max(200),
  newPassword: z.string().min(1).max(1024),
  /** A 6-digit TOTP code or a recovery code; required when the account has a second factor. */
  code: z.string().trim().min(6).max(20).optional(),
});
export type PasswordResetConfirmBody = z.infer<typeof PasswordResetConfirmBodySchema>;

export const RecoveryCodesSchema = z.object({ recoveryCodes: z.array(z.string()) });

export const SessionSchema = z.object({
  id: z.uuid(),
  createdAt: Instant,
  lastSeenAt: Instant,
  expiresAt: Instant,
  idleExpiresAt: Instant,
  ip: z.string(),
  userAgent: z.string().nullable(),
  mfaMethod: MfaMethodSchema,
  /** The session this request came with. */
  current: z.boolean(),
});
export type Session = z.infer<typeof SessionSchema>;
export const SessionListSchema = z.object({ items: z.array(SessionSchema) });
export type SessionList = z.infer<typeof SessionListSchema>;

export const IdParamsSchema = z.object({ id: z.uuid() });

/** WebAuthn options/response JSON as produced by @simplewebauthn (opaque to the contract). */
export const WebAuthnJsonSchema = z.record(z.string(), z.unknown());

export const PasskeyOptionsBodySchema = z.object({ mfaToken: z.string().min(1).max(200) });
export const PasskeyVerifyBodySchema = z.object({ mfaToken: z.string().min(1).max(200), response: WebAuthnJsonSchema });
export const PasskeyRegisterBodySchema = z.object({ response: WebAuthnJsonSchema, label: z.string().trim().min(1).max(60) });

export const PasskeySchema = z.object({ id: z.string(), label: z.string(), createdAt: Instant, lastUsedAt: Instant.nullable() });
export type Passkey = z.infer<typeof PasskeySchema>;
export const PasskeyListSchema = z.object({ items: z.array(PasskeySchema) });
export const PasskeyParamsSchema = z.object({ id: z.string().min(1).max(1024) });

// ---- Staff accounts: facility administrators manage their facility's staff ----

/** Roles a facility administrator creates and manages; patients' and platform accounts never appear here. */
export const StaffRoleSchema = z.enum(['specialist', 'coordinator', 'facility_admin']);
export type StaffRole = z.infer<typeof StaffRoleSchema>;

/** `deactivated` wins over `locked`: a deactivated account cannot sign in whatever its lock. */
export const StaffAccountStatusSchema = z.enum(['active', 'locked', 'deactivated']);
export type StaffAccountStatus = z.infer<typeof StaffAccountStatusSchema>;

export const StaffAccountSchema = z
  .object({
    id: z.uuid(),
    /** The practitioner's name for a specialist, the display name for the others (null for older accounts). */
    name: z.string().nullable(),
    email: z.string(),
    role: StaffRoleSchema,
    practitionerId: z.uuid().nullable(),
    /** A second factor is confirmed; false means the next sign-in goes through enrolment. */
    mfaEnrolled: z.boolean(),
    status: StaffAccountStatusSchema,
    /** When the sign-in lock ends, while it is locked. */
    lockedUntil: Instant.nullable(),
    /** The last completed sign-in (a session was opened), if any. */
    lastSignInAt: Instant.nullable(),
    createdAt: Instant,
  })
  .meta({ id: 'StaffAccount' });
export type StaffAccount = z.infer<typeof StaffAccountSchema>;

/** A specialist of the facility who has no account yet (the choices for a new specialist account). */
export const UnlinkedPractitionerSchema = z.object({ id: z.uuid(), name: z.string() });

export const StaffListSchema = z.object({
  items: z.array(StaffAccountSchema),
  unlinkedPractitioners: z.array(UnlinkedPractitionerSchema),
});
export type StaffList = z.infer<typeof StaffListSchema>;

/** Facilities whose staff the caller may manage (their own; every facility for the platform operator). */
export const StaffFacilityListSchema = z.object({
  items: z.array(z.object({ id: z.uuid(), name: z.string(), number: z.string() })),
  /** What the caller may do: the operator may list, unlock and deactivate, but not create, reactivate or reset. */
  can: z.object({ create: z.boolean(), reactivate: z.boolean(), resetMfa: z.boolean() }),
});
export type StaffFacilityList = z.infer<typeof StaffFacilityListSchema>;

const staffEmail = z.email().max(320);

/**
 * A new staff account. There is no password: the person receives a single-use activation link (72 h)
 * at this e-mail address and sets the password and the second factor themselves (docs/identity.md).
 */
export const CreateStaffAccountBodySchema = z.discriminatedUnion('role', [
  z.object({ role: z.literal('specialist'), email: staffEmail, practitionerId: z.uuid() }),
  z.object({ role: z.enum(['coordinator', 'facility_admin']), email: staffEmail, displayName: z.string().trim().min(1).max(200) }),
]);
export type CreateStaffAccountBody = z.infer<typeof CreateStaffAccountBodySchema>;

/** A staff account's new e-mail address: the account is re-activated through a link sent there. */
export const ChangeStaffEmailBodySchema = z.object({ email: staffEmail });
export type ChangeStaffEmailBody = z.infer<typeof ChangeStaffEmailBodySchema>;

/** The activation link's token (from the link's fragment). */
export const ActivationTokenBodySchema = z.object({ token: z.string().min(20).max(200) });

/** Step 1 of activation: whose account it is, and a new authenticator secret to scan. */
export const ActivationStartSchema = z.object({
  email: z.string(),
  role: RoleSchema,
  totp: TotpEnrolmentSchema,
});
export type ActivationStart = z.infer<typeof ActivationStartSchema>;

/** Step 2 of activation: the person's own password and the first code of the authenticator. */
export const ActivationCompleteBodySchema = z.object({
  token: z.string().min(20).max(200),
  password: z.string().min(1).max(1024),
  code: z.string().trim().regex(/^\d{6}$/),
});
export type ActivationCompleteBody = z.infer<typeof ActivationCompleteBodySchema>;

export const StaffAccountParamsSchema = z.object({ id: z.uuid(), childId: z.uuid() });
