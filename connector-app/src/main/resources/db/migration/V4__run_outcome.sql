-- A run's outcome as facts the import log carries instead of consumers recomputing them: whether it read its whole
-- window (a capped run did not: its source is catching up) and where the checkpoint stood after it. The interval in
-- force is written from the run's own record (effective_interval_seconds, V2). One script for PostgreSQL and H2.

ALTER TABLE import_runs ADD COLUMN complete boolean;
ALTER TABLE import_runs ADD COLUMN checkpoint_after timestamp with time zone;
