package io.tributary.dialect.sqlserver;

import java.time.Instant;
import java.util.List;

import io.tributary.core.mapping.SourceRow;
import io.tributary.core.r2dbc.R2dbcSourceClient;
import io.tributary.core.spi.SourceClient;
import io.tributary.core.template.RenderedStatement;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The generic R2DBC client, with r2dbc-mssql's unreadable column types explained (see {@link SqlServerErrors}). */
final class SqlServerSourceClient implements SourceClient {

    private final R2dbcSourceClient delegate;

    SqlServerSourceClient(R2dbcSourceClient delegate) {
        this.delegate = delegate;
    }

    @Override
    public Flux<SourceRow> stream(RenderedStatement statement, List<Object> bindValues, int fetchSize) {
        return delegate.stream(statement, bindValues, fetchSize).onErrorMap(SqlServerErrors::explain);
    }

    @Override
    public Mono<Instant> now() {
        return delegate.now().onErrorMap(SqlServerErrors::explain);
    }

    @Override
    public Mono<Void> close() {
        return delegate.close();
    }
}
