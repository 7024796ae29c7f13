package io.tributary.dialect.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class MySqlDialectTest {

    private final MySqlDialect dialect = MySqlDialect.INSTANCE;

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
    @DisplayName("every URL form becomes r2dbc-mysql's, its query kept")
    void urlsBecomeR2dbcUrls() {
        for (String url : List.of("mysql://h:3306/db", "mariadb://h/db", "r2dbc:mysql://h/db", "r2dbc:mariadb://h/db",
                "jdbc:mysql://h:3306/db?useSSL=false", "JDBC:MariaDB://h/db", " mysql://h/db ")) {
            assertThat(MySqlUrls.toR2dbc(url)).as(url).hasValueSatisfying(u -> assertThat(u).startsWith("r2dbc:mysql://h"));
        }
        assertThat(MySqlUrls.toR2dbc("jdbc:mysql://h:3306/db?useSSL=false")).contains("r2dbc:mysql://h:3306/db?useSSL=false");
    }
}
