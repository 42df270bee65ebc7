-- Encounters: the contact a referral, prescription, sick leave, fee or NHIF report hangs off (FHIR
-- Encounter). A remote consultation of this platform is one; a practice records the others (in person,
-- by phone, at home: W17-W19). Security: the reason names the patient's problem and is stored encrypted
-- with the facility's key (DECISIONS.md item 13); the clear columns are ids, kinds and times.
CREATE TABLE encounter (
  id uuid PRIMARY KEY,
  patient_id uuid NOT NULL REFERENCES patient (id),
  facility_id uuid NOT NULL REFERENCES facility (id),
  practitioner_id uuid NOT NULL REFERENCES practitioner (id),
  kind text NOT NULL CHECK (kind IN ('remote', 'in_person', 'phone', 'home_visit')),
  -- remote: the consultation it records, one encounter per consultation
  consultation_id uuid UNIQUE REFERENCES consultation (id),
  request_id uuid REFERENCES service_request (id),
  -- NHIF-paid (the user fee applies, R-PC-12) or paid by the patient at the price list
  nhif_paid boolean NOT NULL,
  -- Art. 9 with Art. 7(1) item 4 (remote only): the specialist recorded that the condition can be assessed
  -- without direct contact; sick leave from a remote consultation needs it (R-SL, DECISIONS 20)
  remote_assessable boolean,
  started_at timestamptz NOT NULL,
  ended_at timestamptz,
  -- keyring facility scope, context encounter:<id>:reason
  reason_enc bytea,
  recorded_by_account_id uuid NOT NULL REFERENCES user_account (id),
  created_at timestamptz NOT NULL,
  CONSTRAINT encounter_remote_has_consultation CHECK ((kind = 'remote') = (consultation_id IS NOT NULL)),
  CONSTRAINT encounter_remote_assessable_only_remote CHECK (kind = 'remote' OR remote_assessable IS NULL),
  CONSTRAINT encounter_times CHECK (ended_at IS NULL OR ended_at >= started_at)
);
CREATE INDEX encounter_patient_idx ON encounter (patient_id, started_at DESC);
CREATE INDEX encounter_facility_idx ON encounter (facility_id, started_at);
