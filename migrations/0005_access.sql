-- Access control (issue 3): access grants, representative links, care relationships and supervision
-- cases. The policy in src/modules/access denies by default; these tables are the only ways in.
-- Security: free text a patient or an administrator types (a grant's purpose, a representation
-- document's reference) can name people or conditions, so it is stored encrypted with the registry key
-- (DECISIONS.md item 13); everything else here is ids, codes and instants.

-- A patient (or their representative) lets a named person read their data (Art. 28(4)).
CREATE TABLE access_grant (
  id uuid PRIMARY KEY,
  patient_id uuid NOT NULL REFERENCES patient (id),
  grantee_account_id uuid NOT NULL REFERENCES user_account (id),
  granted_by_account_id uuid NOT NULL REFERENCES user_account (id),
  scope text NOT NULL DEFAULT 'read' CHECK (scope IN ('read')),
  -- keyring scope 'registry', context 'access_grant:<id>:purpose'
  purpose_enc bytea NOT NULL,
  valid_from timestamptz NOT NULL,
  valid_until timestamptz,
  revoked_at timestamptz,
  revoked_by uuid REFERENCES user_account (id),
  created_at timestamptz NOT NULL,
  CONSTRAINT access_grant_validity CHECK (valid_until IS NULL OR valid_until > valid_from),
  CONSTRAINT access_grant_revoked_by CHECK ((revoked_at IS NULL) = (revoked_by IS NULL)),
  CONSTRAINT access_grant_not_self CHECK (grantee_account_id <> granted_by_account_id)
);
CREATE INDEX access_grant_patient_idx ON access_grant (patient_id, created_at);
CREATE INDEX access_grant_grantee_idx ON access_grant (grantee_account_id, patient_id) WHERE revoked_at IS NULL;

-- A parent, guardian or curator acts for a patient (Health Act Art. 87), after a facility administrator
-- checked the documents. Ended links stay as evidence.
CREATE TABLE representative_link (
  id uuid PRIMARY KEY,
  representative_account_id uuid NOT NULL REFERENCES user_account (id),
  patient_id uuid NOT NULL REFERENCES patient (id),
  basis text NOT NULL CHECK (basis IN ('parent', 'guardian', 'curator')),
  -- keyring scope 'registry', context 'representative_link:<id>:document_ref'
  document_ref_enc bytea NOT NULL,
  -- the facility whose administrator checked the documents
  facility_id uuid NOT NULL REFERENCES facility (id),
  valid_from timestamptz NOT NULL,
  valid_until timestamptz,
  created_by uuid NOT NULL REFERENCES user_account (id),
  created_at timestamptz NOT NULL,
  ended_at timestamptz,
  ended_by uuid REFERENCES user_account (id),
  CONSTRAINT representative_link_validity CHECK (valid_until IS NULL OR valid_until > valid_from),
  CONSTRAINT representative_link_ended_by CHECK ((ended_at IS NULL) = (ended_by IS NULL))
);
CREATE INDEX representative_link_rep_idx ON representative_link (representative_account_id) WHERE ended_at IS NULL;
CREATE INDEX representative_link_patient_idx ON representative_link (patient_id);
CREATE INDEX representative_link_facility_idx ON representative_link (facility_id, created_at);

-- Art. 13: a specialist sees a patient's data through an active request or consultation. The requests and
-- consultation modules open and close these rows (source_type/source_id name the request or consultation).
CREATE TABLE care_relationship (
  id uuid PRIMARY KEY,
  patient_id uuid NOT NULL REFERENCES patient (id),
  practitioner_id uuid NOT NULL REFERENCES practitioner (id),
  facility_id uuid NOT NULL REFERENCES facility (id),
  source_type text NOT NULL CHECK (source_type ~ '^[a-z_]{1,40}$'),
  source_id uuid NOT NULL,
  active_from timestamptz NOT NULL,
  active_until timestamptz,
  created_at timestamptz NOT NULL,
  CONSTRAINT care_relationship_validity CHECK (active_until IS NULL OR active_until >= active_from),
  UNIQUE (source_type, source_id, practitioner_id)
);
CREATE INDEX care_relationship_lookup_idx ON care_relationship (practitioner_id, patient_id);
CREATE INDEX care_relationship_facility_idx ON care_relationship (facility_id, patient_id);

-- Art. 21: the supervisory agency reads compliance data; patient data only inside an opened, audited case.
CREATE TABLE supervision_case (
  id uuid PRIMARY KEY,
  facility_id uuid NOT NULL REFERENCES facility (id),
  -- null: the case covers the facility's patients (those with a care relationship there)
  patient_id uuid REFERENCES patient (id),
  opened_by uuid NOT NULL REFERENCES user_account (id),
  -- keyring scope 'registry', context 'supervision_case:<id>:reason' (may name the complaint)
  reason_enc bytea NOT NULL,
  opened_at timestamptz NOT NULL,
  closed_at timestamptz,
  closed_by uuid REFERENCES user_account (id),
  CONSTRAINT supervision_case_closed_by CHECK ((closed_at IS NULL) = (closed_by IS NULL))
);
CREATE INDEX supervision_case_open_idx ON supervision_case (opened_by) WHERE closed_at IS NULL;
