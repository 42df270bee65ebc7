import { z } from 'zod';

// The catalogue of audit events (STYLE C13, docs/audit.md): every action a module records, with the
// shape of its `data`. The audit log checks each entry against it when it is appended, so an unknown
// action, a misspelt field or a stray one (clinical text, a name) fails the audited change and its
// tests. `data` holds codes, counts and ids only, never personal data. Codes are `domain.past_tense`
// (STYLE C1). The catalogue is persisted shape: changing what an action means needs a
// `schema_version` bump and a migration.

/** The `data` of an action: exactly these fields. */
const data = <T extends z.ZodRawShape>(shape: T) => z.strictObject(shape);
/** An action that carries no `data`. */
const none = z.undefined().optional();
/** A staff administrator's action refused before it changed anything (the error code). */
const Denied = data({ code: z.string() });
/** A staff administrator's change to an account (the account's role, and what the change ended). */
const StaffChange = data({ role: z.string(), sessionsEnded: z.number().optional(), wasEnrolled: z.boolean().optional() });
/**
 * An action a participant can be refused (a consultation, its messages, files and recordings): its
 * data, or on refusal the error code with whatever part of the data was known.
 */
const refusable = <T extends z.ZodRawShape>(shape: T) => z.union([data(shape), data(shape).partial().extend({ code: z.literal('auth.forbidden') })]);

export const auditEventData = {
  // demo data was created
  'demo.seeded': none,
  // a patient record was created
  'patient.created': none,
  // a patient's demographics were read
  'patient.read': data({ basis: z.string(), fields: z.string() }),
  // a participant unmasked the patient's EGN/LNCh on a clinical screen (data.kind)
  'patient.identifier_revealed': data({ kind: z.enum(['egn', 'lnch', 'passport', 'other']) }),
  // a facility was registered
  'facility.created': none,
  // a practitioner was registered
  'practitioner.created': data({ facilityIds: z.array(z.string()), specialtyCodes: z.array(z.string()) }),
  // a facility's register data changed (data.fields)
  'facility.updated': data({ fields: z.array(z.string()) }),
  // a facility was suspended or reactivated (data.from, data.to)
  'facility.status_changed': data({ from: z.enum(['active', 'suspended']), to: z.enum(['active', 'suspended']) }),
  // an Art. 25-26 certificate or technical document was recorded
  'facility.certificate_recorded': data({ kind: z.enum(['other', 'software', 'diagnostic_equipment', 'ict_equipment', 'infrastructure', 'ce_mark']), expiresOn: z.string().nullable() }),
  // a certificate was marked withdrawn
  'facility.certificate_withdrawn': none,
  // a specialist's names, specialties or active flag changed (data.fields)
  'practitioner.updated': data({ fields: z.array(z.string()) }),
  // a specialist joined a facility or their active/listed flags changed there
  'practitioner.role_changed': data({ active: z.boolean(), listed: z.boolean() }),
  // the CL006 specialty nomenclature was imported (data.count, data.source)
  'specialty.imported': data({ count: z.number(), source: z.string() }),
  // the facility's entry in the NHIS telemedicine database was registered or replaced (Art. 24, R-TM-34)
  'facility.nhis_registered': data({ services: z.number(), practitioners: z.number() }),
  // the facility's entry was taken out of the NHIS telemedicine database (suspended, nothing published)
  'facility.nhis_deregistered': none,
  // the NHIS refused the facility's entry (data.reason, the NHIS's code)
  'facility.nhis_registration_refused': data({ reason: z.string() }),
  // an administrator asked for the NHIS entry to be sent now
  'facility.nhis_sync_requested': none,
  // a remote service was created in draft
  'service.created': data({ specialtyCode: z.string(), kindCode: z.string(), mode: z.enum(['synchronous', 'asynchronous']) }),
  // a service's description, duration or price changed (data.fields)
  'service.updated': data({ fields: z.array(z.string()) }),
  // a service was published in the directory (Art. 15)
  'service.published': none,
  // a service was withdrawn from the directory
  'service.withdrawn': none,
  // a telemedicine centre was created in draft (Art. 5)
  'centre.created': none,
  // a centre's contract data changed (data.fields)
  'centre.updated': data({ fields: z.array(z.string()) }),
  // a facility joined a centre or its rights, obligations and structures changed
  'centre.member_set': data({ structures: z.number() }),
  // a facility left a centre
  'centre.member_removed': none,
  // a centre with a complete contract was activated (R-TM-21)
  'centre.activated': none,
  // a centre was suspended
  'centre.suspended': none,
  // an Art. 14(3) emergency-consultation contract was recorded
  'emergency_contract.created': data({ providerFacilityId: z.string(), specialtyCodes: z.array(z.string()) }),
  // an emergency-consultation contract was ended
  'emergency_contract.terminated': none,
  // a weekly schedule was published and its slots written
  'schedule.created': data({ practitionerId: z.string().optional(), serviceId: z.string().optional(), rules: z.number().optional(), freeSlots: z.number(), warnings: z.number().optional() }),
  // a schedule changed and its future free slots were rewritten
  'schedule.updated': data({ fields: z.array(z.string()), freeSlots: z.number() }),
  // leave or another absence was recorded (slots removed)
  'schedule_exception.created': data({ practitionerId: z.string(), reason: z.enum(['other', 'leave', 'sick', 'training']) }),
  // an absence was removed (slots given back)
  'schedule_exception.deleted': none,
  // the daily job rolled every schedule's slots forward to the horizon
  'slots.extended': data({ horizonDays: z.number(), schedules: z.number(), skipped: z.number(), failed: z.number(), inserted: z.number(), removed: z.number(), freeSlots: z.number(), pruned: z.number() }),
  // a user account was created (role, links; never the e-mail)
  'account.created': z.union([data({ facilityCount: z.number(), linkedPractitioner: z.boolean(), selfRegistered: z.boolean().optional(), role: z.enum(['patient', 'representative', 'specialist', 'facility_admin', 'coordinator', 'supervisor', 'operator']) }), Denied]),
  // an administrator listed a facility's staff accounts (data.count)
  'account.staff_listed': z.union([data({ count: z.number() }), Denied]),
  // a staff account was deactivated by an administrator; its sessions ended (data.sessionsEnded)
  'account.deactivated': z.union([StaffChange, Denied]),
  // a deactivated staff account was made active again
  'account.reactivated': z.union([StaffChange, Denied]),
  // an administrator removed a staff account's second factors; enrolment is required again
  'account.mfa_reset': z.union([StaffChange, Denied]),
  // an administrator ended a staff account's sign-in lock
  'account.unlocked': z.union([StaffChange, Denied]),
  // a staff activation link was issued (data.reason: created, mfa_reset, email_changed, resent)
  'account.activation_sent': z.union([data({ reason: z.enum(['created', 'mfa_reset', 'email_changed', 'resent']), validHours: z.number() }), StaffChange, Denied]),
  // the person set their password and enrolled the second factor through the activation link
  'account.activated': data({ role: z.string() }),
  // the account holder chose the language of their e-mail and SMS (data.from, data.to; docs/notifications.md#texts)
  'account.notification_lang_changed': data({ from: z.enum(['bg', 'en']), to: z.enum(['bg', 'en']) }),
  // someone submitted the registration form (outcome denied: e-mail or identifier already registered; docs/registration.md)
  'account.registration_requested': data({ reason: z.string() }).optional(),
  // a registration confirmation link was e-mailed (denied: hourly limit)
  'account.confirmation_sent': data({ reason: z.string().optional(), validHours: z.number().optional() }),
  // a self-registered patient confirmed the e-mail; second-factor enrolment follows
  'account.email_confirmed': none,
  // the account created (or replaced) its private calendar feed URL
  'calendar.feed_created': none,
  // the account revoked its private calendar feed URL
  'calendar.feed_revoked': none,
  // a calendar application read the private feed (data.count)
  'calendar.feed_read': data({ count: z.number() }),
  // an administrator changed a staff account's e-mail; password and factors cleared, re-activation sent
  'account.email_changed': z.union([StaffChange, Denied]),
  // password step passed; a second factor is now required
  'auth.password_verified': data({ next: z.string() }),
  // second factor passed; a session was created (data.method)
  'auth.signed_in': data({ method: z.enum(['totp', 'recovery_code', 'webauthn']) }),
  // wrong password, unknown e-mail or wrong second factor (data.step, data.reason)
  'auth.sign_in_failed': data({ step: z.string(), reason: z.string(), knownDevice: z.boolean() }),
  // 5 failures in 15 minutes locked the sign-in for 15 minutes
  'auth.locked_out': data({ failures: z.number(), lockMinutes: z.number(), knownDevice: z.boolean().optional() }),
  // a client IP exceeded its failed-attempt budget
  'auth.throttled': data({ failures: z.number() }),
  // a staff role tried to act from outside the allowed networks (Art. 28(1)-(2))
  'auth.network_denied': none,
  // the user ended the current session
  'auth.signed_out': none,
  // a session was ended from the sessions page (data.reason)
  'auth.session_revoked': data({ reason: z.string(), current: z.boolean() }),
  // the user changed their password (step-up); other sessions ended (data.sessionsEnded)
  'auth.password_changed': data({ sessionsEnded: z.number() }),
  // a reset link was asked for (outcome failure for unknown e-mails, denied when throttled)
  'auth.password_reset_requested': data({ reason: z.string() }).optional(),
  // the password was reset with an e-mailed link and the second factor; all sessions ended
  'auth.password_reset': data({ reason: z.string().optional(), sessionsEnded: z.number().optional() }),
  // a second factor was confirmed (data.method: totp | webauthn)
  'auth.mfa_enrolled': data({ method: z.string() }),
  // a passkey was removed
  'auth.mfa_removed': data({ method: z.string() }),
  // a new set of recovery codes replaced the old one
  'auth.recovery_codes_generated': data({ count: z.number() }),
  // a single-use recovery code was spent at sign-in
  'auth.recovery_code_used': none,
  // the access policy refused a read or write of patient data (data.operation, data.purpose, data.why)
  'access.denied': data({ why: z.string().optional(), operation: z.string().optional(), purpose: z.string().optional(), recordedBy: z.string().optional() }),
  // a patient or representative let a named account read the patient's data (Art. 28(4))
  'access.granted': data({ granteeAccountId: z.string(), granteeRole: z.string(), scope: z.string(), validUntil: z.string().nullable() }),
  // a patient or representative revoked an access grant
  'access.revoked': data({ granteeAccountId: z.string() }),
  // the list of a patient's access grants was read
  'access.grants_viewed': data({ count: z.number() }).optional(),
  // a facility administrator linked a representative to a patient after checking documents
  'representative.linked': data({ representativeAccountId: z.string(), basis: z.enum(['parent', 'guardian', 'curator']), checkedBy: z.string() }),
  // a facility administrator ended a representative link
  'representative.unlinked': none,
  // a facility administrator listed the representative links the facility created
  'representative.links_viewed': data({ count: z.number() }),
  // a representative link was refused for an identifier no patient has (data.pointer)
  'representative.link_refused': data({ pointer: z.string() }),
  // a specialist's care relationship with a patient began (request or consultation, Art. 13)
  'care.opened': data({ practitionerId: z.string() }),
  // a care relationship ended
  'care.closed': none,
  // the supervisory agency opened a case that opens patient data to it (Art. 21)
  'supervision.case_opened': data({ legalBasis: z.string() }),
  // a supervision case was closed
  'supervision.case_closed': data({ legalBasis: z.string() }),
  // a facility administrator or supervisor listed supervision cases (data.count)
  'supervision.cases_viewed': data({ count: z.number() }),
  // an account became coordinator (functional head) of a centre (Art. 5(4) item 1)
  'centre.coordinator_set': data({ accountId: z.string() }),
  // a patient or representative read 'who accessed my data' (audit_event rows about the patient)
  'audit.access_log_viewed': data({ count: z.number() }),
  // a supervisor exported the audit trail of a facility and period (data.format, data.from, data.to, data.count)
  'audit.exported': data({ format: z.enum(['csv', 'fhir']), from: z.string(), to: z.string(), count: z.number(), pseudonymised: z.boolean() }),
  // a clinical document draft was created or changed (data.kind, data.revision)
  'record.draft_saved': data({ kind: z.enum(['ambulatory_sheet', 'consultation_report', 'patient_information']), revision: z.number(), created: z.boolean().optional(), replaces: z.string().optional() }),
  // a clinical document revision was signed by its author (data.kind, data.revision, data.keyId, data.level)
  'record.signed': data({ kind: z.enum(['ambulatory_sheet', 'consultation_report', 'patient_information']), revision: z.number(), keyId: z.string(), level: z.enum(['advanced', 'qualified']), stepUpId: z.string() }),
  // a clinical document was read (data.kind, data.revision, data.format)
  'record.read': data({ kind: z.enum(['ambulatory_sheet', 'consultation_report', 'patient_information']), revision: z.number(), format: z.enum(['json', 'pdf']) }),
  // a document's signature and integrity were checked (data.valid)
  'record.verified': data({ valid: z.boolean() }),
  // a qualified signature from the doctor's card (local agent) was refused (data.code, the signing.* error)
  'record.signature_refused': data({ code: z.string() }),
  // an unsigned draft was discarded by its author
  'record.draft_discarded': data({ kind: z.enum(['ambulatory_sheet', 'consultation_report', 'patient_information']) }),
  // a patient's health record (remote services) was read (data.count)
  'health_record.read': data({ count: z.number() }),
  // the consultation's specialist asked the NHIS for the patient's national record (Art. 13, R-TM-29): how many
  // examinations, referrals and prescriptions came back; or that the NHIS could not be reached or refused;
  // or the refusal here (no access, no treatment consent in force)
  'national_record.fetched': z.union([
    data({ examinations: z.number(), referrals: z.number(), prescriptions: z.number() }),
    data({ failure: z.enum(['unavailable', 'refused']), messageTypes: z.array(z.enum(['X005', 'R015', 'P017'])) }),
    data({ code: z.enum(['auth.forbidden', 'consent.missing']) }),
  ]),
  // the national record kept for a consultation was shown again without asking the NHIS (the counts), or refused
  'national_record.read': z.union([data({ examinations: z.number(), referrals: z.number(), prescriptions: z.number() }), data({ code: z.enum(['auth.forbidden', 'consent.missing']) })]),
  // a patient's health record was exported as FHIR R4 (data.count)
  'health_record.exported': data({ count: z.number(), format: z.string() }),
  // a signing key was created (advanced) or a qualified certificate registered for a specialist at a facility
  'signing_key.created': data({ alg: z.string(), practitionerId: z.string(), level: z.literal('qualified').optional(), certificateSha256: z.string().optional() }),
  // the NHIS acknowledged a signed record (data.operation, data.attempts; data.signedBy: whose key signed the messages)
  'nhis.recorded': data({ operation: z.enum(['open_close', 'correct']), attempts: z.number(), signedBy: z.enum(['server', 'card']).optional() }),
  // a step of the NHIS messages the doctor's card signs (docs/nhis.md#signer): the challenge or message prepared for the card, or what sending it gave
  'nhis.card_step': data({ kind: z.enum(['challenge', 'X001', 'X003']), outcome: z.enum(['prepared', 'sent', 'rejected', 'unavailable', 'token_required']) }),
  // a message the card signed was refused before it was sent (data.code, the signing.* error)
  'nhis.card_refused': data({ code: z.string() }),
  // the NHIS refused a signed record (data.reason)
  'nhis.rejected': data({ reason: z.string(), op: z.enum(['cancel', 'issue']).optional() }),
  // an Art. 17 documentation deadline was computed at completion (data.urgency, data.dueAt)
  'deadline.started': data({ urgency: z.enum(['planned', 'emergency']), dueAt: z.string() }),
  // the providing specialist marked the case complex (data.kind, data.dueAt) — R-TM-43
  'deadline.extended': data({ kind: z.enum(['complex_case', 'image_processing', 'mutual_consultation']), dueAt: z.string() }),
  // 80% of the documentation time passed without a record; the facility was alerted
  'deadline.escalated': data({ dueAt: z.string(), share: z.number() }),
  // a documentation deadline passed without an NHIS record (data.cause)
  'deadline.missed': data({ cause: z.enum(['not_signed', 'nhis_pending', 'nhis_unavailable', 'nhis_rejected', 'recorded_late']), dueAt: z.string() }),
  // the ICD-10 list (NHIS CL011 or the demo subset) was imported (data.count, data.source)
  'icd10.imported': data({ count: z.number(), skipped: z.number().optional(), source: z.string() }),
  // a facility compliance report was produced (data.format, data.from, data.to)
  'compliance.report_generated': data({ format: z.enum(['json', 'csv', 'pdf']), from: z.string(), to: z.string() }),
  // a request's consultation was opened (data.mode, data.participants)
  'consultation.opened': refusable({ mode: z.enum(['synchronous', 'asynchronous']), participants: z.number() }).optional(),
  // a participant was refused the consultation (denied outcome only)
  'consultation.viewed': refusable({}).optional(),
  // a participant's signalling connection joined (data.side, data.state: waiting | in-call)
  'consultation.joined': refusable({ side: z.enum(['requester', 'provider', 'recipient']), state: z.enum(['waiting', 'in-call']) }).optional(),
  // the specialist admitted a participant from the waiting room (data.side)
  'consultation.admitted': refusable({ side: z.enum(['requester', 'provider', 'recipient']) }).optional(),
  // a chat message, case description or answer was stored (data.kind)
  'consultation.message_posted': refusable({ kind: z.enum(['chat', 'case', 'answer']), withFile: z.boolean() }).optional(),
  // a participant read the messages (data.count)
  'consultation.messages_read': refusable({ count: z.number() }).optional(),
  // a participant opened the live channel that pushes new messages and file notices (data.side)
  'consultation.chat_watched': refusable({ side: z.enum(['requester', 'provider', 'recipient']) }).optional(),
  // a file passed the type/size scan and was stored encrypted (data.contentType, data.sizeBytes)
  'consultation.file_uploaded': refusable({ contentType: z.string(), sizeBytes: z.number(), fileId: z.string() }).optional(),
  // a participant listed the files (data.count)
  'consultation.files_listed': refusable({ count: z.number() }).optional(),
  // a participant downloaded or viewed a file (data.fileId)
  'consultation.file_downloaded': refusable({ fileId: z.string(), contentType: z.string().optional() }),
  // a facility quality report was read (data.from, data.to)
  'consultation.quality_report_viewed': refusable({ from: z.string(), to: z.string() }).optional(),
  // the specialist ended the service; the documentation deadline starts (Art. 17(2))
  'consultation.completed': refusable({ from: z.string(), recordingsStopped: z.number() }).optional(),
  // a recording started under a recording consent (data.media, data.consentId)
  'recording.started': refusable({ media: z.enum(['audio', 'video', 'screen']), recordingId: z.string().optional(), consentId: z.string().optional() }),
  // an encrypted recording chunk was stored (data.seq, data.sizeBytes)
  'recording.chunk_stored': refusable({ recordingId: z.string(), seq: z.number().optional(), sizeBytes: z.number().optional() }),
  // a recording was stopped
  'recording.stopped': refusable({ recordingId: z.string(), chunks: z.number().optional() }),
  // a recording stopped because its consent was withdrawn (Art. 19)
  'recording.withdrawn': refusable({ recordingId: z.string() }),
  // a participant listed the recordings
  'recording.listed': refusable({ count: z.number() }).optional(),
  // a participant downloaded a recording
  'recording.accessed': refusable({ recordingId: z.string(), chunks: z.number().optional() }),
  // a signed-in user re-confirmed the second factor for a signature (data.method, data.purpose)
  'auth.step_up_confirmed': data({ method: z.string(), purpose: z.string() }),
  // a facility drafted a consent form version (data.kind, data.version)
  'consent_template.created': data({ kind: z.enum(['treatment', 'recording']), version: z.number() }),
  // a consent form version was published; the previous one retired (data.kind, data.version)
  'consent_template.published': data({ kind: z.enum(['treatment', 'recording']), version: z.number() }),
  // the consent information was shown to a person before signing (data.kind, data.templateVersion) — Art. 11
  'consent.presented': data({ kind: z.enum(['treatment', 'recording']), templateVersion: z.number(), lang: z.enum(['bg', 'en']) }),
  // a consent was signed with a fresh second factor (data.kind, data.signerRole, data.stepUpId)
  'consent.signed': data({ kind: z.enum(['treatment', 'recording']), signerRole: z.enum(['patient', 'representative', 'specialist']), stepUpId: z.string(), templateVersion: z.number() }),
  // a consent was withdrawn (data.kind); recording consent stops recordings — Art. 19
  'consent.withdrawn': data({ kind: z.enum(['treatment', 'recording']) }),
  // consents were listed or a consent PDF was produced (data.count | data.format)
  'consent.read': data({ count: z.number().optional(), format: z.string().optional() }),
  // a consent's content hash was recomputed (data.valid)
  'consent.verified': data({ valid: z.boolean() }),
  // the specialist recorded an identity check (data.method, data.outcome) — Art. 7(1) item 5
  'identity.verified': data({ method: z.enum(['qualified_esignature', 'nhis_login', 'video_document_check', 'in_person_earlier']), outcome: z.enum(['failed', 'verified']), verificationId: z.string() }),
  // the providing specialist accepted or declined with the Art. 7 checklist (data.outcome) — Art. 9
  'admissibility.decided': data({ outcome: z.enum(['accept', 'decline']), decisionId: z.string(), blockedRule: z.string().nullable(), unconfirmed: z.array(z.string()) }),
  // an accept was refused by a hard block or an incomplete checklist (data.rule)
  'admissibility.refused': data({ code: z.enum(['admissibility.blocked', 'admissibility.checklist_failed']), rules: z.array(z.string()) }),
  // a telemedicine request was filed (data.urgency, data.mode, data.specialty, data.appointmentId) — Art. 18
  'request.created': data({ appointmentId: z.string().optional(), urgency: z.enum(['planned', 'emergency']), mode: z.enum(['synchronous', 'asynchronous']), specialty: z.string() }),
  // a request's form and intake (clinical content) were read
  'request.read': data({ fields: z.string() }).optional(),
  // a lifecycle action by either side (data.action, data.from, data.to, data.side)
  'request.transitioned': data({ slotId: z.string().optional(), action: z.string(), from: z.string(), to: z.string(), side: z.enum(['requester', 'provider']) }),
  // a document or image was attached to a request (data.contentType, data.sizeBytes)
  'request.attachment_added': data({ requestId: z.string(), contentType: z.string(), sizeBytes: z.number() }),
  // an attachment was downloaded
  'request.attachment_read': none,
  // an unacknowledged emergency moved to the next specialist on the rota (data.from, data.to)
  'request.emergency_escalated': data({ from: z.number(), to: z.number() }),
  // a facility changed its emergency rota (data.specialty, data.count)
  'request.rota_changed': data({ specialty: z.string(), count: z.number() }),
  // a booking was refused because the time was taken first (outcome failure)
  'appointment.slot_taken': data({ specialty: z.string() }),
  // a patient's insurance status was read (data.on, data.source: registry | cache) — R-NHIF-01
  'insurance.checked': data({ on: z.string(), source: z.enum(['registry', 'cache']) }),
  // the insurance registry did not answer (outcome failure, data.on)
  'insurance.check_failed': data({ on: z.string() }),
  // a foreigner's medical insurance policy was recorded (data.stayKind, startsOn, endsOn, renewal) — R-INS-02..06
  'insurance.policy_recorded': data({ stayKind: z.enum(['short', 'transit', 'long']), startsOn: z.string(), endsOn: z.string(), renewal: z.boolean() }),
  // a foreigner's policies and coverage were read (data.on, data.count)
  'insurance.policy_read': data({ on: z.string(), count: z.number() }),
  // an insured event of a foreigner was opened at booking (data.noticeDueAt) — R-INS-07
  'insurance.event_opened': data({ noticeDueAt: z.string() }),
  // the insurer was notified of an insured event (data.channel, data.late) — R-INS-07
  'insurance.insurer_notified': data({ channel: z.string(), late: z.boolean() }),
  // the 24-hour insurer notice passed without a notice (outcome failure) — R-INS-07
  'insurance.notice_overdue': data({ rule: z.string() }),
  // a claim document was submitted (data.code, data.complete) — R-INS-08, R-INS-10
  'insurance.claim_document_recorded': data({ code: z.string(), complete: z.boolean() }),
  // the insurer's payout (data.paidOn, data.late, data.abroad) — R-INS-08, R-INS-09, R-INS-18
  'insurance.claim_paid': data({ paidOn: z.string(), late: z.boolean(), abroad: z.boolean() }),
  // a patient's insured events were read (data.count)
  'insurance.events_read': data({ count: z.number() }),
  // who pays for a booking (data.payer, rule, priceEurCents, accepted) — R-PC-13, R-INS-11
  'booking.payment_recorded': data({ payer: z.enum(['patient', 'nhif', 'foreign_insurer']).nullable(), rule: z.string(), priceEurCents: z.number().nullable(), accepted: z.boolean() }),
  // a booking was refused over payment (outcome failure, data.rule, data.code) — R-PC-13, R-INS-01
  'booking.payment_refused': data({ rule: z.string(), code: z.enum(['insurance.foreign_policy_required', 'booking.payment_notice_required', 'booking.self_pay_price_unknown']), on: z.string() }),
  // a GP choice was registered (data.kind, data.basis, data.signer, data.startsOn) — W8-W10
  'gp.registered': data({ kind: z.enum(['initial', 'permanent', 'temporary']), basis: z.enum(['first_choice', 'change_window', 'gp_unable', 'address_change', 'temporary_stay']), signer: z.string(), startsOn: z.string() }),
  // a GP choice was refused by a rule (outcome failure, data.rule, data.kind)
  'gp.registration_refused': data({ rule: z.string(), kind: z.enum(['initial', 'permanent', 'temporary']), code: z.string() }),
  // a GP practice's desk looked a patient up from the identity documents presented (data.found) — W8-W10
  'gp.registration_lookup': data({ found: z.boolean() }),
  // a patient's GP choices and history were read (data.count)
  'gp.choice_read': data({ count: z.number() }),
  // a GP choice ended (data.reason: changed_gp | temporary_expired)
  'gp.registration_ended': data({ reason: z.string(), endedOn: z.string() }),
  // a GP read a page of their patient list (data.count, data.page)
  'gp.patient_list_read': data({ count: z.number(), page: z.number().optional(), status: z.enum(['listed', 'left']).optional(), on: z.string(), summary: z.boolean().optional() }),
  // a facility administrator registered a system (data.scope; never the secret)
  'api_client.registered': data({ scope: z.string() }),
  // a facility's registered systems were listed (data.count)
  'api_client.listed': data({ count: z.number() }),
  // a system was revoked; its tokens ended
  'api_client.revoked': none,
  // a system obtained an access token (client credentials, data.scope)
  'api_client.token_issued': data({ scope: z.string() }),
  // a token request was refused (outcome failure, data.error)
  'api_client.token_refused': data({ error: z.enum(['invalid_request', 'invalid_client', 'unsupported_grant_type', 'invalid_scope']) }),
  // a practice recorded an in-person, phone or home visit (data.kind, data.nhifPaid, data.practitionerId)
  'encounter.recorded': data({ kind: z.enum(['phone', 'in_person', 'home_visit']), nhifPaid: z.boolean(), practitionerId: z.string() }),
  // one encounter was read
  'encounter.read': none,
  // a patient's encounters were listed (data.count)
  'encounter.listed': z.union([data({ count: z.number() }), data({ purpose: z.string() })]),
  // a FHIR REST interaction on patient data at /fhir/R4, exported as a BALP AuditEvent (docs/fhir.md#audit)
  'fhir.interaction': data({ interaction: z.string(), type: z.string(), status: z.number(), id: z.string().optional(), query: z.string().optional() }),
  // a GP's monthly list report was produced (data.month, data.format, data.count) — R-29
  'gp.list_report_generated': data({ month: z.string(), format: z.enum(['csv', 'pdf']), count: z.number() }),
  // Sick leave, the ЛКК, TELK and medical notices (docs/sick-leave.md)
  // certificates were issued on an examination (data.kind, data.days, data.count, data.retroactive) — W15
  'sick_leave.issued': data({ stepUpId: z.string().optional(), kind: z.string(), days: z.number(), count: z.number(), retroactive: z.boolean().optional(), encounterKind: z.enum(['phone', 'remote', 'in_person', 'home_visit']).optional(), lkkCaseId: z.string().optional() }),
  // an issue was refused by a rule (outcome failure, data.rule, data.code)
  'sick_leave.refused': data({ rule: z.string(), code: z.string(), kind: z.string().optional(), encounterId: z.string().optional(), originalId: z.string().optional(), notice: z.enum(['school', 'kindergarten', 'sport', 'driving', 'work', 'school_absence']).optional(), telk: z.boolean().optional() }),
  // a patient's sick leaves, ЛКК cases or counters were read (data.count)
  'sick_leave.read': data({ count: z.number().optional(), counters: z.boolean().optional(), format: z.literal('pdf').optional() }),
  // a duplicate was issued (data.originalId) — R-SL-17/18
  'sick_leave.duplicate_issued': data({ originalId: z.string(), requestedBy: z.enum(['patient', 'other', 'employer']) }),
  // the NHIS acknowledged X011, C041 or C045 (data.type)
  'sick_leave.nhis_recorded': data({ reason: z.string().optional(), type: z.string() }),
  // the NHIS refused X011, C041 or C045 (data.type, data.reason)
  'sick_leave.nhis_rejected': data({ reason: z.string().optional(), type: z.string() }),
  // a facility created its ЛКК (data.members)
  'lkk.created': data({ members: z.number() }),
  // an ЛКК session was opened (data.heldOn)
  'lkk.session_opened': data({ heldOn: z.string() }),
  // a case was routed to the ЛКК (data.source, data.rule) — R-SL-03, R-SL-23
  'lkk.case_routed': data({ source: z.enum(['limit_14', 'limit_40', 'form6', 'contest_employer', 'contest_patient']), rule: z.string(), lkkId: z.string() }),
  // the ЛКК queue or a case was read (data.count)
  'lkk.case_read': data({ count: z.number() }).optional(),
  // the ЛКК decided a case (data.decision, data.protocolNo)
  'lkk.case_decided': data({ decision: z.enum(['extend', 'refuse', 'send_to_telk', 'confirm', 'reject']), protocolNo: z.number() }),
  // a member signed the protocol (data.complete)
  'lkk.protocol_signed': data({ complete: z.boolean() }),
  // a TELK preparation started (data.dueOn, data.route) — W16
  'telk.case_opened': data({ dueOn: z.string(), route: z.enum(['gp', 'treating_specialist', 'lkk']), suspended: z.boolean() }),
  // a TELK case was read
  'telk.case_read': data({ count: z.number() }).optional(),
  // the checklist, schedule or dossier changed, or the case completed (data.fields)
  'telk.case_updated': data({ fields: z.array(z.string()), completed: z.boolean() }),
  // a medical notice was issued (data.purpose) — R-EXP-05
  'notice.issued': data({ purpose: z.enum(['school', 'kindergarten', 'sport', 'driving', 'work', 'school_absence']) }),
  // a medical notice was cancelled
  'notice.cancelled': none,
  // a patient's medical notices were read (data.count)
  'notice.read': data({ count: z.number() }),
  // an open expertise deadline is due by the next working day (data.kind)
  'expertise.deadline_escalated': data({ kind: z.enum(['retroactive_leave', 'duplicate_leave', 'telk_protocol', 'dossier_return']), rule: z.string(), dueOn: z.string() }),
  // an expertise deadline passed open (data.kind)
  'expertise.deadline_missed': data({ kind: z.enum(['retroactive_leave', 'duplicate_leave', 'telk_protocol', 'dossier_return']), rule: z.string(), dueOn: z.string() }),
  // the ЛКК's chair read the monthly report to the РЗОК (НРД R-133); each case is audited as lkk.case_read
  'lkk.report_read': data({ month: z.string(), cases: z.number(), format: z.enum(['json', 'pdf']) }),
  // a medical notice was read as a PDF
  'notice.printed': data({ purpose: z.enum(['school', 'kindergarten', 'sport', 'driving', 'work', 'school_absence']) }),
  // the TELK bundle list (опис, R-TELK-10) was read as a PDF
  'telk.bundle_printed': data({ missing: z.number() }),
  // a backup was written (data.backupId, data.status, data.destinations ok/failed) — Art. 28(1) item 6
  'backup.created': data({ backupId: z.string(), status: z.enum(['partial', 'failed', 'ok']), ok: z.number(), failed: z.number() }),
  // a backup was restored into a scratch database and checked (data.backupId, data.passed, data.sampled) — Art. 28(1) item 7
  'backup.restore_checked': data({ backupId: z.string().nullable(), passed: z.boolean(), sampled: z.number() }),
  // the operator or a supervisor read the backups page or a restore-check report
  'backup.report_read': data({ view: z.string().optional(), format: z.string().optional() }),
  // The practice's day (docs/practice.md)
  // a price-list version was added (data.effectiveFrom, data.items) — DECISIONS 17
  'practice.price_list_created': data({ effectiveFrom: z.string(), items: z.number() }),
  // a visit and its fee were recorded (data.kind, data.feeBasis, data.rule)
  'practice.visit_recorded': data({ kind: z.enum(['phone', 'in_person', 'home_visit']), feeBasis: z.enum(['none', 'user_fee', 'price_list', 'exempt']), rule: z.enum(['R-PC-16', 'R-PC-13', 'R-PC-12', 'R-72', 'R-NHIF-03']) }),
  // recording a visit was refused by a rule (outcome failure, data.rule)
  'practice.visit_refused': data({ rule: z.string() }),
  // a payment and its receipt were recorded (data.purpose, data.method, data.receiptNumber)
  'practice.payment_recorded': data({ purpose: z.enum(['document', 'user_fee', 'price_list', 'lab_fee']), method: z.enum(['cash', 'card_terminal', 'bank_transfer']), receiptNumber: z.number() }),
  // a patient's fees and receipts were read (data.count)
  'practice.payments_read': data({ count: z.number(), format: z.string().optional() }),
  // a phone consultation was registered (data.kind, data.outcome) — R-PC-07
  'practice.phone_consultation_recorded': data({ kind: z.enum(['medical', 'administrative']), outcome: z.enum(['advice', 'information', 'refused']) }),
  // a walk-in joined or left the queue (data.priority, data.status) — W19
  'practice.queue_changed': data({ priority: z.enum(['other', 'emergency', 'urgent', 'pregnant', 'infant']).optional(), status: z.string() }),
  // the day's queue was read (data.count)
  'practice.queue_read': data({ count: z.number(), list: z.string(), date: z.string().optional() }),
  // a patient asked for a document, or the desk recorded it — E34, R-DOC-01..05
  'practice.document_requested': data({ category: z.string(), rule: z.string(), dueOn: z.string().nullable() }),
  // document requests were read (data.count)
  'practice.document_requests_read': data({ count: z.number(), status: z.string().optional() }),
  // a document was issued or refused — R-DOC-*, R-PC-19
  'practice.document_request_completed': data({ outcome: z.string(), late: z.boolean(), rule: z.string().optional() }),
  // an entry was added to the GDPR Art. 30 register
  'practice.processing_register_changed': data({ legalBasis: z.string() }),
  // the Art. 30 register was read (data.count)
  'practice.processing_register_read': data({ count: z.number() }),
  // a data-subject request was filed — GDPR Art. 12(3), 15-21
  'practice.subject_request_filed': data({ right: z.string(), dueOn: z.string() }),
  // data-subject requests were read (data.count)
  'practice.subject_requests_read': data({ count: z.number() }),
  // a data-subject request was extended, completed or refused
  'practice.subject_request_handled': data({ action: z.string(), late: z.boolean(), rule: z.string() }),
  // a home-visit request was made or decided (data.category) — R-PC-16
  'practice.home_visit_changed': data({ channel: z.enum(['phone', 'in_person', 'admin_provider']).optional(), category: z.enum(['covered', 'paid']).optional(), reclassified: z.boolean().optional(), rule: z.string().optional() }),
  // an opinion or complaint was filed or answered — W24
  'practice.complaint_changed': data({ channel: z.enum(['website', 'portal', 'oral', 'mailbox', 'book']).optional(), reviewed: z.boolean().optional(), replied: z.boolean().optional() }),
  // the journal was read (data.count)
  'practice.complaints_read': data({ count: z.number() }),
  // a data breach was recorded or notified — R-DATA-02
  'practice.breach_changed': data({ notifyBy: z.string().optional(), notified: z.enum(['website', 'waiting_room', 'both']).optional() }),
  // the out-of-hours arrangement was published (data.arrangement) — R-OOH-03
  'practice.out_of_hours_changed': data({ arrangement: z.enum(['group_duty_room', 'functional_duty_room', 'contract_nearest', 'individual_24h_phone']), validFrom: z.string() }),
  // the prophylaxis plan's monthly reminders were planned for a GP's due patients (W20, R-PRO-01)
  'practice.prophylaxis_reminders_planned': data({ month: z.string(), count: z.number(), rule: z.literal('R-PRO-01') }),
  // the monthly NHIF report was produced (data.month, data.format, data.visits) — R-127
  'practice.report_generated': data({ month: z.string(), visits: z.number() }),
  // Referrals and e-prescriptions (docs/referrals.md)
  // a referral was signed and queued for the NHIS (data.form, data.revision, data.encounterId, data.encounterKind, data.keyId, data.stepUpId, data.budgetLevel) — W13
  'referral.issued': data({ budgetLevel: z.enum(['none', 'ok', 'warning', 'exhausted']).optional(), form: z.enum(['3', '4', '6', '7', '3A', '119a']), revision: z.number(), encounterId: z.string(), encounterKind: z.enum(['phone', 'remote', 'in_person', 'home_visit']), keyId: z.string(), stepUpId: z.string() }),
  // a referral was refused by a rule (outcome denied, data.form, data.rules) — R-REF-*
  'referral.refused': data({ form: z.enum(['3', '4', '6', '7', '3A', '119a']), rules: z.array(z.string()) }),
  // a referral was read (reason; by its НРН: referral_nrn:<nrn>)
  'referral.read': data({ format: z.string() }).optional(),
  // a patient's referrals were listed (data.count)
  'referral.listed': data({ count: z.number() }),
  // a receiving specialist used a referral (data.form) — W14
  'referral.used': data({ form: z.enum(['3', '4', '6', '7', '3A', '119a']), issuerFacility: z.string().nullable() }),
  // the NHIS acknowledged a referral with its НРН (data.attempts)
  'referral.recorded': data({ attempts: z.number() }),
  // the issuing doctor asked to cancel a referral (data.stepUpId)
  'referral.cancel_requested': data({ stepUpId: z.string() }),
  // the NHIS acknowledged the cancellation (R007)
  'referral.cancelled': data({ attempts: z.number() }),
  // an e-prescription was signed and queued (data.kind, data.revision, data.lines, data.encounterId, data.encounterKind, data.keyId, data.stepUpId) — W27
  'prescription.issued': data({ kind: z.enum(['nhif', 'ordinary']), revision: z.number(), lines: z.number(), encounterId: z.string(), encounterKind: z.enum(['phone', 'remote', 'in_person', 'home_visit']), keyId: z.string(), stepUpId: z.string() }),
  // an e-prescription was refused by a rule (outcome denied, data.rules) — R-PC-05/06, R-51..60
  'prescription.refused': data({ rules: z.array(z.string()) }),
  // an e-prescription was read (data.nhisStatus after a P017 refresh)
  'prescription.read': data({ format: z.string().optional(), nhisStatus: z.enum(['active', 'expired', 'cancelled', 'dispensed', 'partly_dispensed']).optional() }).optional(),
  // a patient's prescriptions were listed (data.count)
  'prescription.listed': data({ count: z.number() }),
  // the NHIS acknowledged a prescription with its number
  'prescription.recorded': data({ attempts: z.number() }),
  // the prescriber asked to cancel (data.stepUpId)
  'prescription.cancel_requested': data({ stepUpId: z.string() }),
  // the NHIS acknowledged the cancellation (P007)
  'prescription.cancelled': data({ attempts: z.number() }),
  // the medicines nomenclature was imported (data.imported, data.source)
  'medicines.imported': data({ imported: z.number(), source: z.string() }),
  // a patient's NHIF-paid specialist booking took the referral, used once for the request (data.form, data.requestId) — W14
  'referral.booked': data({ form: z.enum(['3', '4', '6', '7', '3A', '119a']), requestId: z.string() }),
  // a booking's referral was refused (outcome failure, data.code, data.rule) — W14, R-REF-01/04
  'referral.booking_refused': data({ code: z.string(), rule: z.string() }),
  // a booked referral was given back: the booking failed, the request ended before the visit, or the sweep found no
  // booking for the reservation after its grace period (data.why); data.use: the primary use or a secondary visit — W14, R-REF-02
  'referral.released': data({ form: z.enum(['3', '4', '6', '7', '3A', '119a']), requestId: z.string(), why: z.enum(['booking_failed', 'request_ended', 'booking_orphaned']), use: z.enum(['primary', 'secondary']).optional() }),
  // a used № 3 booked its secondary examination with the primary's provider (data.requestId, data.primaryOn, data.visitOn) — R-REF-02
  'referral.secondary_booked': data({ form: z.literal('3'), requestId: z.string(), primaryOn: z.string(), visitOn: z.string() }),
  // the receiving specialist recorded a secondary examination on a used № 3 (data.primaryOn, data.visitOn) — R-REF-02
  'referral.secondary_used': data({ form: z.literal('3'), primaryOn: z.string(), visitOn: z.string() }),
} as const satisfies Record<string, z.ZodType>;

export type AuditAction = keyof typeof auditEventData;
export const auditActions = Object.keys(auditEventData) as AuditAction[];
/** The `data` an action takes. */
export type AuditData<A extends AuditAction> = z.input<(typeof auditEventData)[A]>;

/** One event as the catalogue sees it: the action and its data, a union discriminated by `action`. */
export const AuditEventSchema = z.discriminatedUnion(
  'action',
  auditActions.map((action) => z.strictObject({ action: z.literal(action), data: auditEventData[action] })) as unknown as [z.ZodObject<{ action: z.ZodLiteral<AuditAction>; data: z.ZodType }>],
);

/** `action` with its `data`, for any action of the catalogue (the data is optional exactly when the schema allows none). */
export type AuditEventOf<A extends AuditAction = AuditAction> = {
  [K in A]: undefined extends AuditData<K> ? { action: K; data?: AuditData<K> } : { action: K; data: AuditData<K> };
}[A];
