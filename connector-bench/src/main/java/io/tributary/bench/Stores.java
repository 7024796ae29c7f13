package io.tributary.bench;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

import org.flywaydb.core.Flyway;

/**
 * The store database: one schema per case, each migrated by the app's own Flyway migrations, so that every case
 * writes into the same {@code registrations} table.
 */
final class Stores {

    /** Every case writes registrations of this source id and Member ID Source. */
    static final String SOURCE_ID = "bench";

    private final Pg pg;
    private final BenchOptions options;

    Stores(Pg pg, BenchOptions options) {
        this.pg = pg;
        this.options = options;
    }

    /** Migrates {@code schema} as the app does at start-up (schema, placeholders, locations). */
    void migrate(String schema) {
        String password = System.getenv("PGPASSWORD");
        Flyway.configure()
                .dataSource(options.jdbcUrl(options.storeDatabase()), options.user(), password == null ? "" : password)
                .schemas(schema).defaultSchema(schema)
                .placeholders(Map.of("json_type", "jsonb"))
                .locations("classpath:db/migration")
                .load()
                .migrate();
    }

    /** Empties a store: the next import inserts every row. */
    void truncate(String schema) throws SQLException {
        pg.execute(options.storeDatabase(), "TRUNCATE " + schema + ".registrations, " + schema + ".members, "
                + schema + ".teams, " + schema + ".checkpoints, " + schema + ".import_runs CASCADE");
    }

    /**
     * Vacuums a store after a write phase, outside the timing, so that a later case is not measured while autovacuum
     * works on an earlier case's rows, and every case's next run starts from the same state.
     */
    void vacuum(String schema) throws SQLException {
        try (Connection c = pg.connect(options.storeDatabase()); Statement st = c.createStatement()) {
            st.execute("VACUUM ANALYZE " + schema + ".registrations");
            st.execute("VACUUM ANALYZE " + schema + ".members");
        }
    }

    /** Flushes dirty buffers before a timed run, so that no run pays for the previous one's writes. */
    void checkpoint() throws SQLException {
        pg.execute(options.storeDatabase(), "CHECKPOINT");
    }

    /** Row count and a checksum of every stored value but the bookkeeping: equal stores have equal checksums. */
    String checksum(String schema) throws SQLException {
        return checksum(schema, "registrations");
    }

    /** The same over another table of the store's columns. */
    String checksum(String schema, String table) throws SQLException {
        return pg.queryString(options.storeDatabase(), "SELECT count(*) || '/' || coalesce(sum(hashtext(concat_ws('|', "
                + "reference, member_id_source, member_id, member_name, team_name, date, fields::text, deleted))::bigint), 0) "
                + "FROM " + schema + "." + table + " WHERE source_id = '" + SOURCE_ID + "'");
    }
}
