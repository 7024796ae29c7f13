-- Idle runs as one row: consecutive automatic runs of a source that read nothing (succeeded, complete, no note) are
-- kept as one import_runs row standing for `polls` runs, from started_at (the first) to last_started_at (the last);
-- window_upper, checkpoint_after and effective_interval_seconds are the last run's, duration_ms the longest one's.
-- A row of one run has polls = 1 and last_started_at null. One script for PostgreSQL and H2.
ALTER TABLE import_runs ADD COLUMN polls bigint NOT NULL DEFAULT 1;
ALTER TABLE import_runs ADD COLUMN last_started_at timestamp with time zone;

-- Run ids are handed out in blocks (JdbcImportLog takes one with a single UPDATE), so that an automatic run costs no
-- round trip to the store before it has something to record. Every insert into import_runs takes its id from here
-- (OVERRIDING SYSTEM VALUE); the identity of V1 is no longer used. Starts above every id already given.
CREATE TABLE import_run_ids (
    next_id bigint NOT NULL
);
INSERT INTO import_run_ids (next_id) SELECT coalesce(max(id), 0) + 1 FROM import_runs;
