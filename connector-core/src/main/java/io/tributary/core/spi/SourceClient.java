package io.tributary.core.spi;

import java.time.Instant;
import java.util.List;
import java.util.function.Function;

import io.tributary.core.mapping.SourceRow;
import io.tributary.core.template.RenderedStatement;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The I/O part of a database's support: one per source. Implementations stream with backpressure (a cursor or
 * fetch size, never the whole result in memory), run the statement in a read-only transaction where the database
 * allows it, and release the connection on completion, error and cancel. Errors are
 * {@link io.tributary.core.ConnectorException}s whose messages hold no secrets.
 */
public interface SourceClient {

    /**
     * Runs the statement and streams its rows. Nothing happens until subscription.
     *
     * @param statement  SQL with the dialect's bind markers
     * @param bindValues one value per marker, in marker order
     * @param fetchSize  rows per round trip
     */
    Flux<SourceRow> stream(RenderedStatement statement, List<Object> bindValues, int fetchSize);

    /** The source database's clock: the upper bound of a window comes from it, not from this machine. */
    Mono<Instant> now();

    /** Releases pools and other resources. */
    Mono<Void> close();

    /**
     * This client with its failures passed through {@code refine}: a dialect's way to class errors the generic
     * client cannot (a vendor's error codes), without wrapping the client in a class of its own.
     */
    default SourceClient mapErrors(Function<Throwable, Throwable> refine) {
        SourceClient delegate = this;
        return new SourceClient() {
            @Override
            public Flux<SourceRow> stream(RenderedStatement statement, List<Object> bindValues, int fetchSize) {
                return delegate.stream(statement, bindValues, fetchSize).onErrorMap(refine);
            }

            @Override
            public Mono<Instant> now() {
                return delegate.now().onErrorMap(refine);
            }

            @Override
            public Mono<Void> close() {
                return delegate.close();
            }
        };
    }
}
