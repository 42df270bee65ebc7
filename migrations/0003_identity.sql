-- Identity: accounts, second factors, sign-in attempts, lockouts and sessions (issue 3).
-- Security: no secret is stored in a form that signs anyone in. Passwords are argon2id hashes, TOTP
-- secrets are encrypted with the registry key, recovery codes, MFA/enrolment tokens and session tokens
-- are stored as SHA-256 hashes of high-entropy random values. The e-mail address is personal data:
-- it is kept encrypted, with a keyed blind index for the sign-in lookup (DECISIONS.md item 13).

CREATE TABLE user_account (
  id uuid PRIMARY KEY,
  -- keyed hash (keyring blindIndex, scope 'registry') of the lower-cased, NFC-normalised e-mail
  email_index text NOT NULL UNIQUE,
  -- the e-mail address, encrypted (scope 'registry', context 'account:<id>:email')
  email_enc bytea NOT NULL,
  password_hash text NOT NULL,
  role text NOT NULL CHECK (role IN ('patient', 'representative', 'specialist', 'facility_admin', 'coordinator', 'supervisor', 'operator')),
  -- the practitioner this account signs in as (specialists)
  practitioner_id uuid REFERENCES practitioner (id),
  -- the patient record this account is (patients); representatives reach patients through the access module's links
  patient_id uuid REFERENCES patient (id),
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
  -- set when the first second factor is confirmed; sign-in needs it (DECISIONS.md item 14)
  mfa_enrolled_at timestamptz,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  version integer NOT NULL DEFAULT 1,
  CONSTRAINT user_account_specialist_has_practitioner CHECK (role <> 'specialist' OR practitioner_id IS NOT NULL),
  CONSTRAINT user_account_patient_has_patient CHECK (role <> 'patient' OR patient_id IS NOT NULL),
  CONSTRAINT user_account_practitioner_only_specialist CHECK (practitioner_id IS NULL OR role = 'specialist'),
  CONSTRAINT user_account_patient_only_patient CHECK (patient_id IS NULL OR role = 'patient')
);
CREATE UNIQUE INDEX user_account_practitioner_uq ON user_account (practitioner_id) WHERE practitioner_id IS NOT NULL;
CREATE UNIQUE INDEX user_account_patient_uq ON user_account (patient_id) WHERE patient_id IS NOT NULL;

-- Facilities an account works for: facility administrators and coordinators. A specialist's facilities
-- come from the practitioner's active practitioner_role rows, so they are not copied here.
-- The access module reads both for facility scoping (identity's facilityIdsOf).
CREATE TABLE account_facility (
  account_id uuid NOT NULL REFERENCES user_account (id),
  facility_id uuid NOT NULL REFERENCES facility (id),
  created_at timestamptz NOT NULL,
  PRIMARY KEY (account_id, facility_id)
);
CREATE INDEX account_facility_facility_idx ON account_facility (facility_id);

-- One TOTP authenticator per account. `confirmed_at` is null while enrolment waits for the first code;
-- `last_step` is the RFC 6238 time step of the last accepted code (replay protection).
CREATE TABLE totp_credential (
  account_id uuid PRIMARY KEY REFERENCES user_account (id),
  secret_enc bytea NOT NULL,
  last_step bigint,
  confirmed_at timestamptz,
  created_at timestamptz NOT NULL
);

-- Single-use recovery codes, as SHA-256 hashes; `used_at` is set by a compare-and-swap update.
CREATE TABLE recovery_code (
  id uuid PRIMARY KEY,
  account_id uuid NOT NULL REFERENCES user_account (id),
  code_hash text NOT NULL,
  created_at timestamptz NOT NULL,
  used_at timestamptz,
  UNIQUE (account_id, code_hash)
);

-- WebAuthn passkeys (the credential id is base64url, as the browser reports it).
CREATE TABLE webauthn_credential (
  id text PRIMARY KEY,
  account_id uuid NOT NULL REFERENCES user_account (id),
  public_key bytea NOT NULL,
  counter bigint NOT NULL DEFAULT 0,
  transports text[] NOT NULL DEFAULT '{}',
  device_type text NOT NULL,
  backed_up boolean NOT NULL,
  label text NOT NULL,
  created_at timestamptz NOT NULL,
  last_used_at timestamptz
);
CREATE INDEX webauthn_credential_account_idx ON webauthn_credential (account_id);

-- Short-lived tokens between the password step and a session: `mfa` (5 min, one success) and
-- `enrolment` (15 min, allows only the enrolment endpoints). A WebAuthn challenge rides on the row.
CREATE TABLE auth_challenge (
  id uuid PRIMARY KEY,
  token_hash text NOT NULL UNIQUE,
  account_id uuid NOT NULL REFERENCES user_account (id),
  purpose text NOT NULL CHECK (purpose IN ('mfa', 'enrolment', 'passkey_registration')),
  webauthn_challenge text,
  failures integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  used_at timestamptz
);
CREATE INDEX auth_challenge_account_idx ON auth_challenge (account_id);

-- Every sign-in attempt (password and second factor), counted in the database so throttling and
-- lockout hold across processes. `email_index` is set for unknown e-mails too, so an unknown address
-- locks exactly like a known one (same answer, same timing).
CREATE TABLE login_attempt (
  id uuid PRIMARY KEY,
  email_index text NOT NULL,
  account_id uuid REFERENCES user_account (id),
  ip inet NOT NULL,
  step text NOT NULL CHECK (step IN ('password', 'mfa')),
  succeeded boolean NOT NULL,
  at timestamptz NOT NULL
);
CREATE INDEX login_attempt_email_idx ON login_attempt (email_index, at);
CREATE INDEX login_attempt_ip_idx ON login_attempt (ip, at) WHERE NOT succeeded;

-- A lockout, keyed like the attempts (known and unknown e-mails alike).
CREATE TABLE login_lock (
  email_index text PRIMARY KEY,
  locked_until timestamptz NOT NULL,
  locked_at timestamptz NOT NULL
);

-- Sessions: the cookie carries a random token, only its SHA-256 is stored. Idle expiry is computed from
-- `last_seen_at` with the configured timeout; `expires_at` is the absolute lifetime.
CREATE TABLE user_session (
  id uuid PRIMARY KEY,
  token_hash text NOT NULL UNIQUE,
  csrf_hash text NOT NULL,
  account_id uuid NOT NULL REFERENCES user_account (id),
  mfa_method text NOT NULL CHECK (mfa_method IN ('totp', 'recovery_code', 'webauthn')),
  ip inet NOT NULL,
  user_agent text,
  created_at timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz,
  revoked_reason text CHECK (revoked_reason IN ('logout', 'user', 'admin', 'idle', 'password_changed'))
);
CREATE INDEX user_session_account_idx ON user_session (account_id) WHERE revoked_at IS NULL;
