package io.tributary.core.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import io.tributary.core.ConnectorException;
import io.tributary.core.Secret;
import io.tributary.core.SourceDefinition;
import io.tributary.core.template.RenderedStatement;
import reactor.test.StepVerifier;

class JdbcPoolTest {

    private static final SourceDefinition SOURCE = SourceDefinition.builder("dial_sales", "jdbc:postgresql://127.0.0.1:1/x",
            "SELECT 1").credentials("reader", Secret.of("t1ger!")).build();

    @Test
    void thePoolIsSmallLazyShortLivedAndNamedAfterTheDatabaseAndSource() {
        HikariConfig c = JdbcPool.forUrl("Oracle", SOURCE, "jdbc:oracle:thin:@//db:1521/FREEPDB1", Duration.ofSeconds(10));

        assertThat(c.getPoolName()).isEqualTo("tributary-oracle-dial_sales");
        assertThat(c.getJdbcUrl()).isEqualTo("jdbc:oracle:thin:@//db:1521/FREEPDB1");
        assertThat(c.getUsername()).isEqualTo("reader");
        assertThat(c.getMaximumPoolSize()).isEqualTo(2);
        assertThat(c.getMinimumIdle()).isZero();
        assertThat(c.getIdleTimeout()).isEqualTo(Duration.ofSeconds(30).toMillis());
        assertThat(c.getConnectionTimeout()).isEqualTo(Duration.ofSeconds(10).toMillis());
        assertThat(c.getMaxLifetime()).isEqualTo(Duration.ofMinutes(30).toMillis());
        assertThat(c.getInitializationFailTimeout()).isEqualTo(-1);
        assertThat(c.isAutoCommit()).isFalse();
        assertThat(c.isReadOnly()).as("read-only is each run's transaction's job").isFalse();
    }

    @Test
    void aPoolOverADataSourceSeesNoCredentials() {
        JdbcDataSource login = new JdbcDataSource();
        HikariConfig c = JdbcPool.forDataSource("Snowflake", SOURCE, login, Duration.ofSeconds(30));

        assertThat(c.getPoolName()).isEqualTo("tributary-snowflake-dial_sales");
        assertThat(c.getDataSource()).isSameAs(login);
        assertThat(c.getJdbcUrl()).isNull();
        assertThat(c.getUsername()).isNull();
        assertThat(c.getPassword()).isNull();
        assertThat(c.getDataSourceProperties()).isEmpty();
    }

    @Test
    void aZeroConnectionTimeoutIsRefusedNamingTheRule() {
        assertThatThrownBy(() -> JdbcPool.forUrl("Oracle", SOURCE, "jdbc:x", Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("connectionTimeout > 0 required but it was PT0S");
    }

    @Test
    void aRefusedConfigurationIsAPermanentFailureWithoutThePassword() {
        // no driver takes this URL, and HikariCP repeats the URL, password and all, in its refusal
        HikariConfig c = JdbcPool.forUrl("Oracle", SOURCE, "jdbc:nosuch://reader:t1ger!@db/x", Duration.ofSeconds(1));

        assertThatThrownBy(() -> JdbcPool.open("Oracle", SOURCE, c, SOURCE.password()))
                .isInstanceOf(ConnectorException.Permanent.class)
                .hasMessageStartingWith("source dial_sales: invalid Oracle settings: ")
                .hasMessageNotContaining("t1ger!");
    }

    @Test
    void thePoolStartsWithoutConnectingAndAnUnreachableDatabaseFailsTheRunNotTheStart() {
        // nothing listens on port 1: a pool that connected at start would fail here
        HikariConfig c = JdbcPool.forUrl("PostgreSQL", SOURCE, "jdbc:postgresql://127.0.0.1:1/x", Duration.ofSeconds(1));
        HikariDataSource pool = JdbcPool.open("PostgreSQL", SOURCE, c, SOURCE.password());
        assertThat(pool.isRunning()).isTrue();

        JdbcSourceClient client = JdbcSourceClient.builder(pool, JdbcSourceClientTest.DIALECT, "SELECT now()").password(SOURCE.password()).build();
        StepVerifier.create(client.stream(new RenderedStatement("SELECT 1 AS reference", List.of()), List.of(), 10))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(ConnectorException.Transient.class)
                        .hasMessageContaining("tributary-postgresql-dial_sales").hasMessageNotContaining("t1ger!"))
                .verify(Duration.ofSeconds(30));
        StepVerifier.create(client.close()).verifyComplete();
        assertThat(pool.isClosed()).as("the client owns the pool").isTrue();
    }
}
