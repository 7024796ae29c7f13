package io.tributary.dialect.mysql;

import java.time.Clock;
import java.time.ZoneOffset;

import io.asyncer.r2dbc.mysql.MySqlConnectionFactoryProvider;
import io.r2dbc.spi.ConnectionFactoryOptions;
import io.r2dbc.spi.Option;
import io.tributary.core.ConnectorException;
import io.tributary.core.SourceDefinition;
import io.tributary.core.r2dbc.R2dbcOptions;
import io.tributary.core.r2dbc.R2dbcSourceClient;
import io.tributary.core.spi.Dialect;
import io.tributary.core.spi.DialectProvider;
import io.tributary.core.spi.SourceClient;

/**
 * MySQL 5.7 / 8.x and MariaDB 10.x sources on r2dbc-mysql. URLs: {@code mysql://host:3306/db},
 * {@code mariadb://...}, {@code r2dbc:mysql://...}, {@code r2dbc:mariadb://...}, {@code jdbc:mysql://...} or
 * {@code jdbc:mariadb://...}, with r2dbc-mysql options as query parameters.
 * <p>
 * The session's {@code time_zone} is always a fixed offset, which every server knows without time zone tables: the
 * source zone's offset for the run's window ({@link MySqlLocalWindow}), so that {@code DATETIME} bounds,
 * {@code TIMESTAMP} comparisons and the reading of {@code TIMESTAMP} values agree, and region zones with daylight
 * saving time work on servers without the tables.
 * Rows stream over the text protocol: the server writes the result as it produces it and the client reads only as
 * fast as rows are consumed, so memory stays bounded whatever the result's size.
 */
public final class MySqlDialectProvider implements DialectProvider {

    /**
     * Seconds the server waits for the client to read before it aborts a streaming query. A slow sink stalls
     * reading; MySQL's default of 60 s would turn a store hiccup into a failed run (Connector/J uses 600 too).
     */
    static final int NET_WRITE_TIMEOUT_SECONDS = 600;

    /**
     * The driver's session variables as text, the form a URL gives them in: a {@code String[]} compares by identity,
     * and pools are keyed by the options' equality, so sources with equal settings would never share.
     */
    static final Option<String> SESSION_VARIABLES_TEXT = Option.valueOf(MySqlConnectionFactoryProvider.SESSION_VARIABLES.name());

    @Override
    public String name() {
        return "mysql";
    }

    @Override
    public boolean supports(String url) {
        return MySqlUrls.supports(url);
    }

    @Override
    public Dialect dialect() {
        return MySqlDialect.INSTANCE;
    }

    @Override
    public SourceClient connect(SourceDefinition source) {
        String url = MySqlUrls.toR2dbc(source.url()).orElseThrow(() -> new ConnectorException.Permanent(
                "source " + source.id() + ": not a MySQL URL; expected mysql://host:3306/database"));
        ConnectionFactoryOptions parsed = R2dbcOptions.parse(source, "MySQL", url);
        ConnectionFactoryOptions.Builder options = R2dbcOptions.withLogin(parsed, source, R2dbcOptions.CONNECT_TIMEOUT)
                // TINYINT(1) is read as a number and becomes a boolean only when it is 0 or 1 (MySqlColumnReaders)
                .option(MySqlConnectionFactoryProvider.TINY_INT_1_IS_BIT, false)
                // a source connector never creates a database, whatever the URL asks
                .option(MySqlConnectionFactoryProvider.CREATE_DATABASE_IF_NOT_EXIST, false)
                .option(MySqlConnectionFactoryProvider.TCP_KEEP_ALIVE, true);
        if (!parsed.hasOption(MySqlConnectionFactoryProvider.SESSION_VARIABLES)) {
            options.option(SESSION_VARIABLES_TEXT, "net_write_timeout=" + NET_WRITE_TIMEOUT_SECONDS);
        }
        ConnectionFactoryOptions common = options.build();
        return new MySqlSourceClient(source.timezone(), offset -> session(common, offset, source), Clock.systemUTC());
    }

    /**
     * A client whose sessions run at {@code offset}: the driver sets {@code time_zone} on connect, so a connection
     * keeps its offset for life, and sources with the same URL, login and offset share one pool (two sources in
     * different zones share while their offsets agree). A run cancelled mid-stream (the row cap) leaves its connection
     * reading the rest of the result, as r2dbc-mysql does whether the connection is closed or pooled; it goes back to
     * the pool when done, and meanwhile the pool's other connections serve the next runs.
     */
    private static SourceClient session(ConnectionFactoryOptions common, ZoneOffset offset, SourceDefinition source) {
        ConnectionFactoryOptions options = common.mutate()
                .option(MySqlConnectionFactoryProvider.CONNECTION_TIME_ZONE, sessionZone(offset))
                .option(MySqlConnectionFactoryProvider.FORCE_CONNECTION_TIME_ZONE_TO_SESSION, true)
                .build();
        return R2dbcSourceClient.builder(MySqlDialect.INSTANCE, MySqlDialect.NOW_QUERY, source.password())
                .columnReaders(new MySqlColumnReaders(offset))
                .pooled(options)
                .mapErrors(MySqlErrors::refine);
    }

    /** The offset as MySQL writes it: {@code +00:00} rather than java.time's {@code Z}. */
    static String sessionZone(ZoneOffset offset) {
        return offset.getTotalSeconds() == 0 ? "+00:00" : offset.getId();
    }
}
