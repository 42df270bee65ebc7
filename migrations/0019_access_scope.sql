-- Access scope (docs/access.md): supervision cases name their legal basis, and coordinators are bound
-- to the centres they coordinate.

-- Art. 21: a supervision case names the inspection order (or other legal act) it acts under. It is not
-- patient data: it is shown to the facility's administrators and to the patients concerned.
ALTER TABLE supervision_case ADD COLUMN legal_basis text
  CHECK (legal_basis IS NULL OR char_length(legal_basis) BETWEEN 3 AND 200);
-- Cases opened before this migration named their basis only in the encrypted reason.
UPDATE supervision_case SET legal_basis = 'не е посочено / not recorded' WHERE legal_basis IS NULL;
ALTER TABLE supervision_case ALTER COLUMN legal_basis SET NOT NULL;
CREATE INDEX supervision_case_facility_idx ON supervision_case (facility_id, opened_at DESC);

-- Art. 5(4) item 1: the functional head (coordinator) of a telemedicine centre. A coordinator manages
-- the member facilities of the centres named here (and the facilities on their own account), nothing else.
CREATE TABLE centre_coordinator (
  centre_id uuid NOT NULL REFERENCES telemedicine_centre (id),
  account_id uuid NOT NULL REFERENCES user_account (id),
  created_at timestamptz NOT NULL,
  PRIMARY KEY (centre_id, account_id)
);
CREATE INDEX centre_coordinator_account_idx ON centre_coordinator (account_id);
