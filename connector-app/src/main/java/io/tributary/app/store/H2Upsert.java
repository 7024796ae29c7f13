package io.tributary.app.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import io.tributary.core.mapping.Registration;
import io.tributary.core.sink.SinkBatch;
import io.tributary.core.sink.WriteResult;

/**
 * H2, the embedded store: look the batch's keys up, then batch-insert the new rows and batch-update the changed
 * ones; unchanged rows are not touched.
 */
final class H2Upsert implements Upsert {

    static final String LOOKUP = """
            SELECT r.reference, r.content_hash
            FROM UNNEST(CAST(? AS VARCHAR(500) ARRAY)) AS k(reference)
            JOIN registrations r ON r.source_id = ? AND r.reference = k.reference
            """;

    private static final String INSERT = """
            INSERT INTO registrations (source_id, reference, member_id_source, member_id, member_name, team_name, date,
                fields, deleted, content_hash, first_seen, updated_at, last_run_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ? FORMAT JSON, ?, ?, ?, ?, ?)
            """;

    private static final String UPDATE = """
            UPDATE registrations SET member_id_source = ?, member_id = ?, member_name = ?, team_name = ?, date = ?,
                fields = ? FORMAT JSON, deleted = ?, content_hash = ?, updated_at = ?, last_run_id = ?
            WHERE source_id = ? AND reference = ?
            """;

    private static final String MEMBER = """
            MERGE INTO members m
            USING (VALUES (CAST(? AS VARCHAR(200)), CAST(? AS VARCHAR(500)), CAST(? AS VARCHAR(500)),
                           CAST(? AS TIMESTAMP WITH TIME ZONE))) AS s(src, id, name, name_date)
            ON m.member_id_source = s.src AND m.member_id = s.id
            WHEN MATCHED AND s.name IS NOT NULL AND (m.name_date IS NULL OR m.name_date < s.name_date)
                THEN UPDATE SET name = s.name, name_date = s.name_date, updated_at = ?
            WHEN NOT MATCHED THEN INSERT (member_id_source, member_id, name, name_date, updated_at)
                VALUES (s.src, s.id, s.name, s.name_date, ?)
            """;

    static final String MEMBER_LOOKUP = """
            SELECT m.member_id, m.name_date
            FROM UNNEST(CAST(? AS VARCHAR(500) ARRAY)) AS k(member_id)
            JOIN members m ON m.member_id_source = ? AND m.member_id = k.member_id
            """;

    private static final String TEAM = """
            MERGE INTO teams t USING (VALUES (CAST(? AS VARCHAR(500)))) AS s(name) ON t.name = s.name
            WHEN NOT MATCHED THEN INSERT (name, first_seen) VALUES (s.name, ?)
            """;

    @Override
    public WriteResult write(Connection c, SinkBatch batch, Instant now) throws SQLException {
        Map<String, Long> existing = existingHashes(c, batch);
        Timestamp at = Timestamp.from(now);
        long inserted = 0;
        long updated = 0;
        long deleted = 0;
        TreeSet<String> teams = new TreeSet<>();
        try (PreparedStatement insert = c.prepareStatement(INSERT); PreparedStatement update = c.prepareStatement(UPDATE)) {
            for (Registration r : batch.registrations()) {
                long hash = Upsert.contentHash(batch.memberIdSource(), r);
                Long known = existing.get(r.reference());
                if (known == null) {
                    bindInsert(insert, batch, r, hash, at);
                    insert.addBatch();
                    inserted++;
                } else if (known != hash) {
                    bindUpdate(update, batch, r, hash, at);
                    update.addBatch();
                    updated++;
                } else {
                    continue;
                }
                deleted += r.deleted() ? 1 : 0;
                if (r.teamName() != null) {
                    teams.add(r.teamName());
                }
            }
            if (inserted > 0) {
                insert.executeBatch();
            }
            if (updated > 0) {
                update.executeBatch();
            }
        }
        // every row's member, unchanged rows' too (another source may have named the member meanwhile), less those the
        // MERGE would leave as they are
        writeMembers(c, batch.memberIdSource(), unsettled(c, batch.memberIdSource(),
                Upsert.memberNames(batch.registrations())), at);
        writeTeams(c, teams, at);
        long total = batch.registrations().size();
        return new WriteResult(inserted, updated, total - inserted - updated, deleted);
    }

    private static void bindInsert(PreparedStatement ps, SinkBatch batch, Registration r, long hash, Timestamp at)
            throws SQLException {
        ps.setString(1, batch.sourceId());
        ps.setString(2, r.reference());
        ps.setString(3, batch.memberIdSource());
        ps.setString(4, r.memberId());
        ps.setString(5, r.memberName());
        ps.setString(6, r.teamName());
        ps.setTimestamp(7, Timestamp.from(r.date()));
        ps.setString(8, r.fieldsJson());
        ps.setBoolean(9, r.deleted());
        ps.setLong(10, hash);
        ps.setTimestamp(11, at);
        ps.setTimestamp(12, at);
        ps.setLong(13, batch.runId());
    }

    private static void bindUpdate(PreparedStatement ps, SinkBatch batch, Registration r, long hash, Timestamp at)
            throws SQLException {
        ps.setString(1, batch.memberIdSource());
        ps.setString(2, r.memberId());
        ps.setString(3, r.memberName());
        ps.setString(4, r.teamName());
        ps.setTimestamp(5, Timestamp.from(r.date()));
        ps.setString(6, r.fieldsJson());
        ps.setBoolean(7, r.deleted());
        ps.setLong(8, hash);
        ps.setTimestamp(9, at);
        ps.setLong(10, batch.runId());
        ps.setString(11, batch.sourceId());
        ps.setString(12, r.reference());
    }

    /**
     * The stored hashes of the batch's references, as one join of the batch's references (an array) with the primary
     * key: H2 looks each one up by (source_id, reference). A {@code reference IN (...)} list would not: H2 uses an IN
     * list only on an index's first column, so it read every stored row of the source for each batch.
     */
    private static Map<String, Long> existingHashes(Connection c, SinkBatch batch) throws SQLException {
        List<Registration> regs = batch.registrations();
        String[] references = new String[regs.size()];
        for (int i = 0; i < references.length; i++) {
            references[i] = regs.get(i).reference();
        }
        Map<String, Long> found = new HashMap<>(regs.size() * 2);
        try (PreparedStatement ps = c.prepareStatement(LOOKUP)) {
            ps.setObject(1, references);
            ps.setString(2, batch.sourceId());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        return found;
    }

    /**
     * The members the MERGE below would change: those not stored yet, and those whose name from this batch is newer
     * than the stored one's date (the rule of {@link Upsert#memberNames}). H2's MERGE locks every matched row even when
     * it changes nothing, and a first import matches about a thousand members per batch: one lookup by key instead
     * cost a fifth of the time of a batch.
     */
    private static Map<String, MemberName> unsettled(Connection c, String memberIdSource, Map<String, MemberName> members)
            throws SQLException {
        if (members.isEmpty()) {
            return members;
        }
        Map<String, MemberName> changed = new TreeMap<>(members);
        try (PreparedStatement ps = c.prepareStatement(MEMBER_LOOKUP)) {
            ps.setObject(1, members.keySet().toArray(String[]::new));
            ps.setString(2, memberIdSource);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    MemberName named = changed.get(rs.getString(1));
                    OffsetDateTime stored = rs.getObject(2, OffsetDateTime.class);
                    if (named == null || (stored != null && !stored.toInstant().isBefore(named.date()))) {
                        changed.remove(rs.getString(1));
                    }
                }
            }
        }
        return changed;
    }

    private static void writeMembers(Connection c, String memberIdSource, Map<String, MemberName> members, Timestamp at)
            throws SQLException {
        if (members.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(MEMBER)) {
            for (Map.Entry<String, MemberName> m : members.entrySet()) {
                MemberName named = m.getValue();
                ps.setString(1, memberIdSource);
                ps.setString(2, m.getKey());
                ps.setString(3, named == null ? null : named.name());
                ps.setObject(4, named == null ? null : OffsetDateTime.ofInstant(named.date(), ZoneOffset.UTC));
                ps.setTimestamp(5, at);
                ps.setTimestamp(6, at);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static void writeTeams(Connection c, TreeSet<String> teams, Timestamp at) throws SQLException {
        if (teams.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(TEAM)) {
            for (String team : teams) {
                ps.setString(1, team);
                ps.setTimestamp(2, at);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }
}
