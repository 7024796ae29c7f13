-- Operations: the interval in force when a run started, and resumable historical imports.
-- One script for PostgreSQL and H2.

ALTER TABLE import_runs ADD COLUMN effective_interval_seconds bigint;
CREATE INDEX import_runs_source_kind_status ON import_runs (source_id, kind, status, id);

-- One row per historical import, rewritten after every chunk: an import left RUNNING by a process that died is
-- resumed at next_lower (its first unfinished chunk) when Tributary starts again.
CREATE TABLE historical_imports (
    id                 varchar(40)  PRIMARY KEY,
    source_id          varchar(100) NOT NULL,
    status             varchar(20)  NOT NULL,
    range_lower        timestamp with time zone NOT NULL,
    range_upper        timestamp with time zone NOT NULL,
    next_lower         timestamp with time zone NOT NULL,
    chunk_ms           bigint       NOT NULL,
    row_cap            bigint       NOT NULL,
    chunks_done        integer      NOT NULL,
    halvings           integer      NOT NULL,
    rows_read          bigint       NOT NULL,
    inserted           bigint       NOT NULL,
    updated            bigint       NOT NULL,
    unchanged          bigint       NOT NULL,
    rejected           bigint       NOT NULL,
    active_ms          bigint       NOT NULL,
    created_at         timestamp with time zone NOT NULL,
    updated_at         timestamp with time zone NOT NULL,
    resumes            integer      NOT NULL,
    last_resumed_at    timestamp with time zone,
    last_resumed_chunk integer,
    last_resumed_from  timestamp with time zone,
    failures           integer      NOT NULL,
    error              varchar(4000)
);
CREATE INDEX historical_imports_status ON historical_imports (status, created_at);
CREATE INDEX historical_imports_source ON historical_imports (source_id, created_at);
