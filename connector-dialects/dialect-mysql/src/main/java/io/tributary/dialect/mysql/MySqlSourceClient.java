package io.tributary.dialect.mysql;

import java.time.Instant;
import java.util.List;

import io.tributary.core.mapping.SourceRow;
import io.tributary.core.r2dbc.R2dbcSourceClient;
import io.tributary.core.spi.SourceClient;
import io.tributary.core.template.RenderedStatement;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The generic R2DBC client with MySQL's error codes classified (see {@link MySqlErrors}). */
final class MySqlSourceClient implements SourceClient {

    private final R2dbcSourceClient delegate;

    MySqlSourceClient(R2dbcSourceClient delegate) {
        this.delegate = delegate;
    }

    @Override
    public Flux<SourceRow> stream(RenderedStatement statement, List<Object> bindValues, int fetchSize) {
        return delegate.stream(statement, bindValues, fetchSize).onErrorMap(MySqlErrors::refine);
    }

    @Override
    public Mono<Instant> now() {
        return delegate.now().onErrorMap(MySqlErrors::refine);
    }

    @Override
    public Mono<Void> close() {
        return delegate.close();
    }
}
