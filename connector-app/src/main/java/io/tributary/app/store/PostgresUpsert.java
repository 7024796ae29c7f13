package io.tributary.app.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.postgresql.PGStatement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tributary.core.mapping.FieldValues;
import io.tributary.core.mapping.Registration;
import io.tributary.core.sink.SinkBatch;
import io.tributary.core.sink.WriteResult;

/**
 * PostgreSQL: a batch is a few set-based statements over {@code unnest} of arrays, each one round trip.
 * <ol>
 * <li>A probe sends the batch's references and content hashes and gets back the rows that are new or changed, so
 * that unchanged rows cost one index lookup: they are neither sent again nor locked (an
 * {@code ON CONFLICT DO UPDATE ... WHERE} would lock each of them).</li>
 * <li>New rows are inserted with a plain {@code INSERT}, cheaper than {@code ON CONFLICT}'s speculative insertion;
 * changed rows are updated where their hash still differs.</li>
 * <li>While a source's batches are all new (a first import), the probe is skipped and the batch inserted at once.</li>
 * </ol>
 * Should another writer have inserted or changed one of the rows in between (a unique violation, or fewer rows
 * updated than probed), the transaction is rolled back and the batch written with {@code INSERT ... ON CONFLICT DO
 * UPDATE ... WHERE content_hash <> excluded.content_hash}, which is always right; counts stay exact either way.
 * Members and teams are upserted for every row of the batch, members skipping those already stored as they are.
 * <p>
 * The statistics of {@code registrations} are kept from going badly stale: each time the rows this process inserted
 * since its last {@code ANALYZE} reach the table's size at that time (at least {@value #ANALYZE_AFTER_INSERTS}), it
 * analyzes the table, after the batch's commit. Autovacuum usually does it, but it may be off or behind a bulk
 * import, and a planner that believes the table empty turns the update's join into a hash of the whole table.
 */
final class PostgresUpsert implements Upsert {

    private static final String UNIQUE_VIOLATION = "23505";

    private static final String ROWS = """
            unnest(?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[], ?::timestamptz[], ?::varchar[],
                   ?::boolean[], ?::bigint[])
                AS t(reference, member_id, member_name, team_name, date, fields, deleted, content_hash)""";

    /**
     * The rows to write: new ones ({@code fresh}) and changed ones, by 1-based position in the batch. One primary-key
     * lookup per row whatever the table's statistics say: a plain join, planned on a table not analyzed since a bulk
     * insert (estimated at a few hundred rows), hashed the whole table for every batch, 1.7 s per batch at 1M rows.
     */
    static final String PROBE = """
            SELECT t.i, r.content_hash IS NULL AS fresh
            FROM unnest(?::varchar[], ?::bigint[]) WITH ORDINALITY AS t(reference, content_hash, i)
            LEFT JOIN LATERAL (SELECT k.content_hash FROM registrations k
                               WHERE k.source_id = ? AND k.reference = t.reference LIMIT 1) r ON true
            WHERE r.content_hash IS DISTINCT FROM t.content_hash
            """;

    private static final String INSERT = """
            INSERT INTO registrations (source_id, reference, member_id_source, member_id, member_name, team_name,
                    date, fields, deleted, content_hash, first_seen, updated_at, last_run_id)
            SELECT ?, reference, ?, member_id, member_name, team_name, date, fields::jsonb, deleted, content_hash, ?, ?, ?
            FROM %s
            """.formatted(ROWS);

    private static final String UPDATE = """
            UPDATE registrations AS r SET member_id_source = ?, member_id = t.member_id, member_name = t.member_name,
                team_name = t.team_name, date = t.date, fields = t.fields::jsonb, deleted = t.deleted,
                content_hash = t.content_hash, updated_at = ?, last_run_id = ?
            FROM %s
            WHERE r.source_id = ? AND r.reference = t.reference AND r.content_hash <> t.content_hash
            """.formatted(ROWS);

    /** Right whatever else writes meanwhile; used when the statements above meet another writer's rows. */
    private static final String UPSERT = """
            WITH written AS (
                INSERT INTO registrations AS r (source_id, reference, member_id_source, member_id, member_name,
                        team_name, date, fields, deleted, content_hash, first_seen, updated_at, last_run_id)
                SELECT ?, reference, ?, member_id, member_name, team_name, date, fields::jsonb, deleted, content_hash,
                       ?, ?, ? FROM %s
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
            """.formatted(ROWS);

    // the name on the registration with the newest date wins (ties keep the name held); a row without member_name
    // keeps the name on file; members whose name would not change are filtered out first, so that they are not locked
    private static final String MEMBERS = """
            INSERT INTO members AS m (member_id_source, member_id, name, name_date, updated_at)
            SELECT ?, t.id, t.name, t.name_date, ?
            FROM unnest(?::varchar[], ?::varchar[], ?::timestamptz[]) AS t(id, name, name_date)
            WHERE NOT EXISTS (SELECT 1 FROM members k WHERE k.member_id_source = ? AND k.member_id = t.id
                              AND (t.name IS NULL OR k.name_date >= t.name_date))
            ON CONFLICT (member_id_source, member_id) DO UPDATE SET name = excluded.name, name_date = excluded.name_date,
                updated_at = excluded.updated_at
            WHERE excluded.name IS NOT NULL AND (m.name_date IS NULL OR m.name_date < excluded.name_date)
            """;

    private static final String TEAMS = """
            INSERT INTO teams (name, first_seen) SELECT name, ? FROM unnest(?::varchar[]) AS t(name)
            ON CONFLICT (name) DO NOTHING
            """;

    private static final Logger log = LoggerFactory.getLogger(PostgresUpsert.class);

    private final PostgresStatistics statistics = new PostgresStatistics();

    /** Sources whose last batch was all new rows: their next batch is inserted without a probe. */
    private final Map<String, Boolean> lastBatchAllNew = new ConcurrentHashMap<>();

    @Override
    public WriteResult write(Connection c, SinkBatch batch, Instant now) throws SQLException {
        PostgresRows rows = new PostgresRows(batch);
        Timestamp at = Timestamp.from(now);
        if (Boolean.TRUE.equals(lastBatchAllNew.get(batch.sourceId()))) {
            try {
                insert(c, batch, rows, at);
                return finish(c, batch, rows, at, rows.size(), 0, rows.deleted());
            } catch (SQLException e) {
                if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
                    throw e;
                }
                // the insert was the transaction's first statement: rolling back loses nothing else
                c.rollback();
            }
        }
        int[][] probed = probe(c, batch, rows);
        PostgresRows fresh = rows.subset(probed[0]);
        PostgresRows changed = rows.subset(probed[1]);
        try {
            if (fresh.size() > 0) {
                insert(c, batch, fresh, at);
            }
            if (changed.size() > 0 && update(c, batch, changed, at) != changed.size()) {
                // another writer changed a probed row meanwhile
                c.rollback();
                return upsert(c, batch, rows, at);
            }
        } catch (SQLException e) {
            if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
                throw e;
            }
            // another writer inserted a probed row meanwhile
            c.rollback();
            return upsert(c, batch, rows, at);
        }
        lastBatchAllNew.put(batch.sourceId(), fresh.size() == rows.size());
        return finish(c, batch, rows, at, fresh.size(), changed.size(), fresh.deleted() + changed.deleted());
    }

    @Override
    public void afterCommit(Connection c, WriteResult written) {
        statistics.afterCommit(c, written.inserted());
    }

    private WriteResult finish(Connection c, SinkBatch batch, PostgresRows rows, Timestamp at, long inserted, long updated,
            long deleted) throws SQLException {
        membersAndTeams(c, batch, at);
        return new WriteResult(inserted, updated, rows.size() - inserted - updated, deleted);
    }

    /** Positions (0-based) of the new rows and of the changed rows. */
    private static int[][] probe(Connection c, SinkBatch batch, PostgresRows rows) throws SQLException {
        int[] fresh = new int[rows.size()];
        int[] changed = new int[rows.size()];
        int f = 0;
        int ch = 0;
        try (PreparedStatement ps = c.prepareStatement(PROBE)) {
            planEachTime(ps);
            ps.setArray(1, c.createArrayOf("varchar", rows.reference));
            ps.setObject(2, rows.hash);
            ps.setString(3, batch.sourceId());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int i = (int) rs.getLong(1) - 1;
                    if (rs.getBoolean(2)) {
                        fresh[f++] = i;
                    } else {
                        changed[ch++] = i;
                    }
                }
            }
        }
        return new int[][] {Arrays.copyOf(fresh, f), Arrays.copyOf(changed, ch)};
    }

    private static void insert(Connection c, SinkBatch batch, PostgresRows rows, Timestamp at) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            bindInsert(c, ps, batch, rows, at);
            ps.executeUpdate();
        }
    }

    /** The parameters INSERT and UPSERT share: source, member id source, first seen, updated at, run, the rows. */
    private static void bindInsert(Connection c, PreparedStatement ps, SinkBatch batch, PostgresRows rows, Timestamp at)
            throws SQLException {
        ps.setString(1, batch.sourceId());
        ps.setString(2, batch.memberIdSource());
        ps.setTimestamp(3, at);
        ps.setTimestamp(4, at);
        ps.setLong(5, batch.runId());
        rows.bind(c, ps, 6);
    }

    private static int update(Connection c, SinkBatch batch, PostgresRows rows, Timestamp at) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(UPDATE)) {
            planEachTime(ps);
            ps.setString(1, batch.memberIdSource());
            ps.setTimestamp(2, at);
            ps.setLong(3, batch.runId());
            int p = rows.bind(c, ps, 4);
            ps.setString(p, batch.sourceId());
            return ps.executeUpdate();
        }
    }

    private WriteResult upsert(Connection c, SinkBatch batch, PostgresRows rows, Timestamp at) throws SQLException {
        long inserted;
        long updated;
        long deleted;
        try (PreparedStatement ps = c.prepareStatement(UPSERT)) {
            bindInsert(c, ps, batch, rows, at);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                inserted = rs.getLong(1);
                updated = rs.getLong(2);
                deleted = rs.getLong(3);
            }
        }
        lastBatchAllNew.put(batch.sourceId(), inserted == rows.size());
        return finish(c, batch, rows, at, inserted, updated, deleted);
    }

    private static void membersAndTeams(Connection c, SinkBatch batch, Timestamp at) throws SQLException {
        List<Registration> regs = batch.registrations();
        Set<String> teams = new HashSet<>();
        for (Registration r : regs) {
            if (r.teamName() != null) {
                teams.add(r.teamName());
            }
        }
        TreeMap<String, MemberName> members = Upsert.memberNames(regs);
        String[] ids = members.keySet().toArray(String[]::new);
        String[] names = new String[ids.length];
        String[] dates = new String[ids.length];
        for (int i = 0; i < ids.length; i++) {
            MemberName named = members.get(ids[i]);
            names[i] = named == null ? null : named.name();
            dates[i] = named == null ? null : FieldValues.isoInstant(named.date());
        }
        try (PreparedStatement ps = c.prepareStatement(MEMBERS)) {
            planEachTime(ps);
            ps.setString(1, batch.memberIdSource());
            ps.setTimestamp(2, at);
            ps.setArray(3, c.createArrayOf("varchar", ids));
            ps.setArray(4, c.createArrayOf("varchar", names));
            ps.setArray(5, c.createArrayOf("varchar", dates));
            ps.setString(6, batch.memberIdSource());
            ps.executeUpdate();
        }
        if (!teams.isEmpty()) {
            String[] sorted = teams.toArray(String[]::new);
            Arrays.sort(sorted);
            try (PreparedStatement ps = c.prepareStatement(TEAMS)) {
                ps.setTimestamp(1, at);
                ps.setArray(2, c.createArrayOf("varchar", sorted));
                ps.executeUpdate();
            }
        }
    }

    /**
     * A statement that joins the batch to a table is planned at each execution, with the batch and the table as they
     * are: a plan cached while the table was empty would scan the whole table for every batch once it has grown.
     */
    private static void planEachTime(PreparedStatement ps) throws SQLException {
        ps.unwrap(PGStatement.class).setPrepareThreshold(0);
    }
}
