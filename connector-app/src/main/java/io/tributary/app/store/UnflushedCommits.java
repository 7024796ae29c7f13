package io.tributary.app.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.Function;

import javax.sql.DataSource;

import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * Store transactions of the bookkeeping, on one connection, by hand: a failure is the {@code DataAccessException} of
 * a statement (which {@link StoreErrors#bookkeeping} turns into a transient failure), never a transaction manager's
 * exception or its logged rollback failure while the store is down.
 * <p>
 * {@link #unflushed} is for writes whose loss in a crash of the store's server costs nothing but a re-read, committed
 * on PostgreSQL without waiting for the WAL flush ({@code SET LOCAL synchronous_commit TO OFF}): a checkpoint move
 * (lost, the next run reads the window again and finds its rows unchanged) and an idle run added to its summary row
 * (lost, the count of polls is short). Such a commit is never reordered before an earlier one, so registrations
 * committed before a checkpoint are durable whenever the checkpoint is. The flush (an fdatasync per commit) is most
 * of the store's CPU for an idle poll. On H2 such work commits as any other.
 */
final class UnflushedCommits {

    private final JdbcTemplate jdbc;
    private volatile Boolean postgres;

    UnflushedCommits(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    /** Runs {@code work} in one transaction committed without waiting for the flush (PostgreSQL); blocking. */
    <T> T unflushed(Function<JdbcTemplate, T> work) {
        return inTransaction(postgres(), work);
    }

    /** Runs {@code work} in one transaction, committed as usual; blocking. */
    <T> T transaction(Function<JdbcTemplate, T> work) {
        return inTransaction(false, work);
    }

    private <T> T inTransaction(boolean unflushed, Function<JdbcTemplate, T> work) {
        return jdbc.execute((ConnectionCallback<T>) c -> {
            c.setAutoCommit(false);
            try {
                if (unflushed) {
                    try (Statement st = c.createStatement()) {
                        st.execute("SET LOCAL synchronous_commit TO OFF");
                    }
                }
                T result = work.apply(new JdbcTemplate(new SingleConnectionDataSource(c, true)));
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c);
                throw e;
            } finally {
                try {
                    c.setAutoCommit(true);
                } catch (SQLException ignored) {
                    // a dead connection: the pool drops it (and resets a live one it gets back anyway)
                }
            }
        });
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the statement's own failure is the one to report; a dead connection is dropped by the pool
        }
    }

    private boolean postgres() {
        Boolean p = postgres;
        if (p == null) {
            p = jdbc.execute((ConnectionCallback<Boolean>) c -> "PostgreSQL".equals(c.getMetaData().getDatabaseProductName()));
            postgres = p;
        }
        return p;
    }
}
