/**
 * The audit event catalogue. Persisted shape: changes to an action's meaning need a `schema_version`
 * bump and a migration. Codes are `domain.past_tense` (STYLE C1).
 */
export const auditActions = [
  'demo.seeded', // demo data was created
  'patient.created', // a patient record was created
  'patient.read', // a patient's demographics were read
  'patient.identifier_revealed', // a participant unmasked the patient's EGN/LNCh on a clinical screen (data.kind)
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
  'account.staff_listed', // an administrator listed a facility's staff accounts (data.count)
  'account.deactivated', // a staff account was deactivated by an administrator; its sessions ended (data.sessionsEnded)
  'account.reactivated', // a deactivated staff account was made active again
  'account.mfa_reset', // an administrator removed a staff account's second factors; enrolment is required again
  'account.unlocked', // an administrator ended a staff account's sign-in lock
  'account.activation_sent', // a staff activation link was issued (data.reason: created, mfa_reset, email_changed, resent)
  'account.activated', // the person set their password and enrolled the second factor through the activation link
  'account.registration_requested', // someone submitted the registration form (outcome denied: e-mail or identifier already registered; docs/registration.md)
  'account.confirmation_sent', // a registration confirmation link was e-mailed (denied: hourly limit)
  'account.email_confirmed', // a self-registered patient confirmed the e-mail; second-factor enrolment follows
  'calendar.feed_created', // the account created (or replaced) its private calendar feed URL
  'calendar.feed_revoked', // the account revoked its private calendar feed URL
  'calendar.feed_read', // a calendar application read the private feed (data.count)
  'account.email_changed', // an administrator changed a staff account's e-mail; password and factors cleared, re-activation sent
  'auth.password_verified', // password step passed; a second factor is now required
  'auth.signed_in', // second factor passed; a session was created (data.method)
  'auth.sign_in_failed', // wrong password, unknown e-mail or wrong second factor (data.step, data.reason)
  'auth.locked_out', // 5 failures in 15 minutes locked the sign-in for 15 minutes
  'auth.throttled', // a client IP exceeded its failed-attempt budget
  'auth.network_denied', // a staff role tried to act from outside the allowed networks (Art. 28(1)-(2))
  'auth.signed_out', // the user ended the current session
  'auth.session_revoked', // a session was ended from the sessions page (data.reason)
  'auth.password_changed', // the user changed their password (step-up); other sessions ended (data.sessionsEnded)
  'auth.password_reset_requested', // a reset link was asked for (outcome failure for unknown e-mails, denied when throttled)
  'auth.password_reset', // the password was reset with an e-mailed link and the second factor; all sessions ended
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
  'representative.link_refused', // a representative link was refused for an identifier no patient has (data.pointer)
  'care.opened', // a specialist's care relationship with a patient began (request or consultation, Art. 13)
  'care.closed', // a care relationship ended
  'supervision.case_opened', // the supervisory agency opened a case that opens patient data to it (Art. 21)
  'supervision.case_closed', // a supervision case was closed
  'supervision.cases_viewed', // a facility administrator or supervisor listed supervision cases (data.count)
  'centre.coordinator_set', // an account became coordinator (functional head) of a centre (Art. 5(4) item 1)
  'audit.access_log_viewed', // a patient or representative read "who accessed my data" (audit_event rows about the patient)
  'audit.exported', // a supervisor exported the audit trail of a facility and period (data.format, data.from, data.to, data.count)
  'record.draft_saved', // a clinical document draft was created or changed (data.kind, data.revision)
  'record.signed', // a clinical document revision was signed by its author (data.kind, data.revision, data.keyId, data.level)
  'record.read', // a clinical document was read (data.kind, data.revision, data.format)
  'record.verified', // a document's signature and integrity were checked (data.valid)
  'record.draft_discarded', // an unsigned draft was discarded by its author
  'health_record.read', // a patient's health record (remote services) was read (data.count)
  'health_record.exported', // a patient's health record was exported as FHIR R4 (data.count)
  'signing_key.created', // a signing key was created (advanced) or a qualified certificate registered (data.level, data.certificateSha256) for a specialist at a facility (data.alg)
  'nhis.recorded', // the NHIS acknowledged a signed record (data.operation, data.attempts)
  'nhis.rejected', // the NHIS refused a signed record (data.reason)
  'deadline.started', // an Art. 17 documentation deadline was computed at completion (data.urgency, data.dueAt)
  'deadline.extended', // the providing specialist marked the case complex (data.kind, data.dueAt) — R-TM-43
  'deadline.escalated', // 80% of the documentation time passed without a record; the facility was alerted
  'deadline.missed', // a documentation deadline passed without an NHIS record (data.cause)
  'icd10.imported', // the ICD-10 list (NHIS CL011 or the demo subset) was imported (data.count, data.source)
  'compliance.report_generated', // a facility compliance report was produced (data.format, data.from, data.to)
  'consultation.opened', // a request's consultation was opened (data.mode, data.participants)
  'consultation.viewed', // a participant was refused the consultation (denied outcome only)
  'consultation.joined', // a participant's signalling connection joined (data.side, data.state: waiting | in-call)
  'consultation.admitted', // the specialist admitted a participant from the waiting room (data.side)
  'consultation.message_posted', // a chat message, case description or answer was stored (data.kind)
  'consultation.messages_read', // a participant read the messages (data.count)
  'consultation.chat_watched', // a participant opened the live channel that pushes new messages and file notices (data.side)
  'consultation.file_uploaded', // a file passed the type/size scan and was stored encrypted (data.contentType, data.sizeBytes)
  'consultation.files_listed', // a participant listed the files (data.count)
  'consultation.file_downloaded', // a participant downloaded or viewed a file (data.fileId)
  'consultation.quality_report_viewed', // a facility quality report was read (data.from, data.to)
  'consultation.completed', // the specialist ended the service; the documentation deadline starts (Art. 17(2))
  'recording.started', // a recording started under a recording consent (data.media, data.consentId)
  'recording.chunk_stored', // an encrypted recording chunk was stored (data.seq, data.sizeBytes)
  'recording.stopped', // a recording was stopped
  'recording.withdrawn', // a recording stopped because its consent was withdrawn (Art. 19)
  'recording.listed', // a participant listed the recordings
  'recording.accessed', // a participant downloaded a recording
  'auth.step_up_confirmed', // a signed-in user re-confirmed the second factor for a signature (data.method, data.purpose)
  'consent_template.created', // a facility drafted a consent form version (data.kind, data.version)
  'consent_template.published', // a consent form version was published; the previous one retired (data.kind, data.version)
  'consent.presented', // the consent information was shown to a person before signing (data.kind, data.templateVersion) — Art. 11
  'consent.signed', // a consent was signed with a fresh second factor (data.kind, data.signerRole, data.stepUpId)
  'consent.withdrawn', // a consent was withdrawn (data.kind); recording consent stops recordings — Art. 19
  'consent.read', // consents were listed or a consent PDF was produced (data.count | data.format)
  'consent.verified', // a consent's content hash was recomputed (data.valid)
  'identity.verified', // the specialist recorded an identity check (data.method, data.outcome) — Art. 7(1) item 5
  'admissibility.decided', // the providing specialist accepted or declined with the Art. 7 checklist (data.outcome) — Art. 9
  'admissibility.refused', // an accept was refused by a hard block or an incomplete checklist (data.rule)
  'request.created', // a telemedicine request was filed (data.urgency, data.mode, data.specialty, data.appointmentId) — Art. 18
  'request.read', // a request's form and intake (clinical content) were read
  'request.transitioned', // a lifecycle action by either side (data.action, data.from, data.to, data.side)
  'request.attachment_added', // a document or image was attached to a request (data.contentType, data.sizeBytes)
  'request.attachment_read', // an attachment was downloaded
  'request.emergency_escalated', // an unacknowledged emergency moved to the next specialist on the rota (data.from, data.to)
  'request.rota_changed', // a facility changed its emergency rota (data.specialty, data.count)
  'appointment.slot_taken', // a booking was refused because the time was taken first (outcome failure)
  'insurance.checked', // a patient's insurance status was read (data.on, data.source: registry | cache) — R-NHIF-01
  'insurance.check_failed', // the insurance registry did not answer (outcome failure, data.on)
  'insurance.policy_recorded', // a foreigner's medical insurance policy was recorded (data.stayKind, startsOn, endsOn, renewal) — R-INS-02..06
  'insurance.policy_read', // a foreigner's policies and coverage were read (data.on, data.count)
  'insurance.event_opened', // an insured event of a foreigner was opened at booking (data.noticeDueAt) — R-INS-07
  'insurance.insurer_notified', // the insurer was notified of an insured event (data.channel, data.late) — R-INS-07
  'insurance.notice_overdue', // the 24-hour insurer notice passed without a notice (outcome failure) — R-INS-07
  'insurance.claim_document_recorded', // a claim document was submitted (data.code, data.complete) — R-INS-08, R-INS-10
  'insurance.claim_paid', // the insurer's payout (data.paidOn, data.late, data.abroad) — R-INS-08, R-INS-09, R-INS-18
  'insurance.events_read', // a patient's insured events were read (data.count)
  'booking.payment_recorded', // who pays for a booking (data.payer, rule, priceEurCents, accepted) — R-PC-13, R-INS-11
  'booking.payment_refused', // a booking was refused over payment (outcome failure, data.rule, data.code) — R-PC-13, R-INS-01
  'gp.registered', // a GP choice was registered (data.kind, data.basis, data.signer, data.startsOn) — W8-W10
  'gp.registration_refused', // a GP choice was refused by a rule (outcome failure, data.rule, data.kind)
  'gp.choice_read', // a patient's GP choices and history were read (data.count)
  'gp.registration_ended', // a GP choice ended (data.reason: changed_gp | temporary_expired)
  'gp.patient_list_read', // a GP read a page of their patient list (data.count, data.page)
  'api_client.registered', // a facility administrator registered a system (data.scope; never the secret)
  'api_client.listed', // a facility's registered systems were listed (data.count)
  'api_client.revoked', // a system was revoked; its tokens ended
  'api_client.token_issued', // a system obtained an access token (client credentials, data.scope)
  'api_client.token_refused', // a token request was refused (outcome failure, data.error)
  'fhir.interaction', // a FHIR REST interaction on patient data at /fhir/R4, exported as a BALP AuditEvent (data.interaction, data.type, data.id, data.query)
  'encounter.recorded', // a practice recorded an in-person, phone or home visit (data.kind, data.nhifPaid, data.practitionerId)
  'encounter.read', // one encounter was read
  'encounter.listed', // a patient's encounters were listed (data.count)
  'gp.list_report_generated', // a GP's monthly list report was produced (data.month, data.format, data.count) — R-29
  // Sick leave, the ЛКК, TELK and medical notices (docs/sick-leave.md)
  'sick_leave.issued', // certificates were issued on an examination (data.kind, data.days, data.count, data.retroactive) — W15
  'sick_leave.refused', // an issue was refused by a rule (outcome failure, data.rule, data.code)
  'sick_leave.read', // a patient's sick leaves, ЛКК cases or counters were read (data.count)
  'sick_leave.duplicate_issued', // a duplicate was issued (data.originalId) — R-SL-17/18
  'sick_leave.nhis_recorded', // the NHIS acknowledged X011, C041 or C045 (data.type)
  'sick_leave.nhis_rejected', // the NHIS refused X011, C041 or C045 (data.type, data.reason)
  'lkk.created', // a facility created its ЛКК (data.members)
  'lkk.session_opened', // an ЛКК session was opened (data.heldOn)
  'lkk.case_routed', // a case was routed to the ЛКК (data.source, data.rule) — R-SL-03, R-SL-23
  'lkk.case_read', // the ЛКК queue or a case was read (data.count)
  'lkk.case_decided', // the ЛКК decided a case (data.decision, data.protocolNo)
  'lkk.protocol_signed', // a member signed the protocol (data.complete)
  'telk.case_opened', // a TELK preparation started (data.dueOn, data.route) — W16
  'telk.case_read', // a TELK case was read
  'telk.case_updated', // the checklist, schedule or dossier changed, or the case completed (data.fields)
  'notice.issued', // a medical notice was issued (data.purpose) — R-EXP-05
  'notice.cancelled', // a medical notice was cancelled
  'notice.read', // a patient's medical notices were read (data.count)
  'expertise.deadline_escalated', // an expertise deadline is due today and open (data.kind)
  'expertise.deadline_missed', // an expertise deadline passed open (data.kind)
  'backup.created', // a backup was written (data.backupId, data.status, data.destinations ok/failed) — Art. 28(1) item 6
  'backup.restore_checked', // a backup was restored into a scratch database and checked (data.backupId, data.passed, data.sampled) — Art. 28(1) item 7
  'backup.report_read', // the operator or a supervisor read the backups page or a restore-check report
  // The practice's day (docs/practice.md)
  'practice.price_list_created', // a price-list version was added (data.effectiveFrom, data.items) — DECISIONS 17
  'practice.visit_recorded', // a visit and its fee were recorded (data.kind, data.feeBasis, data.rule)
  'practice.visit_refused', // recording a visit was refused by a rule (outcome failure, data.rule)
  'practice.payment_recorded', // a payment and its receipt were recorded (data.purpose, data.method, data.receiptNumber)
  'practice.payments_read', // a patient's fees and receipts were read (data.count)
  'practice.phone_consultation_recorded', // a phone consultation was registered (data.kind, data.outcome) — R-PC-07
  'practice.queue_changed', // a walk-in joined or left the queue (data.priority, data.status) — W19
  'practice.queue_read', // the day's queue was read (data.count)
  'practice.home_visit_changed', // a home-visit request was made or decided (data.category) — R-PC-16
  'practice.complaint_changed', // an opinion or complaint was filed or answered — W24
  'practice.complaints_read', // the journal was read (data.count)
  'practice.breach_changed', // a data breach was recorded or notified — R-DATA-02
  'practice.out_of_hours_changed', // the out-of-hours arrangement was published (data.arrangement) — R-OOH-03
  'practice.document_requested', // a patient asked for a document, or the desk recorded it (data.category, data.rule, data.dueOn) — E34, R-DOC-01..05
  'practice.document_requests_read', // document requests were read (data.count)
  'practice.document_request_completed', // a document was issued or refused (data.outcome, data.late, data.rule) — R-DOC-*, R-PC-19
  'practice.processing_register_changed', // an entry was added to the GDPR Art. 30 register (data.legalBasis)
  'practice.processing_register_read', // the Art. 30 register was read (data.count)
  'practice.subject_request_filed', // a data-subject request was filed (data.right, data.dueOn) — GDPR Art. 12(3), 15-21
  'practice.subject_requests_read', // data-subject requests were read (data.count)
  'practice.subject_request_handled', // a data-subject request was extended, completed or refused (data.action, data.late)
  'practice.report_generated', // the monthly NHIF report was produced (data.month, data.format, data.visits) — R-127
  // Referrals and e-prescriptions (docs/referrals.md)
  'referral.issued', // a referral was signed and queued for the NHIS (data.form, data.revision, data.encounterId, data.encounterKind, data.keyId, data.stepUpId, data.budgetLevel) — W13
  'referral.refused', // a referral was refused by a rule (outcome denied, data.form, data.rules) — R-REF-*
  'referral.read', // a referral was read (reason; by its НРН: referral_nrn:<nrn>)
  'referral.listed', // a patient's referrals were listed (data.count)
  'referral.used', // a receiving specialist used a referral (data.form) — W14
  'referral.recorded', // the NHIS acknowledged a referral with its НРН (data.attempts)
  'referral.cancel_requested', // the issuing doctor asked to cancel a referral (data.stepUpId)
  'referral.cancelled', // the NHIS acknowledged the cancellation (R007)
  'prescription.issued', // an e-prescription was signed and queued (data.kind, data.revision, data.lines, data.encounterId, data.encounterKind, data.keyId, data.stepUpId) — W27
  'prescription.refused', // an e-prescription was refused by a rule (outcome denied, data.rules) — R-PC-05/06, R-51..60
  'prescription.read', // an e-prescription was read (data.nhisStatus after a P017 refresh)
  'prescription.listed', // a patient's prescriptions were listed (data.count)
  'prescription.recorded', // the NHIS acknowledged a prescription with its number
  'prescription.cancel_requested', // the prescriber asked to cancel (data.stepUpId)
  'prescription.cancelled', // the NHIS acknowledged the cancellation (P007)
  'medicines.imported', // the medicines nomenclature was imported (data.imported, data.source)
] as const;

export type AuditAction = (typeof auditActions)[number];
