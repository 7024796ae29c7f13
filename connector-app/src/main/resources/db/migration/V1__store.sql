-- The registration store: what Tributary imported, and the record of every run.
-- One script for PostgreSQL and H2: ${json_type} is jsonb on PostgreSQL and json on H2 (see StoreConfiguration).

CREATE TABLE registrations (
    source_id        varchar(100) NOT NULL,
    reference        varchar(500) NOT NULL,
    member_id_source varchar(200) NOT NULL,
    member_id        varchar(500) NOT NULL,
    member_name      varchar(500),
    team_name        varchar(500),
    date             timestamp with time zone  NOT NULL,
    fields           ${json_type} NOT NULL,
    deleted          boolean      NOT NULL DEFAULT false,
    -- 64-bit hash of everything above but the key: an unchanged row is detected without comparing documents
    content_hash     bigint       NOT NULL,
    first_seen       timestamp with time zone  NOT NULL,
    updated_at       timestamp with time zone  NOT NULL,
    last_run_id      bigint,
    PRIMARY KEY (source_id, reference)
);
CREATE INDEX registrations_source_date ON registrations (source_id, date);
CREATE INDEX registrations_member ON registrations (member_id_source, member_id);

CREATE TABLE members (
    member_id_source varchar(200) NOT NULL,
    member_id        varchar(500) NOT NULL,
    name             varchar(500),
    updated_at       timestamp with time zone  NOT NULL,
    PRIMARY KEY (member_id_source, member_id)
);

CREATE TABLE teams (
    name       varchar(500) PRIMARY KEY,
    first_seen timestamp with time zone NOT NULL
);

CREATE TABLE checkpoints (
    source_id  varchar(100) PRIMARY KEY,
    checkpoint timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL
);

CREATE TABLE import_runs (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source_id    varchar(100) NOT NULL,
    kind         varchar(20)  NOT NULL,
    status       varchar(20)  NOT NULL,
    window_lower timestamp with time zone  NOT NULL,
    window_upper timestamp with time zone  NOT NULL,
    started_at   timestamp with time zone  NOT NULL,
    duration_ms  bigint,
    read_count   bigint NOT NULL DEFAULT 0,
    inserted     bigint NOT NULL DEFAULT 0,
    updated      bigint NOT NULL DEFAULT 0,
    unchanged    bigint NOT NULL DEFAULT 0,
    deleted      bigint NOT NULL DEFAULT 0,
    rejected     bigint NOT NULL DEFAULT 0,
    duplicates   bigint NOT NULL DEFAULT 0,
    error        varchar(4000)
);
CREATE INDEX import_runs_source ON import_runs (source_id, id);

CREATE TABLE import_rejections (
    run_id     bigint       NOT NULL REFERENCES import_runs (id) ON DELETE CASCADE,
    row_number bigint       NOT NULL,
    reference  varchar(500),
    reason     varchar(4000)         NOT NULL
);
CREATE INDEX import_rejections_run ON import_rejections (run_id);
