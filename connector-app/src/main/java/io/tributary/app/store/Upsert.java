package io.tributary.app.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;

import io.tributary.core.mapping.Fingerprint;
import io.tributary.core.mapping.Registration;
import io.tributary.core.sink.SinkBatch;
import io.tributary.core.sink.WriteResult;

/**
 * One store database's way of writing a batch inside the caller's transaction: registrations upserted by
 * (source, reference) without rewriting unchanged rows, members by (member id source, member id), teams by name.
 */
interface Upsert {

    WriteResult write(Connection connection, SinkBatch batch, Instant now) throws SQLException;

    /** What decides whether a stored registration changed: every column but the key and bookkeeping. */
    static long contentHash(String memberIdSource, Registration r) {
        StringBuilder sb = new StringBuilder(64 + r.fieldsJson().length());
        sb.append(memberIdSource).append('\u0001').append(r.memberId()).append('\u0001')
                .append(r.memberName()).append('\u0001').append(r.teamName()).append('\u0001')
                .append(r.date()).append('\u0001').append(r.deleted()).append('\u0001').append(r.fieldsJson());
        return Fingerprint.of(sb);
    }
}
