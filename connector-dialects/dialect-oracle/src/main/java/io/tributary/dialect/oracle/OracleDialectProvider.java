package io.tributary.dialect.oracle;

import java.time.Duration;

import com.zaxxer.hikari.HikariConfig;

import io.tributary.core.ConnectorException;
import io.tributary.core.SourceDefinition;
import io.tributary.core.jdbc.JdbcPool;
import io.tributary.core.jdbc.JdbcSourceClient;
import io.tributary.core.spi.Dialect;
import io.tributary.core.spi.DialectProvider;
import io.tributary.core.spi.SourceClient;

/**
 * Oracle sources on ojdbc11 through the JDBC bridge. URLs: {@code oracle://host:1521/service} or any
 * {@code jdbc:oracle:thin:@...} form. Each run borrows a connection from a two-connection pool, sets the session
 * time zone to the source's, runs {@code SET TRANSACTION READ ONLY}, and streams with the fetch size.
 */
public final class OracleDialectProvider implements DialectProvider {

    static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(10);

    @Override
    public String name() {
        return "oracle";
    }

    @Override
    public boolean supports(String url) {
        return OracleUrls.supports(url);
    }

    @Override
    public Dialect dialect() {
        return OracleDialect.INSTANCE;
    }

    @Override
    public SourceClient connect(SourceDefinition source) {
        String jdbcUrl;
        try {
            jdbcUrl = OracleUrls.toJdbc(source.url());
        } catch (IllegalArgumentException e) {
            throw new ConnectorException.Permanent("source " + source.id() + ": " + e.getMessage(), e);
        }
        if (source.username().isEmpty()) {
            throw new ConnectorException.Permanent("source " + source.id() + ": Oracle needs a login: set the source's USERNAME");
        }
        return JdbcSourceClient.builder(JdbcPool.open("Oracle", source, pool(source, jdbcUrl), source.password()),
                        OracleDialect.INSTANCE, OracleDialect.NOW_QUERY)
                .hooks(new OracleHooks(source.timezone()))
                .password(source.password())
                .build();
    }

    /** The shared pool settings, plus Oracle's: the program name in v$session and the driver's own connect timeout. */
    static HikariConfig pool(SourceDefinition source, String jdbcUrl) {
        HikariConfig c = JdbcPool.forUrl("Oracle", source, jdbcUrl, CONNECTION_TIMEOUT);
        c.addDataSourceProperty("v$session.program", "tributary");
        c.addDataSourceProperty("oracle.net.CONNECT_TIMEOUT", String.valueOf(CONNECTION_TIMEOUT.toMillis()));
        return c;
    }
}
