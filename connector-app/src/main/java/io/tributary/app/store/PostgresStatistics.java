package io.tributary.app.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the PostgreSQL store's statistics up with bulk inserts: {@code ANALYZE registrations} whenever the rows this
 * process inserted since the last one reach the table's size (at least {@value #ANALYZE_AFTER_INSERTS}), so the
 * planner keeps probing by key instead of hashing a table it believes empty. Never waits behind autovacuum; warns
 * once when not permitted.
 */
final class PostgresStatistics {

    static final long ANALYZE_AFTER_INSERTS = 10_000;

    private static final Logger log = LoggerFactory.getLogger(PostgresStatistics.class);

    private final AtomicLong insertedSinceAnalyze = new AtomicLong();
    /** Rows in the table at this process's last ANALYZE; -1 before the first look. */
    private volatile long rowsAtAnalyze = -1;
    private final AtomicBoolean analyzing = new AtomicBoolean();
    private volatile boolean analyzeWarned;

    /** After a batch's commit, on its connection. */
    void afterCommit(Connection c, long inserted) {
        long since = insertedSinceAnalyze.addAndGet(inserted);
        if (since < ANALYZE_AFTER_INSERTS || !analyzing.compareAndSet(false, true)) {
            return;
        }
        try {
            if (rowsAtAnalyze < 0) {
                rowsAtAnalyze = estimatedRows(c);
            }
            if (since >= rowsAtAnalyze) {
                long t0 = System.nanoTime();
                try (Statement st = c.createStatement()) {
                    // never wait behind autovacuum: it is analyzing the table anyway
                    st.execute("SET LOCAL lock_timeout = '1s'");
                    st.execute("ANALYZE registrations");
                }
                c.commit();
                insertedSinceAnalyze.addAndGet(-since);
                rowsAtAnalyze = estimatedRows(c);
                log.debug("analyzed registrations ({} rows) in {} ms", rowsAtAnalyze, (System.nanoTime() - t0) / 1_000_000);
            }
        } catch (SQLException e) {
            rollbackQuietly(c);
            if (!analyzeWarned) {
                analyzeWarned = true;
                log.warn("could not analyze the registrations table ({}); the database's autovacuum has to keep its "
                        + "statistics (this is said once)", e.getMessage());
            }
        } finally {
            analyzing.set(false);
        }
    }

    /** The planner's idea of the table's size (-1, never analyzed, counts as empty). */
    private static long estimatedRows(Connection c) throws SQLException {
        long rows;
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT reltuples::bigint FROM pg_class WHERE oid = 'registrations'::regclass")) {
            rows = rs.next() ? Math.max(0, rs.getLong(1)) : 0;
        }
        c.commit();
        return rows;
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is broken: the pool discards it
        }
    }
}
