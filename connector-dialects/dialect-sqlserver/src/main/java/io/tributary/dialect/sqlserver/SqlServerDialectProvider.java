package io.tributary.dialect.sqlserver;

import io.r2dbc.mssql.MssqlConnectionFactoryProvider;
import io.r2dbc.spi.ConnectionFactoryOptions;
import io.tributary.core.ConnectorException;
import io.tributary.core.SourceDefinition;
import io.tributary.core.r2dbc.R2dbcOptions;
import io.tributary.core.r2dbc.R2dbcSourceClient;
import io.tributary.core.spi.Dialect;
import io.tributary.core.spi.DialectProvider;
import io.tributary.core.spi.SourceClient;

/**
 * SQL Server 2005+ and Azure SQL sources on r2dbc-mssql. URLs: {@code sqlserver://host:1433/db},
 * {@code r2dbc:mssql://...} with driver options as query parameters, or {@code jdbc:sqlserver://host:1433;databaseName=db}.
 * Statements run as server cursors fetching {@code fetchSize} rows at a time (a procedure that cannot be cursored
 * is streamed directly by the server), inside a transaction at READ COMMITTED: SQL Server has no read-only
 * transaction, so the login's grants are the guard. On Azure SQL Database the login becomes {@code user@server}.
 */
public final class SqlServerDialectProvider implements DialectProvider {

    @Override
    public String name() {
        return "sqlserver";
    }

    @Override
    public boolean supports(String url) {
        return SqlServerUrls.supports(url);
    }

    @Override
    public Dialect dialect() {
        return SqlServerDialect.INSTANCE;
    }

    /**
     * The session's application name is the source's, set at login, so each source has a pool of its own unless the
     * URL names the application (then sources with the same URL and login share).
     */
    @Override
    public SourceClient connect(SourceDefinition source) {
        ConnectionFactoryOptions options = options(source);
        try {
            // the driver checks its options only when it builds a factory: refuse them now, not at the first run
            new MssqlConnectionFactoryProvider().create(options);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new ConnectorException.Permanent("source " + source.id() + ": invalid SQL Server settings: "
                    + source.password().redact(e.getMessage()), e);
        }
        return R2dbcSourceClient.builder(SqlServerDialect.INSTANCE, SqlServerDialect.NOW_QUERY, source.password())
                .pooled(options)
                .mapErrors(SqlServerErrors::explain);
    }

    /** The driver options for {@code source}: its URL's, plus login, application name and connect timeout. */
    static ConnectionFactoryOptions options(SourceDefinition source) {
        ConnectionFactoryOptions parsed;
        try {
            parsed = SqlServerUrls.parse(source.url());
        } catch (IllegalArgumentException e) {
            throw new ConnectorException.Permanent("source " + source.id() + ": " + e.getMessage(), e);
        }
        String host = String.valueOf(parsed.getRequiredValue(ConnectionFactoryOptions.HOST));
        Object urlUser = parsed.getValue(ConnectionFactoryOptions.USER);
        String user = !source.username().isEmpty() ? source.username() : urlUser == null ? "" : urlUser.toString();
        if (user.isEmpty()) {
            throw new ConnectorException.Permanent("source " + source.id() + ": SQL Server needs a login: set the "
                    + "source's USERNAME (Windows authentication is not supported by r2dbc-mssql)");
        }
        ConnectionFactoryOptions.Builder b = R2dbcOptions.withLogin(parsed, source, R2dbcOptions.CONNECT_TIMEOUT)
                .option(ConnectionFactoryOptions.USER, SqlServerAzure.loginName(host, user))
                .option(ConnectionFactoryOptions.PASSWORD, source.password().reveal());
        if (!parsed.hasOption(MssqlConnectionFactoryProvider.APPLICATION_NAME)) {
            b.option(MssqlConnectionFactoryProvider.APPLICATION_NAME, "tributary:" + source.id());
        }
        return b.build();
    }
}
