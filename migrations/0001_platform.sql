-- Platform: the transactional outbox and the government-decision table of the working-day calendar.

CREATE EXTENSION IF NOT EXISTS btree_gist;

-- Side effects (mail, SMS, NHIS submissions, escalations) are rows written in the business transaction
-- and drained after commit (STYLE C20). A row is never deleted by the worker: done rows keep the evidence.
CREATE TABLE outbox (
  id uuid PRIMARY KEY,
  type text NOT NULL,
  payload jsonb NOT NULL,
  available_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL,
  attempts integer NOT NULL DEFAULT 0,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'failed')),
  last_error text,
  locked_until timestamptz,
  done_at timestamptz
);
CREATE INDEX outbox_due_idx ON outbox (available_at) WHERE status = 'pending';

-- Council of Ministers decisions: extra days off and working Saturdays (DECISIONS.md item 10).
CREATE TABLE calendar_decision (
  date date PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('day_off', 'working_day')),
  source text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
-- Seeded from KNOWN_DECISIONS in src/platform/calendar.ts; administrators add later decisions.
INSERT INTO calendar_decision (date, kind, source) VALUES
  ('2016-03-04', 'day_off', 'РМС № 935/30.11.2015 (ДВ бр. 94/2015), т. 1'),
  ('2016-03-12', 'working_day', 'РМС № 935/30.11.2015 (ДВ бр. 94/2015), т. 1'),
  ('2016-05-23', 'day_off', 'РМС № 935/30.11.2015 (ДВ бр. 94/2015), т. 2'),
  ('2016-05-14', 'working_day', 'РМС № 935/30.11.2015 (ДВ бр. 94/2015), т. 2'),
  ('2016-09-05', 'day_off', 'РМС № 935/30.11.2015 (ДВ бр. 94/2015), т. 3'),
  ('2016-09-10', 'working_day', 'РМС № 935/30.11.2015 (ДВ бр. 94/2015), т. 3'),
  ('2016-09-23', 'day_off', 'РМС № 935/30.11.2015 (ДВ бр. 94/2015), т. 4'),
  ('2016-09-17', 'working_day', 'РМС № 935/30.11.2015 (ДВ бр. 94/2015), т. 4'),
  ('2025-12-31', 'day_off', 'РМС от 19.11.2025, еднократно във връзка с въвеждането на еврото (bg-official-non-working-weekdays-2022-2026.md)'),
  ('2026-01-02', 'day_off', 'РМС от 19.11.2025, еднократно във връзка с въвеждането на еврото (bg-official-non-working-weekdays-2022-2026.md)');
