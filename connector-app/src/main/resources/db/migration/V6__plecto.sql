-- The Plecto sink: what Plecto last accepted of each registration of a source that pushes there, so that an
-- unchanged re-read sends nothing. One script for PostgreSQL and H2.
CREATE TABLE plecto_pushed (
    source_id    varchar(100) NOT NULL,
    reference    varchar(500) NOT NULL,
    data_source  varchar(100) NOT NULL,
    -- 64-bit hash of the JSON item Plecto accepted; a changed registration hashes differently
    content_hash bigint       NOT NULL,
    -- the registration was deleted in Plecto (or was not there to delete) after the source marked it deleted
    deleted      boolean      NOT NULL DEFAULT false,
    accepted_at  timestamp with time zone NOT NULL,
    last_run_id  bigint,
    PRIMARY KEY (source_id, reference)
);
