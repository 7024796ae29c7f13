package io.tributary.dialect.snowflake;

import java.time.Duration;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import io.tributary.core.SourceDefinition;

/**
 * A small HikariCP pool per source: a run uses one connection, the clock query another at most, and an idle source
 * holds none for long (an open Snowflake session costs nothing, but a warehouse only runs while queries do). Created
 * without connecting; a wrong password shows on the first run, not at start-up.
 */
final class SnowflakePool {

    static final int MAXIMUM_SIZE = 2;
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(30);
    /** A login to Snowflake takes a few round trips to the cloud service. */
    static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(30);
    static final Duration MAX_LIFETIME = Duration.ofMinutes(30);

    private SnowflakePool() {
    }

    /** @param login where connections come from, with every property and secret; the pool sees none of them */
    static HikariConfig config(SourceDefinition source, SnowflakeDataSource login) {
        HikariConfig c = new HikariConfig();
        c.setPoolName("tributary-snowflake-" + source.id());
        c.setDataSource(login);
        c.setMaximumPoolSize(MAXIMUM_SIZE);
        c.setMinimumIdle(0);
        c.setIdleTimeout(IDLE_TIMEOUT.toMillis());
        c.setConnectionTimeout(CONNECTION_TIMEOUT.toMillis());
        c.setMaxLifetime(MAX_LIFETIME.toMillis());
        // do not connect at start: the source may be down, and that is a run's failure to report, not a crash
        c.setInitializationFailTimeout(-1);
        // every run turns it off itself; starting there spares Hikari a reset round trip per return
        c.setAutoCommit(false);
        return c;
    }

    static HikariDataSource create(SourceDefinition source, SnowflakeDataSource login) {
        return new HikariDataSource(config(source, login));
    }
}
