package io.tributary.dialect.postgresql;

import java.util.List;
import java.util.TimeZone;

import io.r2dbc.postgresql.PostgresqlConnectionFactoryProvider;
import io.r2dbc.postgresql.extension.Extension;
import io.r2dbc.spi.ConnectionFactoryOptions;
import io.tributary.core.ConnectorException;
import io.tributary.core.SourceDefinition;
import io.tributary.core.r2dbc.R2dbcOptions;
import io.tributary.core.r2dbc.R2dbcSourceClient;
import io.tributary.core.spi.Dialect;
import io.tributary.core.spi.DialectProvider;
import io.tributary.core.spi.SourceClient;

/**
 * PostgreSQL sources on r2dbc-postgresql. URLs: {@code postgresql://host:5432/db}, {@code postgres://...},
 * {@code r2dbc:postgresql://...} or {@code jdbc:postgresql://...}, with driver options as query parameters.
 */
public final class PostgresDialectProvider implements DialectProvider {

    @Override
    public String name() {
        return "postgresql";
    }

    @Override
    public boolean supports(String url) {
        return PostgresUrls.supports(url);
    }

    @Override
    public Dialect dialect() {
        return PostgresDialect.INSTANCE;
    }

    @Override
    public SourceClient connect(SourceDefinition source) {
        String url = PostgresUrls.toR2dbc(source.url()).orElseThrow(() -> new ConnectorException.Permanent(
                "source " + source.id() + ": not a PostgreSQL URL; expected postgresql://host:5432/database"));
        ConnectionFactoryOptions parsed = R2dbcOptions.parse(source, "PostgreSQL", url);
        ConnectionFactoryOptions options = R2dbcOptions.withLogin(parsed, source, R2dbcOptions.CONNECT_TIMEOUT)
                // zone-less timestamp columns compare with the bound timestamptz in the source's zone
                .option(PostgresqlConnectionFactoryProvider.TIME_ZONE, TimeZone.getTimeZone(source.timezone()))
                .option(PostgresqlConnectionFactoryProvider.APPLICATION_NAME, "tributary")
                .option(PostgresqlConnectionFactoryProvider.FETCH_SIZE, source.fetchSize())
                // timestamps read as text with a fast parser; the values are the driver's own
                .option(PostgresqlConnectionFactoryProvider.EXTENSIONS, List.<Extension>of(PostgresTimestamps.INSTANCE))
                .build();
        // sources with identical settings share one pool; it holds no connection for long between runs
        return R2dbcSourceClient.builder(PostgresDialect.INSTANCE, PostgresDialect.NOW_QUERY, source.password())
                .columnReaders(PostgresColumnReaders.INSTANCE)
                .session(new PostgresRunSession(source, options))
                .pooled(options);
    }

}
