-- W14, R-REF-01/04: a patient's NHIF-paid specialist booking carries the referral it uses. The booking is
-- taken in its own statement (STYLE C8) after the referral is reserved, so the request may not exist yet
-- when this is written: no foreign key; a failed or cancelled booking gives the referral back by it.
ALTER TABLE referral ADD COLUMN used_for_request_id uuid;
CREATE UNIQUE INDEX referral_used_for_request_idx ON referral (used_for_request_id) WHERE used_for_request_id IS NOT NULL;
