-- Audit trail (issue 3; DECISIONS.md item 12, Art. 28(2) "indestructible log archive"; STYLE C13).
-- One narrow row per event: ids, codes and field names, never clinical content or names.
--
-- Tamper evidence: events form audit_chain_count() (64) independent hash chains. Each row carries its
-- hash and its predecessor's hash; the hash is computed by the BEFORE INSERT trigger in the writer's own
-- transaction, so a committed event is sealed at once (no unsealed window). The database refuses UPDATE,
-- DELETE and TRUNCATE of rows, even for the owner. Chain heads (the last row of each chain) are copied
-- periodically to a second location (AuditHeadExporter), which is what exposes a truncated tail. The
-- database keeps no head of its own, so a tail deleted before its head was exported goes unseen (as it
-- did before against an attacker who also rewound the former head table): the export interval is the
-- window (AUDIT_HEAD_EXPORT_INTERVAL_SECONDS).
--
-- Concurrency and speed (issue 3; bench/audit-append.ts, 32 writers, this 2-core machine): an append
-- takes an in-memory transaction-level advisory lock on its chain, (7270040, chain), held until commit,
-- and reads its predecessor through the primary key, (chain, seq DESC) LIMIT 1. The first design kept
-- the heads in a 64-row table that every event locked (SELECT … FOR UPDATE) and updated: 6 WAL records
-- (748 bytes) per event instead of 3 (513 bytes), 64 hot rows on one page, and inside one transaction a
-- growing chain of dead head versions (a 50,000-event transaction took 42 s; now about 1 s). Measured
-- with pgbench as the client: 6,700 → 9,100 events/s with one event per transaction, 9,300 → 12,800
-- with four (load average 8 from other work; a one-row insert transaction reached 12,800/s then).
--   * Chain choice: the first event of a transaction tries chains from txid % 64 onwards with
--     pg_try_advisory_xact_lock and takes the first free one, so a writer never waits for another
--     writer's commit while fewer than 64 transactions append at once; past that it waits on one
--     chain. Its chain is remembered in a transaction-local setting, so every event of one transaction
--     goes to the same chain, in order, under one lock (no lock-order deadlocks). The setting is only
--     a hint: the lock is taken again (a no-op when held) before every append.
--   * The predecessor lookup must see the previous holder's commit: READ COMMITTED (the platform's
--     default) takes a fresh snapshot per statement, and a lock is released only after its commit is
--     visible. Under REPEATABLE READ an append may not see a predecessor that committed after the
--     snapshot; the primary key then refuses the duplicate seq (unique violation), so a chain never forks.
--   * Savepoints: a rolled-back savepoint drops its rows, and also the lock and setting if it took them.
--   * No unique index on id: (chain, seq) identifies an event, ids are uuid v7 from the application and
--     are covered by the hash; one index fewer per append.
--
-- Canonical encoding (schema_version 1), mirrored by src/platform/audit/audit-chain.ts (the verifier):
--   hash = sha256(prev_hash || utf8(f(chain) f(seq) f(id) f(recorded_at µs since epoch) f(action)
--          f(outcome) f(actor_type) f(actor_id) f(actor_role) f(on_behalf_of) f(patient_id) f(facility_id)
--          f(subject_type) f(subject_id) f(reason) f(request_id) f(ip) f(user_agent) f(data::text)
--          f(schema_version)))
--   where f(NULL) = '-' and f(v) = <byte length of v>':'v (netstring-like, so field boundaries are unambiguous).
--   Hashing stays in the trigger rather than in a deferred sealer: a sealer would save a few µs per
--   event but leave freshly committed rows unsealed, open to an undetected edit until it runs.
-- Changing it needs a schema_version bump and a new migration; never edit this file once deployed.

DO $$
BEGIN
  -- Tricky: octet_length and convert_to below must agree with the verifier's UTF-8 byte counts.
  IF current_setting('server_encoding') <> 'UTF8' THEN
    RAISE EXCEPTION 'Distansia needs a UTF8 database (audit hashing), found %', current_setting('server_encoding');
  END IF;
END
$$;

CREATE TABLE audit_event (
  chain smallint NOT NULL,
  seq bigint NOT NULL,
  id uuid NOT NULL,
  -- from the injected clock (STYLE C10), not now()
  recorded_at timestamptz NOT NULL,
  action text NOT NULL,
  outcome text NOT NULL CHECK (outcome IN ('success', 'denied', 'failure')),
  actor_type text NOT NULL CHECK (actor_type IN ('user', 'system', 'anonymous')),
  -- user ids are uuids; system actors are names such as 'outbox' or 'cli.demo'
  actor_id text,
  actor_role text,
  -- the patient a representative acts for, or the account an operator acts for
  on_behalf_of uuid,
  patient_id uuid,
  facility_id uuid,
  subject_type text,
  subject_id text,
  reason text,
  request_id text NOT NULL,
  -- text, not inet: the hash covers the exact string recorded (inet would re-format it)
  ip text,
  user_agent text,
  data jsonb,
  schema_version integer NOT NULL DEFAULT 1,
  prev_hash bytea NOT NULL,
  hash bytea NOT NULL,
  PRIMARY KEY (chain, seq)
);
-- "who looked at my record" and the supervisor's export by facility and period
CREATE INDEX audit_event_patient_idx ON audit_event (patient_id, recorded_at) WHERE patient_id IS NOT NULL;
CREATE INDEX audit_event_facility_idx ON audit_event (facility_id, recorded_at) WHERE facility_id IS NOT NULL;

-- The canonical encoding (below). plpgsql, not SQL: a SQL function called from the trigger is not
-- inlined (its costly arguments are used more than once) and is parsed and planned again in every
-- transaction; this one is compiled once per session, and its small expressions are cheap to set up.
CREATE FUNCTION audit_event_canonical(e audit_event) RETURNS text
LANGUAGE plpgsql STABLE AS $$
DECLARE
  s text := '';
  v text;
BEGIN
  FOREACH v IN ARRAY ARRAY[e.chain::text, e.seq::text, e.id::text, ((extract(epoch FROM e.recorded_at) * 1000000)::bigint)::text,
    e.action, e.outcome, e.actor_type, e.actor_id, e.actor_role, e.on_behalf_of::text, e.patient_id::text, e.facility_id::text,
    e.subject_type, e.subject_id, e.reason, e.request_id, e.ip, e.user_agent, e.data::text, e.schema_version::text] LOOP
    s := s || CASE WHEN v IS NULL THEN '-' ELSE octet_length(v)::text || ':' || v END;
  END LOOP;
  RETURN s;
END
$$;

-- Number of chains; a later migration that adds chains replaces this function.
CREATE FUNCTION audit_chain_count() RETURNS integer
LANGUAGE sql IMMUTABLE AS $$ SELECT 64 $$;

-- Advisory lock class of the chains: (7270040, chain). 7_270_001 is the migration lock (migrate.ts),
-- 7270004 the head-export schema lock (single bigint keys, a separate key space).
-- Chains every inserted row: whatever the application sends for chain, seq and hashes is overwritten,
-- so no code path can insert an unchained event.
CREATE FUNCTION audit_event_chain() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  k integer;
  c integer := nullif(current_setting('distansia.audit_chain', true), '')::integer;
  start_chain integer;
  prev_seq bigint;
  prev_hash bytea;
  hint text;
BEGIN
  IF c IS NULL THEN
    -- Concurrency: the first free chain from txid % k on; nobody waits unless all k are taken.
    k := audit_chain_count();
    start_chain := mod(txid_current(), k)::integer;
    FOR i IN 0 .. k - 1 LOOP
      IF pg_try_advisory_xact_lock(7270040, mod(start_chain + i, k)) THEN
        c := mod(start_chain + i, k);
        EXIT;
      END IF;
    END LOOP;
    c := coalesce(c, start_chain);
    hint := set_config('distansia.audit_chain', c::text, true);
  END IF;
  -- Held until commit; immediate when this transaction holds it already. (IF and := are evaluated
  -- in-line; PERFORM would run a whole query.)
  IF NOT pg_try_advisory_xact_lock(7270040, c) THEN
    PERFORM pg_advisory_xact_lock(7270040, c);
  END IF;
  SELECT e.seq, e.hash INTO prev_seq, prev_hash FROM audit_event e WHERE e.chain = c ORDER BY e.seq DESC LIMIT 1;
  IF NOT FOUND THEN
    prev_seq := 0;
    prev_hash := '\x0000000000000000000000000000000000000000000000000000000000000000'::bytea;
  END IF;
  NEW.chain := c;
  NEW.seq := prev_seq + 1;
  NEW.prev_hash := prev_hash;
  NEW.hash := sha256(prev_hash || convert_to(audit_event_canonical(NEW), 'UTF8'));
  RETURN NEW;
END
$$;

CREATE FUNCTION audit_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% on % is refused: the audit trail is append-only (DECISIONS.md item 12, Art. 28(2))', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER audit_event_chain BEFORE INSERT ON audit_event FOR EACH ROW EXECUTE FUNCTION audit_event_chain();
CREATE TRIGGER audit_event_no_change BEFORE UPDATE OR DELETE ON audit_event FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();

-- Security: the triggers are the guard (they also bind the table owner); the grants say the same thing.
REVOKE UPDATE, DELETE, TRUNCATE ON audit_event FROM PUBLIC;
