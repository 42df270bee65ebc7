-- A facility's registered systems (OAuth 2.0 client credentials, docs/fhir.md#machine-clients): a hospital
-- information system or registry that reads, through the FHIR endpoint, what its own facility recorded.
-- Security: secrets and tokens are stored as SHA-256 digests only (both are 256-bit random values, so a
-- slow hash adds nothing); a token lives one hour; revoking a client ends its tokens at once.

-- The audit log names a system's actions as its own actor type.
ALTER TABLE audit_event DROP CONSTRAINT audit_event_actor_type_check;
ALTER TABLE audit_event ADD CONSTRAINT audit_event_actor_type_check CHECK (actor_type IN ('user', 'system', 'anonymous', 'client'));

CREATE TABLE api_client (
  id uuid PRIMARY KEY,
  facility_id uuid NOT NULL REFERENCES facility (id),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  secret_sha256 bytea NOT NULL,
  -- OAuth scope: space-separated, from the scopes the CapabilityStatement names
  scope text NOT NULL,
  created_by_account_id uuid NOT NULL REFERENCES user_account (id),
  created_at timestamptz NOT NULL,
  revoked_at timestamptz
);
CREATE INDEX api_client_facility_idx ON api_client (facility_id);

CREATE TABLE api_client_token (
  token_sha256 bytea PRIMARY KEY,
  client_id uuid NOT NULL REFERENCES api_client (id),
  scope text NOT NULL,
  issued_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL
);
CREATE INDEX api_client_token_client_idx ON api_client_token (client_id);
