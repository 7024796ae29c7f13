package io.tributary.dialect.sqlserver;

import static io.r2dbc.spi.ConnectionFactoryOptions.CONNECT_TIMEOUT;
import static io.r2dbc.spi.ConnectionFactoryOptions.DATABASE;
import static io.r2dbc.spi.ConnectionFactoryOptions.DRIVER;
import static io.r2dbc.spi.ConnectionFactoryOptions.HOST;
import static io.r2dbc.spi.ConnectionFactoryOptions.LOCK_WAIT_TIMEOUT;
import static io.r2dbc.spi.ConnectionFactoryOptions.PASSWORD;
import static io.r2dbc.spi.ConnectionFactoryOptions.PORT;
import static io.r2dbc.spi.ConnectionFactoryOptions.SSL;
import static io.r2dbc.spi.ConnectionFactoryOptions.USER;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.r2dbc.mssql.MssqlConnectionFactory;
import io.r2dbc.mssql.MssqlConnectionFactoryProvider;
import io.r2dbc.spi.ConnectionFactoryOptions;
import io.tributary.core.Secret;
import io.tributary.core.SourceDefinition;

class SqlServerDialectProviderTest {

    private static final String STATEMENT = "SELECT 1 AS reference";

    private static SourceDefinition source(String url, String user) {
        return SourceDefinition.builder("sales", url, STATEMENT).credentials(user, Secret.of("pa55;word")).build();
    }

    private static ConnectionFactoryOptions options(String url, String user) {
        return SqlServerDialectProvider.options(source(url, user));
    }

    @Test
    void aPlainUrlGetsTheSourcesLoginAnApplicationNameAndAConnectTimeout() {
        ConnectionFactoryOptions o = options("sqlserver://db.example.com:1444/sales?trustServerCertificate=true", "reader");

        assertThat(o.getValue(DRIVER)).isEqualTo("mssql");
        assertThat(o.getValue(HOST)).isEqualTo("db.example.com");
        assertThat(o.getValue(PORT)).isEqualTo(1444);
        assertThat(o.getValue(DATABASE)).isEqualTo("sales");
        assertThat(o.getValue(USER)).isEqualTo("reader");
        assertThat(o.getValue(PASSWORD)).hasToString("pa55;word");
        assertThat(o.getValue(MssqlConnectionFactoryProvider.APPLICATION_NAME)).isEqualTo("tributary:sales");
        assertThat(o.getValue(CONNECT_TIMEOUT)).isEqualTo(Duration.ofSeconds(10));
        assertThat(o.getValue(MssqlConnectionFactoryProvider.TRUST_SERVER_CERTIFICATE)).isEqualTo("true");
        assertThat(o.toString()).doesNotContain("pa55;word");
    }

    @Test
    void theJdbcFormsPropertiesBecomeDriverOptions() {
        ConnectionFactoryOptions o = options("jdbc:sqlserver://sql.example.com:1433;databaseName=sales;encrypt=true;"
                + "trustServerCertificate=false;hostNameInCertificate=*.example.com;loginTimeout=30;lockTimeout=5000;"
                + "applicationName={tributary;sales};applicationIntent=ReadWrite;", "reader");

        assertThat(o.getValue(HOST)).isEqualTo("sql.example.com");
        assertThat(o.getValue(PORT)).isEqualTo(1433);
        assertThat(o.getValue(DATABASE)).isEqualTo("sales");
        assertThat(o.getValue(SSL)).isEqualTo(true);
        assertThat(o.getValue(MssqlConnectionFactoryProvider.TRUST_SERVER_CERTIFICATE)).isEqualTo(false);
        assertThat(o.getValue(MssqlConnectionFactoryProvider.HOSTNAME_IN_CERTIFICATE)).isEqualTo("*.example.com");
        assertThat(o.getValue(CONNECT_TIMEOUT)).isEqualTo(Duration.ofSeconds(30));
        assertThat(o.getValue(LOCK_WAIT_TIMEOUT)).isEqualTo(Duration.ofMillis(5000));
        assertThat(o.getValue(MssqlConnectionFactoryProvider.APPLICATION_NAME)).isEqualTo("tributary;sales");
    }

    @Test
    void theJdbcFormMayNameTheServerAsAPropertyAndTheUserToo() {
        ConnectionFactoryOptions o = options("jdbc:sqlserver://;serverName=db;portNumber=1500;database=sales;user=reader", "");

        assertThat(o.getValue(HOST)).isEqualTo("db");
        assertThat(o.getValue(PORT)).isEqualTo(1500);
        assertThat(o.getValue(DATABASE)).isEqualTo("sales");
        assertThat(o.getValue(USER)).isEqualTo("reader");
    }

    @Test
    void onAzureSqlDatabaseTheLoginIsUserAtServer() {
        assertThat(options("jdbc:sqlserver://myserver.database.windows.net:1433;database=sales", "reader").getValue(USER))
                .isEqualTo("reader@myserver");
        assertThat(options("sqlserver://MyServer.Database.Windows.NET/sales", "reader").getValue(USER))
                .isEqualTo("reader@MyServer");
        assertThat(options("sqlserver://reader@myserver.database.windows.net/sales", "").getValue(USER))
                .as("the URL's user name follows the rule too").isEqualTo("reader@myserver");
        assertThat(options("sqlserver://myserver.database.windows.net/sales", "reader@myserver").getValue(USER))
                .as("already qualified").isEqualTo("reader@myserver");
        assertThat(options("sqlserver://myserver.example.com/sales", "reader").getValue(USER))
                .as("not Azure").isEqualTo("reader");
        assertThat(options("sqlserver://database.windows.net.example.com/sales", "reader").getValue(USER))
                .as("only the suffix counts").isEqualTo("reader");
    }

    @Test
    void theDriverBuildsItsFactoryFromTheOptionsWithoutConnecting() {
        MssqlConnectionFactory factory = new MssqlConnectionFactoryProvider()
                .create(options("jdbc:sqlserver://myserver.database.windows.net;database=sales;encrypt=true", "reader"));

        assertThat(factory.toString()).contains("host=\"myserver.database.windows.net\"", "database=\"sales\"",
                "username=\"reader@myserver\"", "ssl=true", "applicationName=\"tributary:sales\"")
                .doesNotContain("pa55;word");
        assertThat(new SqlServerDialectProvider().connect(source("sqlserver://db/sales", "reader"))).isNotNull();
    }
}
