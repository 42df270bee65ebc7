-- How often each doctor has signed each ICD-10 code, so the diagnosis search ranks the doctor's usual
-- codes first among equally good matches (docs/records.md#icd-10-search). Counts only: no patient,
-- document or time is kept, so the table says nothing about any patient.
CREATE TABLE icd10_usage (
  account_id uuid NOT NULL REFERENCES user_account (id),
  code text NOT NULL REFERENCES icd10_code (code),
  uses integer NOT NULL CHECK (uses > 0),
  PRIMARY KEY (account_id, code)
);
