package io.tributary.dialect.oracle;

import java.time.Duration;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import io.tributary.core.SourceDefinition;

/**
 * A small HikariCP pool per source: a run uses one connection, the clock query another at most, and idle sources
 * hold none for long. Created without connecting; a bad password shows on the first run, not at start-up.
 */
final class OraclePool {

    static final int MAXIMUM_SIZE = 2;
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(30);
    static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(10);
    static final Duration MAX_LIFETIME = Duration.ofMinutes(30);

    private OraclePool() {
    }

    static HikariConfig config(SourceDefinition source, String jdbcUrl) {
        HikariConfig c = new HikariConfig();
        c.setPoolName("tributary-oracle-" + source.id());
        c.setJdbcUrl(jdbcUrl);
        c.setUsername(source.username());
        c.setPassword(source.password().reveal());
        c.setMaximumPoolSize(MAXIMUM_SIZE);
        c.setMinimumIdle(0);
        c.setIdleTimeout(IDLE_TIMEOUT.toMillis());
        c.setConnectionTimeout(CONNECTION_TIMEOUT.toMillis());
        c.setMaxLifetime(MAX_LIFETIME.toMillis());
        // do not connect at start: the source may be down, and that is a run's failure to report, not a crash
        c.setInitializationFailTimeout(-1);
        // every run turns it off itself; starting there spares Hikari a reset round trip per return
        c.setAutoCommit(false);
        c.addDataSourceProperty("v$session.program", "tributary");
        c.addDataSourceProperty("oracle.net.CONNECT_TIMEOUT", String.valueOf(CONNECTION_TIMEOUT.toMillis()));
        return c;
    }

    static HikariDataSource create(SourceDefinition source, String jdbcUrl) {
        return new HikariDataSource(config(source, jdbcUrl));
    }
}
