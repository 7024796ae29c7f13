package io.tributary.app.store;

import java.util.function.Supplier;

import javax.sql.DataSource;

import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writes whose loss in a crash of the store's server costs nothing but a re-read, committed on PostgreSQL without
 * waiting for the WAL flush ({@code SET LOCAL synchronous_commit TO OFF}): a checkpoint move (lost, the next run reads
 * the window again and finds its rows unchanged) and an idle run added to its summary row (lost, the count of polls
 * is short). Such a commit is never reordered before an earlier one, so registrations committed before a checkpoint
 * are durable whenever the checkpoint is. The flush (an fdatasync per commit) is most of the store's CPU for an idle
 * poll. On H2 the work runs as it is.
 */
final class UnflushedCommits {

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    private volatile Boolean postgres;

    UnflushedCommits(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.transaction = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    }

    /** Runs {@code work} (statements through a {@link JdbcTemplate} on the same data source) and commits it; blocking. */
    <T> T run(Supplier<T> work) {
        if (!postgres()) {
            return work.get();
        }
        return transaction.execute(tx -> {
            jdbc.execute("SET LOCAL synchronous_commit TO OFF");
            return work.get();
        });
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
