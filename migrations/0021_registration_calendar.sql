-- Self-registration of patients and private calendar feeds (docs/registration.md).
-- A self-registered account (self_registered_at set) signs in only after its e-mail is confirmed; it stays
-- "unverified" until a specialist records a successful identity check for one of its requests (R-TM-15).
ALTER TABLE user_account ADD COLUMN self_registered_at timestamptz;
ALTER TABLE user_account ADD COLUMN email_confirmed_at timestamptz;
ALTER TABLE auth_challenge DROP CONSTRAINT auth_challenge_purpose_check;
ALTER TABLE auth_challenge ADD CONSTRAINT auth_challenge_purpose_check
  CHECK (purpose IN ('mfa', 'enrolment', 'passkey_registration', 'password_reset', 'activation', 'email_confirmation'));

-- A private calendar feed (iCalendar) per account: the URL carries a random token, only its SHA-256 is
-- stored; a new token revokes the previous one.
CREATE TABLE calendar_feed (
  account_id uuid PRIMARY KEY REFERENCES user_account (id),
  token_hash text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL
);
