package io.tributary.dialect.snowflake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.zaxxer.hikari.HikariConfig;

import io.tributary.core.ConnectorException;
import io.tributary.core.Secret;
import io.tributary.core.SourceDefinition;
import io.tributary.core.jdbc.JdbcPool;
import io.tributary.core.spi.SourceClient;
import io.tributary.core.template.RenderedStatement;
import reactor.test.StepVerifier;

class SnowflakeDialectProviderTest {

    static final String URL = "snowflake://acme-xy12345.snowflakecomputing.com/?warehouse=REPORTING&db=SALES&schema=PUBLIC&role=READER";

    private static SourceDefinition source(String url) {
        return SourceDefinition.builder("sales", url, "SELECT 1 AS reference")
                .credentials("TRIBUTARY", Secret.of("t1ger!")).timezone(ZoneId.of("Europe/Copenhagen")).build();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "snowflake://acme-xy12345.snowflakecomputing.com/ | jdbc:snowflake://acme-xy12345.snowflakecomputing.com/",
            "snowflake://acme-xy12345 | jdbc:snowflake://acme-xy12345.snowflakecomputing.com/",
            "snowflake://acme-xy12345:8443/?db=X | jdbc:snowflake://acme-xy12345.snowflakecomputing.com:8443/",
            "jdbc:snowflake://acme.privatelink.snowflakecomputing.com/?warehouse=W | jdbc:snowflake://acme.privatelink.snowflakecomputing.com/"})
    void theDriversUrlHoldsTheHostOnly(String url, String jdbc) {
        assertThat(SnowflakeUrls.parse(url).jdbcUrl()).isEqualTo(jdbc);
    }

    @Test
    void aPasswordLoginCarriesTheUrlsSettingsAndTheSession() {
        SnowflakeDataSource login = SnowflakeDialectProvider.login(source(URL + "&database=IGNORED_NO&QUERY_TAG=nightly"
                .replace("&database=IGNORED_NO", "")));
        Properties p = login.properties();

        assertThat(login.jdbcUrl()).isEqualTo("jdbc:snowflake://acme-xy12345.snowflakecomputing.com/");
        assertThat(p).containsEntry("user", "TRIBUTARY").containsEntry("password", "t1ger!")
                .containsEntry("warehouse", "REPORTING").containsEntry("db", "SALES").containsEntry("schema", "PUBLIC")
                .containsEntry("role", "READER").containsEntry("TIMEZONE", "Europe/Copenhagen")
                .containsEntry("JDBC_QUERY_RESULT_FORMAT", "JSON").containsEntry("QUERY_TAG", "nightly")
                .containsEntry("CLIENT_TIMESTAMP_TYPE_MAPPING", "TIMESTAMP_LTZ").containsEntry("application", "Tributary")
                .containsEntry("loginTimeout", "30").containsEntry("disablePlatformDetection", "true")
                .doesNotContainKeys("authenticator", "private_key_file", "private_key_pwd");
        assertThat(login.toString()).isEqualTo("SnowflakeDataSource[jdbc:snowflake://acme-xy12345.snowflakecomputing.com/]");
    }

    @Test
    void aKeyPairLoginNamesTheFileAndItsPassphrase(@TempDir Path dir) throws IOException {
        Path key = Files.writeString(dir.resolve("rsa_key.p8"), "-----BEGIN ENCRYPTED PRIVATE KEY-----\n");
        SourceDefinition keyPair = source(URL).toBuilder().credentials("TRIBUTARY", Secret.empty())
                .options(Map.of("private_key_file", key.toString()))
                .secrets(Map.of("private_key_password", Secret.of("k3y-pass"))).build();

        Properties p = SnowflakeDialectProvider.login(keyPair).properties();

        assertThat(p).containsEntry("authenticator", "SNOWFLAKE_JWT").containsEntry("private_key_file", key.toString())
                .containsEntry("private_key_pwd", "k3y-pass").doesNotContainKey("password");
    }

    @Test
    void thePoolSeesNoPropertyAndNoSecret() {
        SnowflakeDataSource login = SnowflakeDialectProvider.login(source(URL));
        HikariConfig c = JdbcPool.forDataSource("Snowflake", source(URL), login, SnowflakeDialectProvider.CONNECTION_TIMEOUT);

        assertThat(c.getPoolName()).isEqualTo("tributary-snowflake-sales");
        assertThat(c.getDataSource()).isSameAs(login);
        assertThat(c.getDataSourceProperties()).isEmpty();
        assertThat(c.getPassword()).isNull();
        assertThat(c.getMaximumPoolSize()).isEqualTo(2);
        assertThat(c.getMinimumIdle()).isZero();
        assertThat(c.getConnectionTimeout()).isEqualTo(Duration.ofSeconds(30).toMillis());
        assertThat(c.getInitializationFailTimeout()).isEqualTo(-1);
        assertThat(c.isAutoCommit()).isFalse();
    }

    @Test
    void keyPairMistakesAndUnknownSecretsAreRefusedWithoutASecret(@TempDir Path dir) {
        assertRefused(source(URL).toBuilder().options(Map.of("private_key_file", dir.resolve("missing.p8").toString())).build(),
                "both a password and a private key");
        assertRefused(source(URL).toBuilder().credentials("TRIBUTARY", Secret.empty())
                .options(Map.of("private_key_file", dir.resolve("missing.p8").toString())).build(), "cannot be read");
        assertRefused(source(URL).toBuilder().credentials("TRIBUTARY", Secret.empty())
                .secrets(Map.of("private_key_password", Secret.of("t1ger!"))).build(), "no PRIVATE_KEY_FILE");
        assertRefused(source(URL).toBuilder().secrets(Map.of("credentials", Secret.of("t1ger!"))).build(),
                "does not use the secret [credentials]");
    }

    @Test
    void anUnreachableAccountFailsTheRunTransientlyThroughTheRealDriverWithoutThePassword() {
        // nothing listens on port 1 of this machine; short driver timeouts keep the test quick
        SourceClient client = new SnowflakeDialectProvider().connect(source(
                "jdbc:snowflake://127.0.0.1:1/?loginTimeout=5&maxHttpRetries=1&db=SALES"));
        try {
            StepVerifier.create(client.stream(new RenderedStatement("SELECT 1 AS reference", List.of()), List.of(), 10))
                    .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(ConnectorException.Transient.class)
                            .hasMessageContaining("tributary-snowflake-sales").hasMessageNotContaining("t1ger!"))
                    .verify(Duration.ofSeconds(90));
        } finally {
            client.close().block(Duration.ofSeconds(10));
        }
    }

    private static void assertRefused(SourceDefinition source, String reason) {
        assertThatThrownBy(() -> new SnowflakeDialectProvider().connect(source))
                .isInstanceOf(ConnectorException.Permanent.class)
                .hasMessageStartingWith("source sales: ")
                .hasMessageContaining(reason)
                .hasMessageNotContaining("t1ger!");
    }
}
