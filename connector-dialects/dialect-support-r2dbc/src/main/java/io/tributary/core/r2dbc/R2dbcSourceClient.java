package io.tributary.core.r2dbc;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryOptions;
import io.r2dbc.spi.IsolationLevel;
import io.r2dbc.spi.Option;
import io.r2dbc.spi.Row;
import io.r2dbc.spi.RowMetadata;
import io.r2dbc.spi.Statement;
import io.r2dbc.spi.TransactionDefinition;
import io.tributary.core.Secret;
import io.tributary.core.mapping.Columns;
import io.tributary.core.mapping.FieldValues;
import io.tributary.core.mapping.SourceRow;
import io.tributary.core.spi.Dialect;
import io.tributary.core.spi.SourceClient;
import io.tributary.core.template.BindMarkers;
import io.tributary.core.template.RenderedStatement;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A {@link SourceClient} for any R2DBC driver: one connection per run, the statement in a read-only transaction,
 * rows streamed with the driver's fetch size and copied out of the driver's row inside its callback. The
 * connection is given back (to its pool, or closed) on completion, error and cancel. Dialect modules supply the
 * driver options, the query for the database's clock, and value normalisation, through {@link #builder}.
 */
public final class R2dbcSourceClient implements SourceClient {

    private final ConnectionFactory factory;
    private final Dialect dialect;
    private final String nowQuery;
    private final R2dbcColumnReaders columnReaders;
    private final Function<Throwable, Throwable> errors;
    private final Mono<Void> release;
    private final RunSession session;

    private R2dbcSourceClient(Builder b, ConnectionFactory factory, Mono<Void> release) {
        this.factory = requireNonNull(factory, "factory must not be null");
        this.dialect = b.dialect;
        this.nowQuery = b.nowQuery;
        this.columnReaders = b.columnReaders;
        Secret password = b.password;
        this.errors = e -> R2dbcErrors.classify(e, password);
        this.release = release;
        this.session = b.session;
    }

    /**
     * @param nowQuery a query returning the database's current time in one column, e.g. {@code SELECT now()}
     * @param password used only to redact error messages
     */
    public static Builder builder(Dialect dialect, String nowQuery, Secret password) {
        return new Builder(dialect, nowQuery, password);
    }

    /** What a dialect tells the client; ends with {@link #pooled} (production) or {@link #build} (own factory). */
    public static final class Builder {
        private final Dialect dialect;
        private final String nowQuery;
        private final Secret password;
        private R2dbcColumnReaders columnReaders = R2dbcColumnReaders.DRIVER_DEFAULTS;
        private RunSession session = RunSession.NONE;

        private Builder(Dialect dialect, String nowQuery, Secret password) {
            this.dialect = requireNonNull(dialect, "dialect must not be null");
            this.nowQuery = requireNonNull(nowQuery, "nowQuery must not be null");
            this.password = requireNonNull(password, "password must not be null");
        }

        /** How each column is read from the driver's row, chosen once per result; default the driver's own types. */
        public Builder columnReaders(R2dbcColumnReaders columnReaders) {
            this.columnReaders = requireNonNull(columnReaders, "columnReaders must not be null");
            return this;
        }

        /**
         * What a shared pool's options cannot say per source: a statement run first in each run's transaction (the
         * session's name), and how to end a statement the run gave up on. Default: neither.
         */
        public Builder session(RunSession session) {
            this.session = requireNonNull(session, "session must not be null");
            return this;
        }

        /**
         * A client on the pool shared by every source with the same driver options (see
         * {@link SharedConnectionFactories}); closing the client releases its share.
         */
        public R2dbcSourceClient pooled(ConnectionFactoryOptions driverOptions) {
            SharedConnectionFactories.Lease lease = SharedConnectionFactories.INSTANCE.acquire(driverOptions);
            return new R2dbcSourceClient(this, lease.factory(), lease.release());
        }

        /** A client on a factory it owns: closing the client closes the factory when it can be closed. */
        public R2dbcSourceClient build(ConnectionFactory factory) {
            return new R2dbcSourceClient(this, factory, factory instanceof io.r2dbc.spi.Closeable closeable
                    ? Mono.defer(() -> Mono.from(closeable.close())) : Mono.empty());
        }
    }

    @Override
    public Flux<SourceRow> stream(RenderedStatement statement, List<Object> bindValues, int fetchSize) {
        requireNonNull(statement, "statement must not be null");
        statement.checkStreamArguments(bindValues, fetchSize);
        return withReadOnlyTransaction(connection -> {
            Statement st = connection.createStatement(statement.sql());
            BindMarkers markers = dialect.bindMarkers();
            for (int i = 0; i < bindValues.size(); i++) {
                Optional<String> name = markers.bindName(i, statement.parameters().get(i));
                if (name.isPresent()) {
                    st.bind(name.get(), bindValues.get(i));
                } else {
                    st.bind(i, bindValues.get(i));
                }
            }
            st.fetchSize(fetchSize);
            // one copier per result: a stored procedure may return results of different columns
            return Flux.from(st.execute()).concatMap(result -> result.map(new RowCopier()::copy));
        });
    }

    /**
     * One statement on a pooled connection, outside a transaction and without the preamble: the clock needs neither,
     * and an idle poll saves three round trips (begin, preamble, rollback) of the four it would otherwise take.
     */
    @Override
    public Mono<Instant> now() {
        return withConnection(connection -> Flux.from(connection.createStatement(nowQuery).execute())
                .concatMap(result -> result.map((row, meta) -> {
                    Object value = dialect.normalize(row.get(0));
                    return FieldValues.toInstant(requireNonNull(value, "the database's clock returned NULL"),
                            java.time.ZoneOffset.UTC).orElseThrow(() -> new IllegalStateException(
                                    "the database's clock returned " + value.getClass().getName()));
                })))
                // read to its end rather than cancelled after the first row: a result cancelled while the server still
                // sends it is one more way for a pooled connection to come back with a conversation in flight
                .reduce((first, more) -> first);
    }

    @Override
    public Mono<Void> close() {
        return release;
    }

    private <T> Flux<T> withReadOnlyTransaction(Function<Connection, Flux<T>> work) {
        return Flux.usingWhen(
                Mono.from(factory.create()).map(connection -> new Held(connection, RunSession.newTag())),
                held -> {
                    String preamble = session.preamble(held.tag());
                    return Mono.from(held.connection().beginTransaction(ReadOnly.INSTANCE))
                            .then(preamble == null ? Mono.empty() : Flux.from(held.connection().createStatement(preamble)
                                    .execute()).concatMap(r -> r.getRowsUpdated()).then())
                            .thenMany(Flux.defer(() -> work.apply(held.connection())));
                },
                // read-only: nothing to commit; ending the transaction releases the snapshot
                held -> Mono.from(held.connection().rollbackTransaction()).onErrorResume(e -> Mono.empty())
                        .then(closeQuietly(held.connection())),
                (held, error) -> closeQuietly(held.connection()),
                // given up before the end (query timeout, cancel, row cap): the server ends the statement first, so
                // that the connection comes back free instead of running on and starving the pool
                held -> Mono.from(session.cancel(held.tag())).onErrorResume(e -> Mono.empty())
                        .then(closeQuietly(held.connection())))
                .onErrorMap(errors);
    }

    /** A run's connection and the tag its session is known by. */
    private record Held(Connection connection, String tag) {
    }

    private <T> Flux<T> withConnection(Function<Connection, Flux<T>> work) {
        return Flux.usingWhen(Mono.from(factory.create()), work, R2dbcSourceClient::closeQuietly,
                (connection, error) -> closeQuietly(connection), R2dbcSourceClient::closeQuietly)
                .onErrorMap(errors);
    }

    private static Mono<Void> closeQuietly(Connection connection) {
        return Mono.from(connection.close()).onErrorResume(e -> Mono.empty());
    }

    /** Copies a driver row into a {@link SourceRow}, sharing one {@link Columns} and its readers across a result. */
    private final class RowCopier {
        private @Nullable Columns columns;
        private R2dbcColumnReaders.ColumnReader[] readers = new R2dbcColumnReaders.ColumnReader[0];

        SourceRow copy(Row row, RowMetadata metadata) {
            Columns cols = columns;
            if (cols == null) {
                List<String> names = new ArrayList<>();
                List<R2dbcColumnReaders.ColumnReader> chosen = new ArrayList<>();
                metadata.getColumnMetadatas().forEach(c -> {
                    names.add(c.getName());
                    chosen.add(columnReaders.forColumn(c));
                });
                cols = Columns.of(names);
                readers = chosen.toArray(R2dbcColumnReaders.ColumnReader[]::new);
                columns = cols;
            }
            Object[] values = new Object[cols.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = dialect.normalize(readers[i].read(row, i));
            }
            return new SourceRow(cols, values);
        }
    }

    /** {@code BEGIN READ ONLY}: a statement that writes fails with the server's own message. */
    private enum ReadOnly implements TransactionDefinition {
        INSTANCE;

        @Override
        @SuppressWarnings("unchecked")
        public <T> @Nullable T getAttribute(Option<T> option) {
            if (option.equals(TransactionDefinition.READ_ONLY)) {
                return (T) Boolean.TRUE;
            }
            if (option.equals(TransactionDefinition.ISOLATION_LEVEL)) {
                return (T) IsolationLevel.READ_COMMITTED;
            }
            return null;
        }
    }
}
