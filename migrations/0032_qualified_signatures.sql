-- Qualified electronic signatures (КЕП) through PKCS#11: a doctor's certificate becomes a signing key row
-- of level 'qualified' that holds the certificate chain instead of a private key (the key stays on the
-- card or the HSM). A doctor keeps one active advanced key per facility (the fallback) beside any number
-- of qualified certificates. Bulgarian КЕП cards hold RSA keys, hence RS256. docs/records.md#signatures.
ALTER TABLE practitioner_signing_key DROP CONSTRAINT practitioner_signing_key_alg_check;
ALTER TABLE practitioner_signing_key ADD CONSTRAINT practitioner_signing_key_alg_check CHECK (alg IN ('EdDSA', 'ES256', 'RS256'));
-- base64 DER certificates, the signer's first (the JAdES x5c); SHA-256 (hex) of the signer's certificate
ALTER TABLE practitioner_signing_key ADD COLUMN certificate_chain text[];
ALTER TABLE practitioner_signing_key ADD COLUMN certificate_sha256 char(64);
ALTER TABLE practitioner_signing_key ADD CONSTRAINT practitioner_signing_key_certified
  CHECK (level = 'advanced' OR (certificate_chain IS NOT NULL AND certificate_sha256 IS NOT NULL));
DROP INDEX practitioner_signing_key_active_uq;
CREATE UNIQUE INDEX practitioner_signing_key_active_uq ON practitioner_signing_key (practitioner_id, facility_id) WHERE retired_at IS NULL AND level = 'advanced';
CREATE UNIQUE INDEX practitioner_signing_key_certificate_uq ON practitioner_signing_key (practitioner_id, facility_id, certificate_sha256) WHERE level = 'qualified';
