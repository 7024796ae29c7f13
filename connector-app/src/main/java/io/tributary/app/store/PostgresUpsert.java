package io.tributary.app.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import io.tributary.core.mapping.Registration;
import io.tributary.core.sink.SinkBatch;
import io.tributary.core.sink.WriteResult;

/**
 * PostgreSQL: the whole batch in one statement through {@code unnest} of arrays, {@code ON CONFLICT DO UPDATE ...
 * WHERE} the content hash differs so unchanged rows are not rewritten, and {@code xmax = 0} telling inserted rows
 * from updated ones. One round trip for registrations, one for members, one for teams.
 */
final class PostgresUpsert implements Upsert {

    private static final String REGISTRATIONS = """
            WITH input AS (
                SELECT * FROM unnest(?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[], ?::timestamptz[],
                                     ?::varchar[], ?::boolean[], ?::bigint[])
                       AS t(reference, member_id, member_name, team_name, date, fields, deleted, content_hash)
            ), written AS (
                INSERT INTO registrations AS r (source_id, reference, member_id_source, member_id, member_name,
                        team_name, date, fields, deleted, content_hash, first_seen, updated_at, last_run_id)
                SELECT ?, reference, ?, member_id, member_name, team_name, date, fields::jsonb, deleted, content_hash,
                       ?, ?, ? FROM input
                ON CONFLICT (source_id, reference) DO UPDATE SET
                    member_id_source = excluded.member_id_source, member_id = excluded.member_id,
                    member_name = excluded.member_name, team_name = excluded.team_name, date = excluded.date,
                    fields = excluded.fields, deleted = excluded.deleted, content_hash = excluded.content_hash,
                    updated_at = excluded.updated_at, last_run_id = excluded.last_run_id
                WHERE r.content_hash <> excluded.content_hash
                RETURNING (xmax = 0) AS inserted, deleted
            )
            SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted),
                   count(*) FILTER (WHERE deleted)
            FROM written
            """;

    // a member's name is only replaced by a known one: a row without member_name keeps the name on file
    private static final String MEMBERS = """
            INSERT INTO members AS m (member_id_source, member_id, name, updated_at)
            SELECT ?, id, name, ? FROM unnest(?::varchar[], ?::varchar[]) AS t(id, name)
            ON CONFLICT (member_id_source, member_id) DO UPDATE SET name = excluded.name, updated_at = excluded.updated_at
            WHERE excluded.name IS NOT NULL AND m.name IS DISTINCT FROM excluded.name
            """;

    private static final String TEAMS = """
            INSERT INTO teams (name, first_seen) SELECT name, ? FROM unnest(?::varchar[]) AS t(name)
            ON CONFLICT (name) DO NOTHING
            """;

    @Override
    public WriteResult write(Connection c, SinkBatch batch, Instant now) throws SQLException {
        List<Registration> regs = batch.registrations();
        int n = regs.size();
        String[] reference = new String[n];
        String[] memberId = new String[n];
        String[] memberName = new String[n];
        String[] teamName = new String[n];
        String[] date = new String[n];
        String[] fields = new String[n];
        Boolean[] deleted = new Boolean[n];
        Long[] hash = new Long[n];
        // sorted, so that concurrent batches lock member and team rows in the same order and cannot deadlock
        Map<String, String> members = new TreeMap<>();
        TreeSet<String> teams = new TreeSet<>();
        for (int i = 0; i < n; i++) {
            Registration r = regs.get(i);
            reference[i] = r.reference();
            memberId[i] = r.memberId();
            memberName[i] = r.memberName();
            teamName[i] = r.teamName();
            date[i] = r.date().toString();
            fields[i] = r.fieldsJson();
            deleted[i] = r.deleted();
            hash[i] = Upsert.contentHash(batch.memberIdSource(), r);
            if (r.memberName() != null || !members.containsKey(r.memberId())) {
                members.put(r.memberId(), r.memberName());
            }
            if (r.teamName() != null) {
                teams.add(r.teamName());
            }
        }
        Timestamp at = Timestamp.from(now);
        long inserted;
        long updated;
        long deletedCount;
        try (PreparedStatement ps = c.prepareStatement(REGISTRATIONS)) {
            int p = 1;
            ps.setArray(p++, c.createArrayOf("varchar", reference));
            ps.setArray(p++, c.createArrayOf("varchar", memberId));
            ps.setArray(p++, c.createArrayOf("varchar", memberName));
            ps.setArray(p++, c.createArrayOf("varchar", teamName));
            ps.setArray(p++, c.createArrayOf("varchar", date));
            ps.setArray(p++, c.createArrayOf("varchar", fields));
            ps.setArray(p++, c.createArrayOf("bool", deleted));
            ps.setArray(p++, c.createArrayOf("int8", hash));
            ps.setString(p++, batch.sourceId());
            ps.setString(p++, batch.memberIdSource());
            ps.setTimestamp(p++, at);
            ps.setTimestamp(p++, at);
            ps.setLong(p, batch.runId());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                inserted = rs.getLong(1);
                updated = rs.getLong(2);
                deletedCount = rs.getLong(3);
            }
        }
        try (PreparedStatement ps = c.prepareStatement(MEMBERS)) {
            ps.setString(1, batch.memberIdSource());
            ps.setTimestamp(2, at);
            ps.setArray(3, c.createArrayOf("varchar", members.keySet().toArray(String[]::new)));
            ps.setArray(4, c.createArrayOf("varchar", members.values().toArray(String[]::new)));
            ps.executeUpdate();
        }
        if (!teams.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement(TEAMS)) {
                ps.setTimestamp(1, at);
                ps.setArray(2, c.createArrayOf("varchar", teams.toArray(String[]::new)));
                ps.executeUpdate();
            }
        }
        return new WriteResult(inserted, updated, n - inserted - updated, deletedCount);
    }
}
