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
  'facility.updated', // a facility's register data changed (data.fields)
  'facility.status_changed', // a facility was suspended or reactivated (data.from, data.to)
  'facility.certificate_recorded', // an Art. 25-26 certificate or technical document was recorded
  'facility.certificate_withdrawn', // a certificate was marked withdrawn
  'practitioner.updated', // a specialist's names, specialties or active flag changed (data.fields)
  'practitioner.role_changed', // a specialist joined a facility or their active/listed flags changed there
  'specialty.imported', // the CL006 specialty nomenclature was imported (data.count, data.source)
  'service.created', // a remote service was created in draft
  'service.updated', // a service's description, duration or price changed (data.fields)
  'service.published', // a service was published in the directory (Art. 15)
  'service.withdrawn', // a service was withdrawn from the directory
  'centre.created', // a telemedicine centre was created in draft (Art. 5)
  'centre.updated', // a centre's contract data changed (data.fields)
  'centre.member_set', // a facility joined a centre or its rights, obligations and structures changed
  'centre.member_removed', // a facility left a centre
  'centre.activated', // a centre with a complete contract was activated (R-TM-21)
  'centre.suspended', // a centre was suspended
  'emergency_contract.created', // an Art. 14(3) emergency-consultation contract was recorded
  'emergency_contract.terminated', // an emergency-consultation contract was ended
  'schedule.created', // a weekly schedule was published and its slots written
  'schedule.updated', // a schedule changed and its future free slots were rewritten
  'schedule_exception.created', // leave or another absence was recorded (slots removed)
  'schedule_exception.deleted', // an absence was removed (slots given back)
  'slots.extended', // the daily job rolled every schedule's slots forward to the horizon
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
  'audit.access_log_viewed', // a patient or representative read "who accessed my data" (audit_event rows about the patient)
  'audit.exported', // a supervisor exported the audit trail of a facility and period (data.format, data.from, data.to, data.count)
] as const;

export type AuditAction = (typeof auditActions)[number];
