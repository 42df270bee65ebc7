-- Backups and restore checks (Art. 28(1) items 5-7; docs/operations.md). The backup files themselves live at
-- BACKUP_DESTINATIONS, encrypted; these tables are what the operator and the supervisor see of them.

-- One row per finished backup attempt (a process killed mid-backup leaves no row, and no counted file).
CREATE TABLE backup_run (
  -- `<UTC yyyymmddThhmmssZ>-<8 hex>`, also the file name at each destination
  id text PRIMARY KEY,
  started_at timestamptz NOT NULL,
  finished_at timestamptz NOT NULL,
  trigger text NOT NULL CHECK (trigger IN ('daily', 'cli')),
  database_kind text NOT NULL CHECK (database_kind IN ('postgres', 'pglite')),
  -- the encrypted file (what the destinations hold)
  size_bytes bigint,
  sha256 char(64),
  -- rows per table in the backed-up snapshot, e.g. {"patient": 12}: counts only, no personal data
  row_counts jsonb NOT NULL DEFAULT '{}',
  -- [{"location": "/mnt/a", "ok": true} | {"location": "/mnt/b", "ok": false, "error": "ENOSPC ..."}]
  destinations jsonb NOT NULL DEFAULT '[]',
  -- ok: every destination has it; partial: some; failed: none
  status text NOT NULL CHECK (status IN ('ok', 'partial', 'failed')),
  error text
);
CREATE INDEX backup_run_started_idx ON backup_run (started_at DESC);

-- The monthly restore check's signed reports (Art. 28(1) item 7).
CREATE TABLE restore_check (
  id uuid PRIMARY KEY,
  -- the backup restored (not a foreign key: the backup may be older than this database's rows)
  backup_id text NOT NULL,
  started_at timestamptz NOT NULL,
  finished_at timestamptz NOT NULL,
  passed boolean NOT NULL,
  -- the report as signed (JSON: backup, times, counts, chain result, sample result, duration); no personal data
  report jsonb NOT NULL,
  -- Ed25519 signature (base64) of the report's canonical text under the audit head-signing key `auditsign`
  signature text NOT NULL,
  key_version integer NOT NULL,
  pdf bytea NOT NULL
);
CREATE INDEX restore_check_started_idx ON restore_check (started_at DESC);
