-- The patient's national record (НЗИС) read into a consultation (Art. 13, R-TM-29; docs/records.md#the-national-record):
-- what X005, R015 and P017 returned, one copy per consultation, encrypted under the providing facility's key
-- like other patient data, so that opening the consultation again does not ask the NHIS again.
CREATE TABLE national_record_fetch (
  consultation_id uuid PRIMARY KEY REFERENCES consultation (id),
  request_id uuid NOT NULL,
  patient_id uuid NOT NULL,
  facility_id uuid NOT NULL,
  -- The specialist's account that asked, and the treatment consent in force when it did.
  fetched_by uuid NOT NULL REFERENCES user_account (id),
  consent_id uuid NOT NULL,
  from_date date NOT NULL,
  to_date date NOT NULL,
  fetched_at timestamptz NOT NULL,
  content_enc bytea NOT NULL
);
CREATE INDEX national_record_fetch_patient ON national_record_fetch (patient_id);
