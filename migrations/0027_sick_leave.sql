-- Sick leave (болничен лист), the medical advisory commission (ЛКК), TELK preparation and medical notices
-- (W15, W16, E18-E23, E37; docs/sick-leave.md). Limits and windows are dated rows of nhif_rule
-- (DECISIONS.md item 17). Security: diagnoses, employers, family members, protocols and notes are stored
-- encrypted with the facility's key (DECISIONS.md item 13); the clear columns are ids, codes and dates.

INSERT INTO nhif_rule (key, rule_id, value, valid_from, valid_to, source) VALUES
  -- 14 consecutive / 40 per calendar year per issuing doctor (DECISIONS.md item 18); NOI benefit limits warn only.
  ('sick_leave.limits', 'R-SL-01', '{"consecutiveDays": 14, "yearDays": 40, "familyCareBenefitDays": 10, "sickChildBenefitDays": 60}', '2006-01-01', NULL,
   '[001] L201; [004] L240, L252-254 (R-SL-01, R-SL-02, R-SL-04, R-SL-05)'),
  ('sick_leave.maternity', 'R-SL-08', '{"prenatalDays": 45, "postnatalDays": 42, "newbornDays": 48}', '2006-01-01', NULL, '[004] L260-266'),
  -- Retroactive leave and duplicates within 1 working day of the request (R-SL-16, R-SL-17).
  ('sick_leave.deadlines', 'R-SL-16', '{"retroactiveWorkingDays": 1, "duplicateWorkingDays": 1}', '2006-01-01', NULL, '[004] L313, L315'),
  -- 30 days, not in June and December, resuming on the 7th (R-TELK-01, R-TELK-02, DECISIONS.md item 19, A-41, A-42).
  ('telk.clock', 'R-TELK-01', '{"days": 30, "blackoutMonths": [6, 12], "resumeDay": 7}', '2006-01-01', NULL, '[004] L39, L41, L969'),
  ('telk.preparation', 'R-TELK-03', '{"temporaryAddressMonths": 3, "reuseMonths": 12, "dossierReturnDays": 7}', '2006-01-01', NULL, '[004] L13, L17, L29');

-- The medical advisory commission of a facility (НРД чл. 66-69): created by an RCZ order.
CREATE TABLE lkk (
  id uuid PRIMARY KEY,
  facility_id uuid NOT NULL REFERENCES facility (id),
  name text NOT NULL,
  order_ref text NOT NULL,
  created_at timestamptz NOT NULL
);
CREATE TABLE lkk_member (
  lkk_id uuid NOT NULL REFERENCES lkk (id),
  practitioner_id uuid NOT NULL REFERENCES practitioner (id),
  role text NOT NULL CHECK (role IN ('chair', 'member')),
  PRIMARY KEY (lkk_id, practitioner_id)
);
CREATE UNIQUE INDEX lkk_one_chair ON lkk_member (lkk_id) WHERE role = 'chair';
CREATE TABLE lkk_session (
  id uuid PRIMARY KEY,
  lkk_id uuid NOT NULL REFERENCES lkk (id),
  held_on date NOT NULL,
  created_at timestamptz NOT NULL,
  UNIQUE (lkk_id, held_on)
);

-- A case in the ЛКК's queue: routed by the 14/40 limits (R-SL-03), by a № 6, or a contest (R-SL-23).
CREATE TABLE lkk_case (
  id uuid PRIMARY KEY,
  lkk_id uuid NOT NULL REFERENCES lkk (id),
  patient_id uuid NOT NULL REFERENCES patient (id),
  -- the practice that routed the case and its doctor
  from_facility_id uuid NOT NULL REFERENCES facility (id),
  from_practitioner_id uuid NOT NULL REFERENCES practitioner (id),
  source text NOT NULL CHECK (source IN ('limit_14', 'limit_40', 'form6', 'contest_employer', 'contest_patient')),
  rule_id text NOT NULL,
  -- the refused request or the contest (keyring facility scope of from_facility_id, context 'lkk_case:<id>:request')
  request_enc bytea NOT NULL,
  contested_sick_leave_id uuid,
  -- R-SL-03: a № 6 (referrals module) is prepared for the case; its link is set once it exists
  form6_needed boolean NOT NULL,
  form6_referral_id uuid,
  status text NOT NULL CHECK (status IN ('queued', 'awaiting_signatures', 'decided')),
  session_id uuid REFERENCES lkk_session (id),
  decision text CHECK (decision IN ('extend', 'refuse', 'send_to_telk', 'confirm', 'reject')),
  protocol_no integer,
  -- the protocol (keyring facility scope of the ЛКК's facility, context 'lkk_case:<id>:protocol')
  protocol_enc bytea,
  decided_by_practitioner_id uuid REFERENCES practitioner (id),
  decided_at timestamptz,
  created_at timestamptz NOT NULL,
  CONSTRAINT lkk_case_decision CHECK ((status = 'queued') = (decision IS NULL))
);
CREATE INDEX lkk_case_queue_idx ON lkk_case (lkk_id, status, created_at);
CREATE INDEX lkk_case_patient_idx ON lkk_case (patient_id, created_at);
CREATE UNIQUE INDEX lkk_case_protocol_no ON lkk_case (lkk_id, protocol_no) WHERE protocol_no IS NOT NULL;
-- Every member signs the protocol; it takes effect when all have.
CREATE TABLE lkk_signature (
  case_id uuid NOT NULL REFERENCES lkk_case (id),
  practitioner_id uuid NOT NULL REFERENCES practitioner (id),
  signed_at timestamptz NOT NULL,
  PRIMARY KEY (case_id, practitioner_id)
);

-- A sick-leave certificate (E18). One row per employer (R-SL-13): the rows of one issue share
-- certificate_set and carry the same period, diagnosis and reason.
CREATE TABLE sick_leave (
  id uuid PRIMARY KEY,
  certificate_set uuid NOT NULL,
  employer_index integer NOT NULL CHECK (employer_index >= 0),
  -- the insured person the certificate is for
  patient_id uuid NOT NULL REFERENCES patient (id),
  facility_id uuid NOT NULL REFERENCES facility (id),
  practitioner_id uuid NOT NULL REFERENCES practitioner (id),
  -- the examination that establishes the incapacity (R-SL-20, R-SL-21); null only for an ЛКК decision
  encounter_id uuid REFERENCES encounter (id),
  -- a remote examination's consultation, cited on the leave (Art. 9)
  consultation_id uuid,
  lkk_case_id uuid REFERENCES lkk_case (id),
  kind text NOT NULL CHECK (kind IN ('illness', 'family_care', 'quarantine', 'maternity_prenatal', 'maternity_postnatal', 'newborn_care', 'exam_consultation', 'accompanying', 'sanatorium', 'dental')),
  capacity text NOT NULL,
  start_on date NOT NULL,
  end_on date NOT NULL,
  days integer NOT NULL CHECK (days > 0),
  issued_on date NOT NULL,
  retroactive boolean NOT NULL,
  late_issue_reason text,
  -- R-SL-17/18: a duplicate points at its original and is marked "дубликат"
  duplicate_of uuid REFERENCES sick_leave (id),
  -- diagnosis, employer, care, notes (keyring facility scope, context 'sick_leave:<id>:data')
  data_enc bytea NOT NULL,
  nhis_status text NOT NULL CHECK (nhis_status IN ('pending', 'recorded', 'rejected')),
  nrn text,
  issued_by uuid NOT NULL REFERENCES user_account (id),
  created_at timestamptz NOT NULL,
  CONSTRAINT sick_leave_period CHECK (end_on >= start_on),
  CONSTRAINT sick_leave_basis CHECK (encounter_id IS NOT NULL OR lkk_case_id IS NOT NULL OR duplicate_of IS NOT NULL)
);
CREATE INDEX sick_leave_patient_idx ON sick_leave (patient_id, start_on);
CREATE INDEX sick_leave_set_idx ON sick_leave (certificate_set);

-- TELK preparation (W16, E21, E23).
CREATE TABLE telk_case (
  id uuid PRIMARY KEY,
  patient_id uuid NOT NULL REFERENCES patient (id),
  facility_id uuid NOT NULL REFERENCES facility (id),
  practitioner_id uuid NOT NULL REFERENCES practitioner (id),
  route text NOT NULL CHECK (route IN ('gp', 'treating_specialist', 'lkk')),
  temporary_incapacity_preceded boolean NOT NULL,
  lkk_case_id uuid REFERENCES lkk_case (id),
  requested_on date NOT NULL,
  earliest_on date NOT NULL,
  due_on date NOT NULL,
  clock_suspended boolean NOT NULL,
  scheduled_on date,
  -- the 7-item bundle ticked as presented (R-TELK-10); booleans only
  checklist jsonb NOT NULL,
  child boolean NOT NULL,
  address_differs boolean NOT NULL,
  had_previous_decision boolean NOT NULL,
  -- diagnoses, medications, declared address (keyring facility scope, context 'telk_case:<id>:data')
  data_enc bytea NOT NULL,
  form6_needed boolean NOT NULL,
  status text NOT NULL CHECK (status IN ('preparing', 'completed')),
  completed_on date,
  dossier_lent_on date,
  dossier_due_on date,
  dossier_returned_on date,
  created_at timestamptz NOT NULL,
  CONSTRAINT telk_case_dates CHECK (due_on >= earliest_on AND earliest_on >= requested_on)
);
CREATE INDEX telk_case_patient_idx ON telk_case (patient_id, requested_on);

-- A medical notice (медицинска бележка) recorded in the NHIS as C041, cancelled as C045 (R-EXP-05).
CREATE TABLE medical_notice (
  id uuid PRIMARY KEY,
  patient_id uuid NOT NULL REFERENCES patient (id),
  facility_id uuid NOT NULL REFERENCES facility (id),
  practitioner_id uuid NOT NULL REFERENCES practitioner (id),
  encounter_id uuid NOT NULL REFERENCES encounter (id),
  purpose text NOT NULL CHECK (purpose IN ('school', 'kindergarten', 'sport', 'driving', 'work', 'school_absence')),
  issued_on date NOT NULL,
  -- keyring facility scope, context 'medical_notice:<id>:data'
  data_enc bytea NOT NULL,
  status text NOT NULL CHECK (status IN ('issued', 'cancelled')),
  nhis_status text NOT NULL CHECK (nhis_status IN ('pending', 'recorded', 'rejected', 'cancel_pending', 'cancelled')),
  nrn text,
  cancelled_at timestamptz,
  created_at timestamptz NOT NULL
);
CREATE INDEX medical_notice_patient_idx ON medical_notice (patient_id, issued_on);

-- Every time limit of the expertise workflows on the working-day calendar (R-SL-16, R-SL-17,
-- R-TELK-01, R-TELK-05): the compliance view lists them; the daily check escalates on the due day and
-- records a breach after it.
CREATE TABLE expertise_deadline (
  id uuid PRIMARY KEY,
  facility_id uuid NOT NULL REFERENCES facility (id),
  patient_id uuid NOT NULL REFERENCES patient (id),
  kind text NOT NULL CHECK (kind IN ('retroactive_leave', 'duplicate_leave', 'telk_protocol', 'dossier_return')),
  rule_id text NOT NULL,
  subject_id uuid NOT NULL,
  started_on date NOT NULL,
  due_on date NOT NULL,
  done_on date,
  escalated_at timestamptz,
  breached_at timestamptz,
  created_at timestamptz NOT NULL,
  UNIQUE (kind, subject_id)
);
CREATE INDEX expertise_deadline_open_idx ON expertise_deadline (due_on) WHERE done_on IS NULL;
CREATE INDEX expertise_deadline_facility_idx ON expertise_deadline (facility_id, due_on);
