-- Foreigners' claims after the file is complete (W23 steps 5-6) and the handling of document requests
-- (E34). Runs after 0024 (foreign_insurance_event) and 0028 (practice_document_request).

-- R-INS-18 (Art. 24): "Bulgarian limitation periods", value not in the seeds. Our reading (docs/decisions.md):
-- Кодекс за застраховането чл. 378, ал. 1, three years for rights under an insurance contract.
INSERT INTO nhif_rule (key, rule_id, value, valid_from, valid_to, source) VALUES
  ('ins.claim_limitation', 'R-INS-18', '{"years": 3}', '2011-07-05', NULL, 'Наредба (ПМС № 80/2005) чл. 24; Кодекс за застраховането чл. 378, ал. 1');

-- R-INS-09 (Art. 23(2)): a payout abroad in another currency at the BNB central rate of the transfer day.
ALTER TABLE foreign_insurance_event
  ADD COLUMN payout_cents bigint,
  ADD COLUMN payout_currency text CHECK (payout_currency IN ('EUR', 'BGN')),
  ADD COLUMN payout_to text CHECK (payout_to IN ('provider', 'insured')),
  ADD COLUMN abroad_currency text CHECK (abroad_currency ~ '^[A-Z]{3}$'),
  ADD COLUMN abroad_rate numeric(12, 6),
  ADD COLUMN abroad_rate_on date,
  ADD COLUMN abroad_cents bigint,
  ADD COLUMN payout_recorded_by uuid REFERENCES user_account (id),
  ADD CONSTRAINT foreign_insurance_event_paid CHECK ((paid_on IS NULL) = (payout_cents IS NULL)),
  ADD CONSTRAINT foreign_insurance_event_abroad CHECK ((abroad_currency IS NULL) = (abroad_cents IS NULL) AND (abroad_rate_on IS NULL OR abroad_rate_on = paid_on));

-- Document requests are filed by a patient (or at the desk) and completed or refused by the practice.
ALTER TABLE practice_document_request
  ADD COLUMN status text NOT NULL DEFAULT 'requested' CHECK (status IN ('requested', 'issued', 'refused')),
  ADD COLUMN rule_id text,
  ADD COLUMN requested_by uuid REFERENCES user_account (id),
  ADD COLUMN handled_by uuid REFERENCES user_account (id),
  -- keyring facility scope, context practice_document_request:<id>:answer (why refused, or a note)
  ADD COLUMN answer_enc bytea,
  ADD CONSTRAINT practice_document_request_done CHECK ((status = 'issued') = (issued_on IS NOT NULL));
CREATE INDEX practice_document_request_open_idx ON practice_document_request (facility_id, status, due_on);
