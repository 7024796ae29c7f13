package io.tributary.core.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tributary.core.mapping.Columns;
import io.tributary.core.mapping.SourceRow;
import io.tributary.core.spi.Dialect;
import io.tributary.core.template.RenderedStatement;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.publisher.SynchronousSink;
import reactor.core.scheduler.Scheduler;

/**
 * One execution of one statement: its connection, statement and result, the worker all its JDBC calls run on, and
 * the cancellation state. Every JDBC call but {@link java.sql.Statement#cancel} runs on the worker, one at a time;
 * {@link #cancel} may come from any thread.
 */
final class JdbcCursor {

    private static final Logger log = LoggerFactory.getLogger(JdbcCursor.class);

    private final DataSource dataSource;
    private final JdbcHooks hooks;
    private final Dialect dialect;
    private final RenderedStatement statement;
    private final List<Object> bindValues;
    private final int fetchSize;
    private final int queryTimeoutSeconds;
    private final Scheduler.Worker worker;
    private final AtomicBoolean released = new AtomicBoolean();
    private final Sinks.Empty<Void> closed = Sinks.empty();

    private volatile boolean cancelled;
    /** True while the worker is inside a driver call that a {@link java.sql.Statement#cancel} can end. */
    private volatile boolean inDriverCall;
    private volatile @Nullable PreparedStatement prepared;

    private @Nullable Connection connection;
    private @Nullable ResultSet resultSet;
    private @Nullable Columns columns;
    private JdbcColumnReader[] readers = new JdbcColumnReader[0];
    private boolean finished;

    JdbcCursor(DataSource dataSource, JdbcHooks hooks, Dialect dialect, RenderedStatement statement,
            List<Object> bindValues, int fetchSize, int queryTimeoutSeconds, Scheduler.Worker worker) {
        this.dataSource = dataSource;
        this.hooks = hooks;
        this.dialect = dialect;
        this.statement = statement;
        this.bindValues = bindValues;
        this.fetchSize = fetchSize;
        this.queryTimeoutSeconds = queryTimeoutSeconds;
        this.worker = worker;
    }

    /** Runs {@code task} on this cursor's worker, after every task scheduled before it. */
    void execute(Runnable task) {
        worker.schedule(task);
    }

    /** Connects, begins the read-only transaction and executes. On the worker. */
    JdbcCursor open() throws SQLException {
        try {
            Connection c = dataSource.getConnection();
            connection = c;
            if (cancelled) {
                return finish();
            }
            c.setAutoCommit(false);
            hooks.beginReadOnly(c);
            PreparedStatement st = hooks.prepare(c, statement);
            prepared = st;
            st.setFetchSize(fetchSize);
            if (queryTimeoutSeconds > 0) {
                st.setQueryTimeout(queryTimeoutSeconds);
            }
            ResultSet rs = inCancellableCall(() -> hooks.execute(st, bindValues));
            if (rs == null) {
                return finish();
            }
            resultSet = rs;
            describe(rs.getMetaData());
            return this;
        } catch (SQLException | RuntimeException e) {
            if (cancelled) {
                // the subscriber is gone; the failure is the cancel's echo
                return finish();
            }
            throw e;
        }
    }

    /** Emits at most one row: called once per requested row. On the worker. */
    void next(SynchronousSink<SourceRow> sink) {
        ResultSet rs = resultSet;
        if (finished || rs == null || cancelled) {
            sink.complete();
            return;
        }
        try {
            @Nullable Object[] values = inCancellableCall(() -> rs.next() ? readRow(rs) : null);
            if (values == null) {
                finished = true;
                sink.complete();
            } else {
                sink.next(new SourceRow(columnsOrFail(), values));
            }
        } catch (SQLException | RuntimeException e) {
            finished = true;
            if (cancelled) {
                sink.complete();
            } else {
                sink.error(e);
            }
        }
    }

    /**
     * Stops a driver call in progress with {@link java.sql.Statement#cancel}; the resources are closed on the worker
     * by {@link #release}. Between calls there is nothing to stop, and a needless cancel could hit the connection's
     * next statement, so none is sent.
     */
    void cancel() {
        cancelled = true;
        PreparedStatement st = prepared;
        if (st != null && inDriverCall) {
            try {
                st.cancel();
                log.debug("statement cancelled while the driver was busy");
            } catch (SQLException | RuntimeException e) {
                log.debug("cancelling the statement failed: {}", e.toString());
            }
        }
    }

    /** {@link #release}, completing once everything is closed. */
    Mono<Void> closeAsync() {
        return Mono.defer(() -> {
            release();
            return closed.asMono();
        });
    }

    /**
     * Closes result, statement and connection on the worker, after any call still running there, then frees the
     * worker. Once; from any thread.
     */
    void release() {
        if (!released.compareAndSet(false, true)) {
            return;
        }
        Runnable closeAll = () -> {
            try {
                close();
            } finally {
                worker.dispose();
                closed.tryEmitEmpty();
            }
        };
        try {
            worker.schedule(closeAll);
        } catch (RejectedExecutionException workerGone) {
            closeAll.run();
        }
    }

    private JdbcCursor finish() {
        finished = true;
        return this;
    }

    private void describe(ResultSetMetaData metadata) throws SQLException {
        int n = metadata.getColumnCount();
        List<String> names = new ArrayList<>(n);
        JdbcColumnReader[] plan = new JdbcColumnReader[n];
        for (int i = 1; i <= n; i++) {
            // the label is the alias of "AS alias"; the name may be the underlying column's
            names.add(metadata.getColumnLabel(i));
            plan[i - 1] = hooks.columnReader(metadata, i);
        }
        columns = Columns.of(names);
        readers = plan;
    }

    private @Nullable Object[] readRow(ResultSet rs) throws SQLException {
        @Nullable Object[] values = new Object[readers.length];
        for (int i = 0; i < readers.length; i++) {
            values[i] = dialect.normalize(readers[i].read(rs, i + 1));
        }
        return values;
    }

    private Columns columnsOrFail() {
        Columns c = columns;
        if (c == null) {
            throw new IllegalStateException("no result is open");
        }
        return c;
    }

    private <T> @Nullable T inCancellableCall(SqlCall<T> call) throws SQLException {
        inDriverCall = true;
        try {
            // a cancel that came before the flag was up found nothing to cancel: honour it here
            return cancelled ? null : call.run();
        } finally {
            inDriverCall = false;
        }
    }

    private void close() {
        closeQuietly("result set", resultSet);
        closeQuietly("statement", prepared);
        Connection c = connection;
        if (c != null) {
            try {
                if (!c.isClosed() && !c.getAutoCommit()) {
                    // read-only: nothing to commit; ending the transaction releases its snapshot and locks
                    c.rollback();
                }
            } catch (SQLException | RuntimeException e) {
                log.debug("rolling back the read-only transaction failed: {}", e.toString());
            }
            closeQuietly("connection", c);
        }
        resultSet = null;
        prepared = null;
        connection = null;
    }

    private static void closeQuietly(String what, @Nullable AutoCloseable resource) {
        if (resource == null) {
            return;
        }
        try {
            resource.close();
        } catch (Exception e) {
            log.debug("closing the {} failed: {}", what, e.toString());
        }
    }

    @FunctionalInterface
    private interface SqlCall<T> {
        @Nullable T run() throws SQLException;
    }
}
