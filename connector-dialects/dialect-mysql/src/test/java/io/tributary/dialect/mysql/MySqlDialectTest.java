package io.tributary.dialect.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import io.tributary.core.ConnectorException;
import io.tributary.core.SourceDefinition;
import io.tributary.core.spi.Dialects;
import io.tributary.core.template.RenderedStatement;
import io.tributary.core.template.StatementTemplate;
import io.tributary.core.template.Variable;

class MySqlDialectTest {

    private final MySqlDialect dialect = MySqlDialect.INSTANCE;

    @Test
    @DisplayName("variables become ? markers; backslash escapes and backticks are lexed as MySQL does")
    void rendersQuestionMarks() {
        RenderedStatement rendered = StatementTemplate.parse("SELECT `date` AS date, 'it\\'s; -- no comment' AS s FROM t "
                + "WHERE `date` >= {{ last_update_time }} AND `date` < '{{ upper_date_limit }}'", dialect.syntax())
                .render(dialect.bindMarkers());

        assertThat(rendered.sql()).isEqualTo("SELECT `date` AS date, 'it\\'s; -- no comment' AS s FROM t WHERE `date` >= ? AND `date` < ?");
        assertThat(rendered.parameters()).containsExactly(Variable.LAST_UPDATE_TIME, Variable.UPPER_DATE_LIMIT);
    }

    @Test
    @DisplayName("a bound is passed on as its instant: the client turns the run's two bounds into local times together")
    void bindsTheInstant() {
        Instant instant = Instant.parse("2024-07-01T10:00:00.123456789Z");

        assertThat(dialect.bindValue(instant, ZoneId.of("Europe/Copenhagen"))).isEqualTo(instant);
    }

    @Test
    @DisplayName("the session's time_zone is written as MySQL takes it: +00:00, not Z")
    void sessionZone() {
        assertThat(MySqlDialectProvider.sessionZone(ZoneOffset.UTC)).isEqualTo("+00:00");
        assertThat(MySqlDialectProvider.sessionZone(ZoneOffset.ofHours(2))).isEqualTo("+02:00");
        assertThat(MySqlDialectProvider.sessionZone(ZoneOffset.of("-03:30"))).isEqualTo("-03:30");
    }

    @Test
    @DisplayName("TIME is written as MySQL writes it, hours past 24 and sign included")
    void formatsTime() {
        assertThat(MySqlColumnReaders.formatTime(Duration.parse("PT13H45M"))).isEqualTo("13:45:00");
        assertThat(MySqlColumnReaders.formatTime(Duration.parse("-PT838H59M59S"))).isEqualTo("-838:59:59");
        assertThat(MySqlColumnReaders.formatTime(Duration.parse("PT25H0.25S"))).isEqualTo("25:00:00.25");
        assertThat(MySqlColumnReaders.formatTime(Duration.parse("PT0.000001S"))).isEqualTo("00:00:00.000001");
    }

    @Test
    @DisplayName("buffers become bytes and SET members a list; other values pass")
    void normalizes() {
        assertThat(dialect.normalize(ByteBuffer.wrap(new byte[] {1, 2}))).isEqualTo(new byte[] {1, 2});
        assertThat(dialect.normalize(new String[] {"a", "c"})).isEqualTo(List.of("a", "c"));
        assertThat(dialect.normalize("x")).isEqualTo("x");
        assertThat(dialect.normalize(null)).isNull();
    }

    @Test
    @DisplayName("found by ServiceLoader for every MySQL and MariaDB URL form, and only those")
    void discovery() {
        for (String url : List.of("mysql://h:3306/db", "mariadb://h/db", "r2dbc:mysql://h/db", "r2dbc:mariadb://h/db",
                "jdbc:mysql://h:3306/db?useSSL=false", "JDBC:MariaDB://h/db", " mysql://h/db ")) {
            assertThat(new Dialects(List.of(new MySqlDialectProvider())).select(SourceDefinition.builder("s", url, "SELECT 1")
                    .build()).name()).as(url).isEqualTo("mysql");
            assertThat(MySqlUrls.toR2dbc(url)).as(url).hasValueSatisfying(u -> assertThat(u).startsWith("r2dbc:mysql://h"));
        }
        assertThat(MySqlUrls.toR2dbc("jdbc:mysql://h:3306/db?useSSL=false")).contains("r2dbc:mysql://h:3306/db?useSSL=false");
        assertThat(Dialects.discover().names()).contains("mysql");
        assertThat(new MySqlDialectProvider().supports("postgresql://h/db")).isFalse();
        assertThat(new MySqlDialectProvider().supports("mysqlx://h/db")).isFalse();
    }

    @Test
    @DisplayName("a malformed URL is a permanent error without the password")
    void malformedUrl() {
        SourceDefinition bad = SourceDefinition.builder("s", "mysql://", "SELECT 1")
                .credentials("u", io.tributary.core.Secret.of("pw-123")).build();

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new MySqlDialectProvider().connect(bad))
                .isInstanceOf(ConnectorException.Permanent.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("pw-123"));
    }
}
