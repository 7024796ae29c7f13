package io.tributary.testkit;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

import io.tributary.core.SourceDefinition;
import io.tributary.core.mapping.Columns;
import io.tributary.core.mapping.SourceRow;
import io.tributary.core.spi.Dialect;
import io.tributary.core.spi.DialectProvider;
import io.tributary.core.spi.SourceClient;
import io.tributary.core.template.BindMarkers;
import io.tributary.core.template.RenderedStatement;
import io.tributary.core.template.SqlSyntax;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A source without a database, for tests of the pipeline: its rows are produced by a function of the bound
 * values, its clock is settable, and it records every statement it was asked to run. URL scheme
 * {@code scripted:}.
 */
public final class ScriptedSource implements DialectProvider, SourceClient {

    /** What the source was asked to run. */
    public record Call(String sql, List<Object> binds) {
    }

    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2024-01-01T00:00:00Z"));
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private volatile Function<List<Object>, Flux<SourceRow>> rows = binds -> Flux.empty();

    public static final Dialect DIALECT = new Dialect() {
        @Override
        public String name() {
            return "scripted";
        }

        @Override
        public SqlSyntax syntax() {
            return SqlSyntax.STANDARD;
        }

        @Override
        public BindMarkers bindMarkers() {
            return BindMarkers.QUESTION_MARK;
        }
    };

    public void now(Instant instant) {
        now.set(instant);
    }

    /** The rows each run returns, as a function of the bound values (window bounds as {@code OffsetDateTime}). */
    public void rows(Function<List<Object>, Flux<SourceRow>> producer) {
        this.rows = producer;
    }

    public List<Call> calls() {
        return new ArrayList<>(calls);
    }

    /** A row of the given columns; {@code values} in column order. */
    public static SourceRow row(Columns columns, @Nullable Object... values) {
        return new SourceRow(columns, values);
    }

    @Override
    public String name() {
        return "scripted";
    }

    @Override
    public boolean supports(String url) {
        return url.startsWith("scripted:");
    }

    @Override
    public Dialect dialect() {
        return DIALECT;
    }

    @Override
    public SourceClient connect(SourceDefinition source) {
        return this;
    }

    @Override
    public Flux<SourceRow> stream(RenderedStatement statement, List<Object> bindValues, int fetchSize) {
        return Flux.defer(() -> {
            calls.add(new Call(statement.sql(), List.copyOf(bindValues)));
            return rows.apply(bindValues);
        });
    }

    @Override
    public Mono<Instant> now() {
        return Mono.fromSupplier(now::get);
    }

    @Override
    public Mono<Void> close() {
        return Mono.empty();
    }
}
