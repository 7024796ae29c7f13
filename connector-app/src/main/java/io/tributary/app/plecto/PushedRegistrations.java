package io.tributary.app.plecto;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * What Plecto last accepted of each registration, in the store's {@code plecto_pushed} table: the reference, the
 * hash of the item it accepted and whether it was deleted. Written only after Plecto answered; blocking JDBC, so
 * callers run it on the store's scheduler.
 */
final class PushedRegistrations {

    /** What Plecto holds of one reference, as far as Tributary knows. */
    record Pushed(long hash, boolean deleted) {
    }

    /** One accepted registration to record. */
    record Accepted(String reference, long hash, boolean deleted) {
    }

    private static final int LOOKUP_CHUNK = 500;

    /**
     * PostgreSQL: one primary-key lookup per reference whatever the table's statistics say (as the store's probe
     * does): right after a first import the table is not analyzed yet, and an IN list was planned as a scan of the
     * whole table per batch, a minute for an unchanged re-read of 50,000 rows.
     */
    private static final String FIND_POSTGRES = """
            SELECT t.reference, p.content_hash, p.deleted FROM unnest(?::varchar[]) AS t(reference)
            JOIN LATERAL (SELECT k.content_hash, k.deleted FROM plecto_pushed k
                          WHERE k.source_id = ? AND k.reference = t.reference LIMIT 1) p ON true
            """;

    private final JdbcTemplate jdbc;
    private final boolean postgres;
    private final String upsert;
    private final Clock clock;

    PushedRegistrations(DataSource dataSource, String vendor, Clock clock) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.clock = clock;
        this.postgres = "postgresql".equals(vendor);
        this.upsert = postgres
                ? "INSERT INTO plecto_pushed (source_id, reference, data_source, content_hash, deleted, accepted_at, last_run_id) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (source_id, reference) DO UPDATE SET "
                        + "data_source = EXCLUDED.data_source, content_hash = EXCLUDED.content_hash, "
                        + "deleted = EXCLUDED.deleted, accepted_at = EXCLUDED.accepted_at, last_run_id = EXCLUDED.last_run_id"
                : "MERGE INTO plecto_pushed (source_id, reference, data_source, content_hash, deleted, accepted_at, last_run_id) "
                        + "KEY (source_id, reference) VALUES (?, ?, ?, ?, ?, ?, ?)";
    }

    /** What is known of {@code references}; references never pushed are absent. */
    Map<String, Pushed> find(String sourceId, Collection<String> references) {
        Map<String, Pushed> found = new HashMap<>();
        if (postgres) {
            jdbc.query(c -> {
                java.sql.PreparedStatement ps = c.prepareStatement(FIND_POSTGRES);
                ps.setArray(1, c.createArrayOf("varchar", references.toArray()));
                ps.setString(2, sourceId);
                return ps;
            }, rs -> {
                found.put(rs.getString(1), new Pushed(rs.getLong(2), rs.getBoolean(3)));
            });
            return found;
        }
        List<String> all = List.copyOf(references);
        for (int from = 0; from < all.size(); from += LOOKUP_CHUNK) {
            List<String> chunk = all.subList(from, Math.min(all.size(), from + LOOKUP_CHUNK));
            Object[] args = new Object[chunk.size() + 1];
            args[0] = sourceId;
            for (int i = 0; i < chunk.size(); i++) {
                args[i + 1] = chunk.get(i);
            }
            jdbc.query("SELECT reference, content_hash, deleted FROM plecto_pushed WHERE source_id = ? AND reference IN ("
                    + String.join(",", java.util.Collections.nCopies(chunk.size(), "?")) + ")",
                    rs -> {
                        found.put(rs.getString(1), new Pushed(rs.getLong(2), rs.getBoolean(3)));
                    }, args);
        }
        return found;
    }

    /** Records what Plecto accepted, in one transaction per call. */
    void accepted(String sourceId, String dataSource, long runId, List<Accepted> accepted) {
        if (accepted.isEmpty()) {
            return;
        }
        Timestamp now = Timestamp.from(clock.instant());
        jdbc.batchUpdate(upsert, accepted, 500, (ps, a) -> {
            ps.setString(1, sourceId);
            ps.setString(2, a.reference());
            ps.setString(3, dataSource);
            ps.setLong(4, a.hash());
            ps.setBoolean(5, a.deleted());
            ps.setTimestamp(6, now);
            ps.setLong(7, runId);
        });
    }

    /** Registrations Plecto holds per source (deleted ones not counted), for the API. */
    Map<String, Long> countsBySource() {
        Map<String, Long> counts = new LinkedHashMap<>();
        jdbc.query("SELECT source_id, count(*) FROM plecto_pushed WHERE deleted = false GROUP BY source_id ORDER BY source_id",
                rs -> {
                    counts.put(rs.getString(1), rs.getLong(2));
                });
        return counts;
    }
}
