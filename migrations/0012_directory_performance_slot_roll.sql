-- Issue 4: directory performance (bench/directory.ts) and the daily roll-forward of slots.

-- Public directory search by name (`q`): ILIKE '%…%' on facility and specialist names through trigram
-- indexes (pg_trgm is created by 0010_records.sql). The specialist expression is the one the search uses.
CREATE INDEX facility_name_trgm_idx ON facility USING gin (name gin_trgm_ops);
CREATE INDEX practitioner_name_trgm_idx ON practitioner USING gin ((given_name || ' ' || family_name) gin_trgm_ops);
-- Directory pages are ordered by name: walking this index stops after one page instead of sorting every match.
CREATE INDEX facility_name_idx ON facility (name, id);

-- Scheduling deletes free slots that no longer follow from a schedule; PostgreSQL then checks the rows
-- that may reference each slot. Without these indexes every deleted slot scanned both tables.
CREATE INDEX service_request_slot_idx ON service_request (slot_id) WHERE slot_id IS NOT NULL;
CREATE INDEX appointment_slot_idx ON appointment (slot_id) WHERE slot_id IS NOT NULL;

-- Daily jobs of the server (first: `slots.roll_forward`). One row per job and local day: the process that
-- inserts it (or takes over an expired lease of an unfinished run) does the day's work, so two server
-- processes never both run it, and a process that starts after the hour catches up.
CREATE TABLE scheduled_job_run (
  job text NOT NULL,
  -- the local date (in the configured zone) the run belongs to
  run_on date NOT NULL,
  -- a random id of the claiming process
  claimed_by uuid NOT NULL,
  -- another process may take over an unfinished run after this instant (a crashed process)
  lease_until timestamptz NOT NULL,
  started_at timestamptz NOT NULL,
  finished_at timestamptz,
  -- counts only (no personal data), e.g. {"schedules": 12, "inserted": 96, "removed": 0}
  result jsonb,
  PRIMARY KEY (job, run_on)
);
