package io.tributary.core.jdbc;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.Function;

import javax.sql.DataSource;

import io.tributary.core.Secret;
import io.tributary.core.mapping.FieldValues;
import io.tributary.core.mapping.SourceRow;
import io.tributary.core.spi.Dialect;
import io.tributary.core.spi.SourceClient;
import io.tributary.core.template.RenderedStatement;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * A {@link SourceClient} over blocking JDBC. Each run takes one connection from the {@link DataSource}, turns
 * autocommit off, begins a read-only transaction ({@link JdbcHooks#beginReadOnly}), executes with the fetch size and
 * a query timeout, and reads the result one row per requested row: nothing is read ahead of demand beyond what the
 * driver's fetch size buffers. All JDBC calls of a run happen one at a time on one worker of the injected
 * {@link Scheduler} (default {@link Schedulers#boundedElastic()}), never on the subscriber's thread.
 * <p>
 * Completion and errors are signalled after result, statement and connection are closed and the transaction rolled
 * back. On cancel, a driver call in progress is stopped with {@link java.sql.Statement#cancel}, then everything is
 * closed on the worker. The worker thread is never interrupted: some drivers close their connection, or H2 its
 * database file, on an interrupt. Errors are
 * {@link io.tributary.core.ConnectorException}s sorted by {@link JdbcErrors}, without the password.
 * <p>
 * The client owns the data source: {@link #close()} closes it when it is {@link AutoCloseable} (a pool).
 */
public final class JdbcSourceClient implements SourceClient {

    /** Long enough for a historical import's first rows, short enough that a hung query frees its connection. */
    public static final Duration DEFAULT_QUERY_TIMEOUT = Duration.ofMinutes(30);

    private final DataSource dataSource;
    private final Dialect dialect;
    private final String nowQuery;
    private final JdbcHooks hooks;
    private final Scheduler scheduler;
    private final int queryTimeoutSeconds;
    private final Function<Throwable, Throwable> errors;

    private JdbcSourceClient(Builder b) {
        this.dataSource = b.dataSource;
        this.dialect = b.dialect;
        this.nowQuery = b.nowQuery;
        this.hooks = b.hooks;
        this.scheduler = b.scheduler;
        // JDBC counts whole seconds; round a sub-second timeout up rather than to "no timeout"
        this.queryTimeoutSeconds = b.queryTimeout.isZero() ? 0
                : (int) Math.min(Integer.MAX_VALUE, (b.queryTimeout.toMillis() + 999) / 1000);
        Secret password = b.password;
        JdbcHooks h = b.hooks;
        this.errors = e -> JdbcErrors.classify(e, password, h::retryable);
    }

    /**
     * @param dataSource where runs take their connection; a pool for production use
     * @param dialect    the pure dialect: its {@link Dialect#normalize} is applied to every value read
     * @param nowQuery   a query returning the database's current time in UTC in one column
     */
    public static Builder builder(DataSource dataSource, Dialect dialect, String nowQuery) {
        return new Builder(dataSource, dialect, nowQuery);
    }

    @Override
    public Flux<SourceRow> stream(RenderedStatement statement, List<Object> bindValues, int fetchSize) {
        requireNonNull(statement, "statement must not be null");
        statement.checkStreamArguments(bindValues, fetchSize);
        List<Object> values = List.copyOf(bindValues);
        return Flux.defer(() -> {
            JdbcCursor cursor = new JdbcCursor(dataSource, hooks, dialect, statement, values, fetchSize,
                    queryTimeoutSeconds, scheduler.createWorker());
            // every call runs on the cursor's worker; disposing this executor scheduler interrupts nothing
            Scheduler onCursor = Schedulers.fromExecutor(cursor::execute);
            return Flux.usingWhen(
                            Mono.fromCallable(cursor::open).subscribeOn(onCursor),
                            open -> Flux.<SourceRow>generate(open::next).subscribeOn(onCursor),
                            JdbcCursor::closeAsync,
                            (open, error) -> open.closeAsync(),
                            JdbcCursor::closeAsync)
                    // outermost, so that a cancel reaches the cursor even while it is still executing
                    .doOnCancel(cursor::cancel)
                    // cancelled or failed before the cursor was open: usingWhen has nothing to clean up then
                    .doFinally(signal -> cursor.release());
        }).onErrorMap(errors);
    }

    @Override
    public Mono<Instant> now() {
        return stream(new RenderedStatement(nowQuery, List.of()), List.of(), 1).next()
                .switchIfEmpty(Mono.error(() -> new IllegalStateException("the clock query '" + nowQuery + "' returned no row")))
                .map(row -> {
                    Object value = row.value(0);
                    if (value == null) {
                        throw new IllegalStateException("the database's clock returned NULL");
                    }
                    return FieldValues.toInstant(value, ZoneOffset.UTC).orElseThrow(() -> new IllegalStateException(
                            "the database's clock returned " + value.getClass().getName()));
                })
                .onErrorMap(errors);
    }

    @Override
    public Mono<Void> close() {
        if (dataSource instanceof AutoCloseable closeable) {
            return Mono.<Void>fromCallable(() -> {
                closeable.close();
                return null;
            }).subscribeOn(scheduler);
        }
        return Mono.empty();
    }

    /** Settings of a {@link JdbcSourceClient}; only the data source, dialect and clock query are required. */
    public static final class Builder {
        private final DataSource dataSource;
        private final Dialect dialect;
        private final String nowQuery;
        private JdbcHooks hooks = JdbcHooks.STANDARD;
        private Secret password = Secret.empty();
        private Scheduler scheduler = Schedulers.boundedElastic();
        private Duration queryTimeout = DEFAULT_QUERY_TIMEOUT;

        private Builder(DataSource dataSource, Dialect dialect, String nowQuery) {
            this.dataSource = requireNonNull(dataSource, "dataSource must not be null");
            this.dialect = requireNonNull(dialect, "dialect must not be null");
            this.nowQuery = requireNonNull(nowQuery, "nowQuery must not be null");
        }

        /** The database's additions to plain JDBC; default {@link JdbcHooks#STANDARD}. */
        public Builder hooks(JdbcHooks value) {
            this.hooks = requireNonNull(value, "hooks must not be null");
            return this;
        }

        /** Redacted from every error message. */
        public Builder password(Secret value) {
            this.password = requireNonNull(value, "password must not be null");
            return this;
        }

        /** Where the blocking calls run; default {@link Schedulers#boundedElastic()}. */
        public Builder scheduler(Scheduler value) {
            this.scheduler = requireNonNull(value, "scheduler must not be null");
            return this;
        }

        /**
         * The driver's {@link java.sql.Statement#setQueryTimeout}, in whole seconds rounded up; zero for none.
         * Drivers apply it to the execution, and some to each fetch round trip, not to the whole stream.
         */
        public Builder queryTimeout(Duration value) {
            requireNonNull(value, "queryTimeout must not be null");
            if (value.isNegative()) {
                throw new IllegalArgumentException("queryTimeout >= 0 required but it was " + value);
            }
            this.queryTimeout = value;
            return this;
        }

        public JdbcSourceClient build() {
            return new JdbcSourceClient(this);
        }
    }
}
