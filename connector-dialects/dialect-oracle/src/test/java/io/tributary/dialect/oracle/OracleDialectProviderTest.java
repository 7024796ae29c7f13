package io.tributary.dialect.oracle;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import io.tributary.core.ConnectorException;
import io.tributary.core.Secret;
import io.tributary.core.SourceDefinition;
import io.tributary.core.jdbc.JdbcPool;
import io.tributary.core.spi.SourceClient;
import io.tributary.core.template.RenderedStatement;
import reactor.test.StepVerifier;

class OracleDialectProviderTest {

    private static SourceDefinition source(String url, String user) {
        return SourceDefinition.builder("sales", url, "SELECT 1 AS reference FROM dual")
                .credentials(user, Secret.of("t1ger!")).build();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "oracle://db.example.com/FREEPDB1 | jdbc:oracle:thin:@//db.example.com:1521/FREEPDB1",
            "oracle://db.example.com:1522/sales.example.com | jdbc:oracle:thin:@//db.example.com:1522/sales.example.com",
            "oracle://db:1521/FREEPDB1?connect_timeout=5 | jdbc:oracle:thin:@//db:1521/FREEPDB1?connect_timeout=5",
            "jdbc:oracle:thin:@db:1521:ORCL | jdbc:oracle:thin:@db:1521:ORCL",
            "jdbc:oracle:thin:@tcps://db:2484/s?wallet_location=/w | jdbc:oracle:thin:@tcps://db:2484/s?wallet_location=/w"})
    void urlsBecomeThinDriverUrls(String url, String jdbc) {
        assertThat(OracleUrls.toJdbc(url)).isEqualTo(jdbc);
    }

    @Test
    void thePoolIsSmallLazyAndShortLived() {
        HikariConfig c = OracleDialectProvider.pool(source("oracle://db/FREEPDB1", "reader"), "jdbc:oracle:thin:@//db:1521/FREEPDB1");

        assertThat(c.getPoolName()).isEqualTo("tributary-oracle-sales");
        assertThat(c.getJdbcUrl()).isEqualTo("jdbc:oracle:thin:@//db:1521/FREEPDB1");
        assertThat(c.getUsername()).isEqualTo("reader");
        assertThat(c.getMaximumPoolSize()).isEqualTo(2);
        assertThat(c.getMinimumIdle()).isZero();
        assertThat(c.getIdleTimeout()).isEqualTo(Duration.ofSeconds(30).toMillis());
        assertThat(c.getConnectionTimeout()).isEqualTo(Duration.ofSeconds(10).toMillis());
        assertThat(c.getInitializationFailTimeout()).isEqualTo(-1);
        assertThat(c.isAutoCommit()).isFalse();
        assertThat(c.isReadOnly()).as("read-only is SET TRANSACTION's job, per run").isFalse();
        assertThat(c.getDataSourceProperties()).containsEntry("v$session.program", "tributary")
                .containsEntry("oracle.net.CONNECT_TIMEOUT", "10000");
    }

    @Test
    void thePoolStartsWithoutConnecting() {
        // nothing listens on port 1: a pool that connected at start would fail here
        SourceDefinition source = source("oracle://127.0.0.1:1/FREEPDB1", "reader");
        try (HikariDataSource pool = JdbcPool.open("Oracle", source,
                OracleDialectProvider.pool(source, "jdbc:oracle:thin:@//127.0.0.1:1/FREEPDB1"), source.password())) {
            assertThat(pool.isRunning()).isTrue();
        }
    }

    @Test
    void anUnreachableDatabaseFailsTheRunTransientlyWithTheDriversMessageAndNoPassword() {
        SourceClient client = new OracleDialectProvider().connect(source("oracle://127.0.0.1:1/FREEPDB1", "reader"));
        try {
            StepVerifier.create(client.stream(new RenderedStatement("SELECT 1 AS reference FROM dual", List.of()), List.of(), 10))
                    .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(ConnectorException.Transient.class)
                            .hasMessageContaining("tributary-oracle-sales").hasMessageNotContaining("t1ger!"))
                    .verify(Duration.ofSeconds(60));
        } finally {
            client.close().block(Duration.ofSeconds(10));
        }
    }
}
