-- Art. 24 (R-TM-34): the NHIS keeps a database of the facilities that provide care at a distance. One row
-- per facility: what the NHIS last acknowledged (the entry's hash and its reference) and the state of the
-- latest attempt, so a change is sent once and an unchanged facility is not sent again
-- (docs/registry.md#registration-in-the-nhis).
CREATE TABLE nhis_facility_registration (
  facility_id uuid PRIMARY KEY REFERENCES facility (id),
  status text NOT NULL CHECK (status IN ('pending', 'registered', 'deregistered', 'failed', 'refused')),
  entry_sha256 text,
  reference text,
  services smallint NOT NULL DEFAULT 0,
  practitioners smallint NOT NULL DEFAULT 0,
  acknowledged_at timestamptz,
  last_attempt_at timestamptz,
  last_error text,
  updated_at timestamptz NOT NULL
);
