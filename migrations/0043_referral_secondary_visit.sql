-- R-REF-02 ([001] L115, L195): after the primary examination on a № 3, the SIMP provider's secondary
-- examinations on the same referral fall within 30 calendar days of the primary one. The referral stays
-- `used` (by its primary booking or use); each secondary visit is a row here. A booking's row is written
-- before the booking statement, like referral.used_for_request_id (0041), so request_id has no foreign key;
-- a failed or cancelled booking deletes it, and the sweep deletes one whose booking never came to be.
CREATE TABLE referral_secondary_visit (
  id uuid PRIMARY KEY,
  referral_id uuid NOT NULL REFERENCES referral (id),
  patient_id uuid NOT NULL REFERENCES patient (id),
  facility_id uuid NOT NULL REFERENCES facility (id),
  -- the patient's booking of the secondary visit; null when the specialist recorded it (use by НРН)
  request_id uuid UNIQUE,
  practitioner_id uuid REFERENCES practitioner (id),
  -- the local date (Europe/Sofia) of the secondary examination, as the rule counts it
  visit_on date NOT NULL,
  created_at timestamptz NOT NULL
);
CREATE INDEX referral_secondary_visit_referral_idx ON referral_secondary_visit (referral_id);
CREATE INDEX referral_secondary_visit_pending_idx ON referral_secondary_visit (created_at) WHERE request_id IS NOT NULL;

-- The sweep of reservations whose booking never happened looks only at recent reservations by a booking.
CREATE INDEX referral_reserved_for_request_idx ON referral (used_at) WHERE status = 'used' AND used_for_request_id IS NOT NULL;
