package io.tributary.app.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The read side of the {@code registrations} table, for users who check what was imported without opening the
 * store's database: one source's rows in {@code (date, reference)} order, paged by key so that a page costs the same
 * however deep it is. Blocking; callers run it on the store's scheduler.
 */
public final class JdbcRegistrations {

    private static final String COLUMNS = "reference, member_id_source, member_id, member_name, team_name, date, fields, "
            + "deleted, first_seen, updated_at, last_run_id";

    private final JdbcTemplate jdbc;

    public JdbcRegistrations(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    /** Where a page starts: after the row with this date and reference. */
    public record Cursor(Instant date, String reference) {
    }

    /**
     * A stored registration.
     *
     * @param fields the custom fields as the exact JSON text stored
     */
    public record StoredRegistration(String reference, String memberIdSource, String memberId, String memberName,
            String teamName, Instant date, String fields, boolean deleted, Instant firstSeen, Instant updatedAt,
            Long lastRunId) {
    }

    /**
     * Registrations of a source with {@code from <= date < to} (either bound may be {@code null}), after
     * {@code after} (or from the first), in {@code (date, reference)} order.
     */
    public List<StoredRegistration> page(String sourceId, Instant from, Instant to, Cursor after, int limit) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM registrations WHERE source_id = ?");
        List<Object> args = new ArrayList<>(List.of(sourceId));
        if (from != null) {
            sql.append(" AND date >= ?");
            args.add(Timestamp.from(from));
        }
        if (to != null) {
            sql.append(" AND date < ?");
            args.add(Timestamp.from(to));
        }
        if (after != null) {
            sql.append(" AND (date > ? OR (date = ? AND reference > ?))");
            args.add(Timestamp.from(after.date()));
            args.add(Timestamp.from(after.date()));
            args.add(after.reference());
        }
        sql.append(" ORDER BY date, reference LIMIT ?");
        args.add(limit);
        return jdbc.query(sql.toString(), (rs, i) -> row(rs), args.toArray());
    }

    /** The registration of a source with this reference, if stored. */
    public List<StoredRegistration> byReference(String sourceId, String reference) {
        return jdbc.query("SELECT " + COLUMNS + " FROM registrations WHERE source_id = ? AND reference = ?",
                (rs, i) -> row(rs), sourceId, reference);
    }

    private static StoredRegistration row(ResultSet rs) throws SQLException {
        long run = rs.getLong("last_run_id");
        Long lastRunId = rs.wasNull() ? null : run;
        return new StoredRegistration(rs.getString("reference"), rs.getString("member_id_source"), rs.getString("member_id"),
                rs.getString("member_name"), rs.getString("team_name"), rs.getTimestamp("date").toInstant(),
                rs.getString("fields"), rs.getBoolean("deleted"), rs.getTimestamp("first_seen").toInstant(),
                rs.getTimestamp("updated_at").toInstant(), lastRunId);
    }
}
