package io.tributary.core.r2dbc;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import io.r2dbc.spi.ConnectionFactoryOptions;
import io.tributary.core.ConnectorException;
import io.tributary.core.SourceDefinition;

/**
 * The driver options every R2DBC dialect starts from: the URL's, the source's login, a connect timeout. A dialect
 * adds its own options to the builder these return and hands the result to
 * {@link R2dbcSourceClient.Builder#pooled}, whose pools are keyed by the options' equality: give options values that
 * compare by value (a {@code String} rather than a {@code String[]}), or sources with equal settings will not share.
 */
public final class R2dbcOptions {

    /** How long opening a connection may take, unless the URL says otherwise. */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private R2dbcOptions() {
    }

    /**
     * The options of an {@code r2dbc:} URL.
     *
     * @param database the database's name as users know it, for the message
     * @throws ConnectorException.Permanent naming the source and the database, without the password
     */
    public static ConnectionFactoryOptions parse(SourceDefinition source, String database, String r2dbcUrl) {
        requireNonNull(source, "source must not be null");
        requireNonNull(database, "database must not be null");
        requireNonNull(r2dbcUrl, "r2dbcUrl must not be null");
        try {
            return ConnectionFactoryOptions.parse(r2dbcUrl);
        } catch (IllegalArgumentException e) {
            throw new ConnectorException.Permanent("source " + source.id() + ": invalid " + database + " URL: "
                    + source.password().redact(String.valueOf(e.getMessage())), e);
        }
    }

    /**
     * {@code parsed} with the source's username and password where they are set (they win over the URL's), and
     * {@code connectTimeout} unless the URL sets one.
     *
     * @param connectTimeout {@code null} to leave the driver's own (an in-process database has nothing to wait for)
     */
    public static ConnectionFactoryOptions.Builder withLogin(ConnectionFactoryOptions parsed, SourceDefinition source,
            @Nullable Duration connectTimeout) {
        requireNonNull(parsed, "parsed must not be null");
        requireNonNull(source, "source must not be null");
        ConnectionFactoryOptions.Builder options = parsed.mutate();
        if (connectTimeout != null && !parsed.hasOption(ConnectionFactoryOptions.CONNECT_TIMEOUT)) {
            options.option(ConnectionFactoryOptions.CONNECT_TIMEOUT, connectTimeout);
        }
        if (!source.username().isEmpty()) {
            options.option(ConnectionFactoryOptions.USER, source.username());
        }
        if (!source.password().isEmpty()) {
            options.option(ConnectionFactoryOptions.PASSWORD, source.password().reveal());
        }
        return options;
    }
}
