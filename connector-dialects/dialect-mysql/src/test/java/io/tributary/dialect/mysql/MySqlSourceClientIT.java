package io.tributary.dialect.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import io.tributary.core.ConnectorException;
import io.tributary.core.Secret;
import io.tributary.core.SourceDefinition;
import io.tributary.core.mapping.SourceRow;
import io.tributary.core.spi.SourceClient;
import io.tributary.core.template.RenderedStatement;
import io.tributary.core.template.StatementTemplate;

/** What only MySQL and MariaDB need checked: session zone, error classes, cursor mode, the clock. */
class MySqlSourceClientIT {

    private static final String TABLE = "tbs_maria_client";
    private static final MySqlDialectProvider PROVIDER = new MySqlDialectProvider();

    @BeforeAll
    static void createTable() throws SQLException {
        execute("DROP TABLE IF EXISTS " + TABLE);
        execute("CREATE TABLE " + TABLE + " (reference VARCHAR(10), stamp TIMESTAMP(6) NULL, local DATETIME(6))");
        // the fixture session is UTC: the TIMESTAMP holds 2024-07-01T10:00:00Z
        execute("SET time_zone = '+00:00'; INSERT INTO " + TABLE + " VALUES ('a', '2024-07-01 10:00:00', '2024-07-01 10:00:00')");
        execute("DROP PROCEDURE IF EXISTS " + TABLE + "_writer");
        execute("CREATE PROCEDURE " + TABLE + "_writer() MODIFIES SQL DATA BEGIN DELETE FROM " + TABLE + "; SELECT 1; END");
    }

    @AfterAll
    static void dropTable() throws SQLException {
        execute("DROP TABLE IF EXISTS " + TABLE);
        execute("DROP PROCEDURE IF EXISTS " + TABLE + "_writer");
    }

    @Test
    @DisplayName("the session takes the source's zone: TIMESTAMP reads as its instant, NOW() is local, the clock is UTC")
    void sessionRunsInTheSourceZone() {
        SourceClient client = client(source("SELECT 1").timezone(ZoneId.of("+05:30")).build());

        List<SourceRow> rows = rows(client, "SELECT @@session.time_zone AS zone, stamp, local, "
                + "TIMESTAMPDIFF(MINUTE, UTC_TIMESTAMP(), NOW()) AS ahead FROM " + TABLE, List.of());
        Instant clock = client.now().block(Duration.ofSeconds(30));

        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).value(0)).isEqualTo("+05:30");
        assertThat(rows.get(0).value(1)).isInstanceOfSatisfying(java.time.ZonedDateTime.class,
                z -> assertThat(z.toInstant()).isEqualTo(Instant.parse("2024-07-01T10:00:00Z")));
        assertThat(rows.get(0).value(2)).isEqualTo(java.time.LocalDateTime.parse("2024-07-01T10:00:00"));
        assertThat(((Number) rows.get(0).value(3)).longValue()).isBetween(329L, 330L);
        assertThat(clock).isBetween(Instant.now().minus(1, ChronoUnit.MINUTES), Instant.now().plus(1, ChronoUnit.MINUTES));
    }

    @Test
    @DisplayName("the statement runs inside a transaction (read-only: see readOnlyViolationIsPermanent)")
    void statementRunsInATransaction() {
        SourceClient client = client(source("SELECT 1").build());

        List<SourceRow> rows = rows(client, "SELECT @@in_transaction AS open_transaction", List.of());

        assertThat(((Number) rows.get(0).value(0)).intValue()).isEqualTo(1);
    }

    @Test
    @DisplayName("a TIMESTAMP column compares right with a bound in a non-UTC source zone")
    void timestampColumnComparesWithLocalBound() {
        ZoneId zone = ZoneId.of("-03:00");
        SourceClient client = client(source("SELECT 1").timezone(zone).build());
        Object atTen = MySqlDialect.INSTANCE.bindValue(Instant.parse("2024-07-01T10:00:00Z"), zone);
        Object justAfter = MySqlDialect.INSTANCE.bindValue(Instant.parse("2024-07-01T10:00:00.000001Z"), zone);

        assertThat(rows(client, "SELECT reference FROM " + TABLE + " WHERE stamp >= ?", List.of(atTen))).hasSize(1);
        assertThat(rows(client, "SELECT reference FROM " + TABLE + " WHERE stamp >= ?", List.of(justAfter))).isEmpty();
    }

    @Test
    @DisplayName("a region zone the server has no tables for fails with a hint, not with wrong times")
    void unknownRegionZoneFailsWithAHint() throws SQLException {
        assumeTrue(!serverKnowsZone("Europe/Copenhagen"), "the server has time zone tables");
        SourceClient client = client(source("SELECT 1").timezone(ZoneId.of("Europe/Copenhagen")).build());

        assertThatThrownBy(() -> client.now().block(Duration.ofSeconds(30)))
                .isInstanceOf(ConnectorException.Permanent.class)
                .hasMessageContaining("Europe/Copenhagen")
                .hasMessageContaining("mysql_tzinfo_to_sql");
    }

    @Test
    @DisplayName("a wrong password is permanent, carries the server's message and not the password")
    void wrongPasswordIsPermanentAndRedacted() {
        SourceClient client = client(source("SELECT 1").credentials("root", Secret.of("Wr0ng-Secret-42")).build());

        assertThatThrownBy(() -> client.now().block(Duration.ofSeconds(30)))
                .isInstanceOf(ConnectorException.Permanent.class)
                .hasMessageContaining("Access denied")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("Wr0ng-Secret-42"));
    }

    @Test
    @DisplayName("a write in the read-only transaction is permanent, with MariaDB's message and error code")
    void readOnlyViolationIsPermanent() {
        SourceClient client = client(source("SELECT 1").build());

        assertThatThrownBy(() -> rows(client, "CALL " + TABLE + "_writer()", List.of()))
                .isInstanceOf(ConnectorException.Permanent.class)
                .hasMessageContaining("Cannot execute statement in a READ ONLY transaction")
                .hasMessageContaining("[MySQL error 1792]");
    }

    @Test
    @DisplayName("a session killed by an administrator is transient: worth retrying")
    void killedSessionIsTransient() throws Exception {
        SourceClient client = client(source("SELECT 1").build());
        String marker = "tributary_kill_" + System.nanoTime();
        java.util.concurrent.CompletableFuture<List<SourceRow>> running = java.util.concurrent.CompletableFuture
                .supplyAsync(() -> rows(client, "SELECT /* " + marker + " */ SLEEP(30) AS slept", List.of()));
        long killed = 0;
        for (int i = 0; i < 100 && killed == 0; i++) {
            try (Connection c = DriverManager.getConnection(MariaDbBehaviourIT.JDBC_URL); Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT ID FROM information_schema.PROCESSLIST WHERE INFO LIKE '%"
                            + marker + "%' AND ID <> CONNECTION_ID()")) {
                while (rs.next()) {
                    try (Statement kill = c.createStatement()) {
                        kill.execute("KILL " + rs.getLong(1));
                        killed++;
                    }
                }
            }
            if (killed == 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(50_000_000L);
            }
        }

        assertThat(killed).isEqualTo(1);
        assertThatThrownBy(() -> running.get(30, java.util.concurrent.TimeUnit.SECONDS))
                .hasCauseInstanceOf(ConnectorException.Transient.class);
    }

    @Test
    @DisplayName("server-side cursors (useServerPrepareStatement=true) fetch in fetchSize chunks and run CALL too")
    void cursorModeStreamsAndCalls() {
        SourceClient client = client(SourceDefinition.builder("cursor",
                MariaDbBehaviourIT.URL + "?useServerPrepareStatement=true", "SELECT 1").build());
        RenderedStatement generated = render("SELECT seq AS reference FROM seq_1_to_5000 WHERE {{ last_update_time }} < {{ upper_date_limit }}");
        List<Object> binds = List.of(MySqlDialect.INSTANCE.bindValue(Instant.EPOCH, ZoneId.of("UTC")),
                MySqlDialect.INSTANCE.bindValue(Instant.now(), ZoneId.of("UTC")));

        List<SourceRow> rows = client.stream(generated, binds, 100).collectList().block(Duration.ofSeconds(60));

        assertThat(rows).hasSize(5000);
        assertThat(rows.get(4999).value(0)).isEqualTo(java.math.BigInteger.valueOf(5000));
    }

    private static List<SourceRow> rows(SourceClient client, String sql, List<Object> binds) {
        RenderedStatement statement = new RenderedStatement(sql, binds.isEmpty() ? List.of()
                : java.util.Collections.nCopies(binds.size(), io.tributary.core.template.Variable.LAST_UPDATE_TIME));
        return client.stream(statement, binds, 100).collectList().block(Duration.ofSeconds(30));
    }

    private static RenderedStatement render(String statement) {
        return StatementTemplate.parse(statement, MySqlDialect.INSTANCE.syntax()).render(MySqlDialect.INSTANCE.bindMarkers());
    }

    private static SourceDefinition.Builder source(String statement) {
        return SourceDefinition.builder("client", MariaDbBehaviourIT.URL, statement);
    }

    private static SourceClient client(SourceDefinition definition) {
        return PROVIDER.connect(definition);
    }

    private static boolean serverKnowsZone(String zone) throws SQLException {
        try (Connection c = DriverManager.getConnection(MariaDbBehaviourIT.JDBC_URL); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM mysql.time_zone_name WHERE Name = '" + zone + "'")) {
            rs.next();
            return rs.getLong(1) > 0;
        }
    }

    private static void execute(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(MariaDbBehaviourIT.JDBC_URL + "&allowMultiQueries=true");
                Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }
}
