package io.tributary.core.jdbc;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Locale;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import io.tributary.core.ConnectorException;
import io.tributary.core.Secret;
import io.tributary.core.SourceDefinition;

/**
 * The small HikariCP pool of one JDBC source: a run uses one connection, the clock query another at most, and an
 * idle source holds none for long. Created without connecting, so a source that is down or a wrong password shows
 * on the first run, not at start-up. Pools are per source, not shared: the JDBC dialects name their sessions after
 * the source (Snowflake's query tag), and a JDBC source holds at most {@value #MAXIMUM_SIZE} connections anyway.
 * <p>
 * A dialect builds the configuration with {@link #forUrl} or {@link #forDataSource}, adds what is particular to
 * its driver, and opens it with {@link #open}; the {@link JdbcSourceClient} then owns and closes the pool.
 */
public final class JdbcPool {

    /** Connections per source at most: one run and one clock query. */
    public static final int MAXIMUM_SIZE = 2;

    /** Connections idle longer than this are closed. */
    public static final Duration IDLE_TIMEOUT = Duration.ofSeconds(30);

    /** Connections are replaced after this, so that server-side changes (failover, password) are picked up. */
    public static final Duration MAX_LIFETIME = Duration.ofMinutes(30);

    private JdbcPool() {
    }

    /**
     * A pool that connects to {@code jdbcUrl} with the source's username and password.
     *
     * @param database          the database's name as users know it, e.g. {@code Oracle}; the pool is named after it
     * @param connectionTimeout how long a run waits for a connection, login included
     */
    public static HikariConfig forUrl(String database, SourceDefinition source, String jdbcUrl, Duration connectionTimeout) {
        requireNonNull(jdbcUrl, "jdbcUrl must not be null");
        HikariConfig c = common(database, source, connectionTimeout);
        c.setJdbcUrl(jdbcUrl);
        c.setUsername(source.username());
        c.setPassword(source.password().reveal());
        return c;
    }

    /**
     * A pool that takes its connections from {@code login}, which holds every property and secret: the pool sees
     * none of them (HikariCP prints data source properties at DEBUG and masks only one named {@code password}).
     */
    public static HikariConfig forDataSource(String database, SourceDefinition source, DataSource login,
            Duration connectionTimeout) {
        requireNonNull(login, "login must not be null");
        HikariConfig c = common(database, source, connectionTimeout);
        c.setDataSource(login);
        return c;
    }

    /**
     * Opens the pool without connecting.
     *
     * @param redacted the secret to keep out of the message should the configuration be refused
     * @throws ConnectorException.Permanent when HikariCP refuses the configuration, without the secret
     */
    public static HikariDataSource open(String database, SourceDefinition source, HikariConfig config, Secret redacted) {
        requireNonNull(config, "config must not be null");
        requireNonNull(redacted, "redacted must not be null");
        try {
            return new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new ConnectorException.Permanent("source " + source.id() + ": invalid " + database + " settings: "
                    + redacted.redact(String.valueOf(e.getMessage())), e);
        }
    }

    private static HikariConfig common(String database, SourceDefinition source, Duration connectionTimeout) {
        requireNonNull(database, "database must not be null");
        requireNonNull(source, "source must not be null");
        requireNonNull(connectionTimeout, "connectionTimeout must not be null");
        if (connectionTimeout.isNegative() || connectionTimeout.isZero()) {
            throw new IllegalArgumentException("connectionTimeout > 0 required but it was " + connectionTimeout);
        }
        HikariConfig c = new HikariConfig();
        c.setPoolName("tributary-" + database.toLowerCase(Locale.ROOT) + "-" + source.id());
        c.setMaximumPoolSize(MAXIMUM_SIZE);
        c.setMinimumIdle(0);
        c.setIdleTimeout(IDLE_TIMEOUT.toMillis());
        c.setConnectionTimeout(connectionTimeout.toMillis());
        c.setMaxLifetime(MAX_LIFETIME.toMillis());
        // do not connect at start: the source may be down, and that is a run's failure to report, not a crash
        c.setInitializationFailTimeout(-1);
        // every run turns it off itself; starting there spares Hikari a reset round trip per return
        c.setAutoCommit(false);
        return c;
    }
}
