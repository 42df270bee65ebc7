/**
 * The audit event catalogue. Persisted shape: changes to an action's meaning need a `schema_version`
 * bump and a migration. Codes are `domain.past_tense` (STYLE C1).
 */
export const auditActions = [
  'demo.seeded', // demo data was created
  'patient.created', // a patient record was created
  'patient.read', // a patient's demographics were read
  'facility.created', // a facility was registered
  'practitioner.created', // a practitioner was registered
  'account.created', // a user account was created (role, links; never the e-mail)
  'auth.password_verified', // password step passed; a second factor is now required
  'auth.signed_in', // second factor passed; a session was created (data.method)
  'auth.sign_in_failed', // wrong password, unknown e-mail or wrong second factor (data.step, data.reason)
  'auth.locked_out', // 5 failures in 15 minutes locked the sign-in for 15 minutes
  'auth.throttled', // a client IP exceeded its failed-attempt budget
  'auth.network_denied', // a staff role tried to act from outside the allowed networks (Art. 28(1)-(2))
  'auth.signed_out', // the user ended the current session
  'auth.session_revoked', // a session was ended from the sessions page (data.reason)
  'auth.mfa_enrolled', // a second factor was confirmed (data.method: totp | webauthn)
  'auth.mfa_removed', // a passkey was removed
  'auth.recovery_codes_generated', // a new set of recovery codes replaced the old one
  'auth.recovery_code_used', // a single-use recovery code was spent at sign-in
  'access.denied', // the access policy refused a read or write of patient data (data.operation, data.purpose, data.why)
  'access.granted', // a patient or representative let a named account read the patient's data (Art. 28(4))
  'access.revoked', // a patient or representative revoked an access grant
  'access.grants_viewed', // the list of a patient's access grants was read
  'representative.linked', // a facility administrator linked a representative to a patient after checking documents
  'representative.unlinked', // a facility administrator ended a representative link
  'representative.links_viewed', // a facility administrator listed the representative links the facility created
  'care.opened', // a specialist's care relationship with a patient began (request or consultation, Art. 13)
  'care.closed', // a care relationship ended
  'supervision.case_opened', // the supervisory agency opened a case that opens patient data to it (Art. 21)
  'supervision.case_closed', // a supervision case was closed
] as const;

export type AuditAction = (typeof auditActions)[number];
