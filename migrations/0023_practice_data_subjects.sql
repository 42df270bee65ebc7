-- The practice's personal-data duties beyond breaches (E38, W25, docs/practice.md): the GDPR Art. 30
-- register of processing activities and data-subject requests (Art. 15-21) with the Art. 12(3) deadline.
-- Security: what a patient asks and what the practice answered is stored encrypted with the practice's
-- key (DECISIONS.md item 13); the register describes processing, not persons, and stays in clear.

INSERT INTO nhif_rule (key, rule_id, value, valid_from, valid_to, source) VALUES
  -- Art. 12(3): one month from receipt, extendable by two further months; counted under Regulation
  -- 1182/71 Art. 3 (same date of the next month, else its last day; a non-working last day moves to the
  -- next working day of the Bulgarian calendar).
  ('gdpr.subject_request_deadline', 'GDPR-12-3', '{"months": 1, "extendMonths": 2}', '2018-05-25', NULL,
   'Регламент (ЕС) 2016/679 чл. 12, ал. 3; Регламент (ЕИО, Евратом) № 1182/71 чл. 3'),
  -- R-128: referred specialist care may exceed the individual quarterly standard by at most 20 %.
  ('referral.standard_tolerance_percent', 'R-128', '{"percent": 20}', '2006-01-01', NULL, 'НРД 2006 чл. 167, ал. 1');

CREATE TABLE processing_activity (
  id uuid PRIMARY KEY,
  facility_id uuid NOT NULL REFERENCES facility (id),
  name text NOT NULL,
  purpose text NOT NULL,
  legal_basis text NOT NULL CHECK (legal_basis IN ('legal_obligation', 'health_care', 'contract', 'consent', 'vital_interest', 'public_interest', 'legitimate_interest')),
  subject_categories jsonb NOT NULL,
  data_categories jsonb NOT NULL,
  recipients jsonb NOT NULL,
  transfers_outside_eu text,
  retention text NOT NULL,
  -- the retention rule the period comes from (R-DATA-03..06)
  retention_rule text,
  security_measures text NOT NULL,
  valid_from date NOT NULL,
  retired_on date,
  recorded_by uuid NOT NULL REFERENCES user_account (id),
  created_at timestamptz NOT NULL
);
CREATE INDEX processing_activity_facility_idx ON processing_activity (facility_id, valid_from);

CREATE TABLE data_subject_request (
  id uuid PRIMARY KEY,
  facility_id uuid NOT NULL REFERENCES facility (id),
  patient_id uuid NOT NULL REFERENCES patient (id),
  subject_right text NOT NULL CHECK (subject_right IN ('access', 'rectification', 'erasure', 'restriction', 'portability', 'objection')),
  received_on date NOT NULL,
  due_on date NOT NULL,
  extended_to date,
  status text NOT NULL CHECK (status IN ('received', 'extended', 'completed', 'refused')),
  -- keyring facility scope, context data_subject_request:<id>:details (what the patient asks)
  details_enc bytea NOT NULL,
  -- keyring facility scope, context data_subject_request:<id>:answer (the answer, or why extended/refused)
  answer_enc bytea,
  closed_on date,
  filed_by uuid NOT NULL REFERENCES user_account (id),
  handled_by uuid REFERENCES user_account (id),
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL,
  CONSTRAINT data_subject_request_closed CHECK ((status IN ('completed', 'refused')) = (closed_on IS NOT NULL))
);
CREATE INDEX data_subject_request_facility_idx ON data_subject_request (facility_id, status, due_on);
CREATE INDEX data_subject_request_patient_idx ON data_subject_request (patient_id);

