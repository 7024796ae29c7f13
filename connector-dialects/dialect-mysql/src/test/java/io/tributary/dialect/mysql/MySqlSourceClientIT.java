package io.tributary.dialect.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
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
    @DisplayName("a fixed zone is the session's zone: TIMESTAMP reads as its instant, NOW() is local, the clock is UTC")
    void sessionRunsInTheSourceZone() {
        SourceClient client = client(source("SELECT 1").timezone(ZoneId.of("+05:30")).build());

        List<SourceRow> rows = rows(client, "SELECT @@session.time_zone AS zone, stamp, local, "
                + "TIMESTAMPDIFF(MINUTE, UTC_TIMESTAMP(), NOW()) AS ahead FROM " + TABLE, List.of());
        Instant clock = client.now().block(Duration.ofSeconds(30));

        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).value(0)).isEqualTo("+05:30");
        assertThat(rows.get(0).value(1)).isEqualTo(Instant.parse("2024-07-01T10:00:00Z"));
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
    @DisplayName("regression: a region zone needs no time zone tables; the session runs at the window's offset and "
            + "TIMESTAMP reads as its instant in summer and winter")
    void regionZoneNeedsNoTimeZoneTables() throws SQLException {
        String table = "tz_region";
        execute("DROP TABLE IF EXISTS " + table);
        execute("CREATE TABLE " + table + " (reference VARCHAR(10), stamp TIMESTAMP(6) NULL)");
        execute("SET time_zone = '+00:00'; INSERT INTO " + table + " VALUES ('summer', '2025-07-01 10:00:00.5'), "
                + "('winter', '2025-01-15 10:00:00.5')");
        try {
            SourceClient client = client(source("SELECT 1").timezone(ZoneId.of("Europe/Copenhagen")).build());
            RenderedStatement statement = render("SELECT reference, @@session.time_zone AS zone, stamp FROM " + table
                    + " WHERE stamp >= {{ last_update_time }} AND stamp < {{ upper_date_limit }}");

            List<SourceRow> summer = client.stream(statement, List.of(Instant.parse("2025-07-01T10:00:00.5Z"),
                    Instant.parse("2025-07-01T10:00:00.500001Z")), 100).collectList().block(Duration.ofSeconds(30));
            List<SourceRow> winter = client.stream(statement, List.of(Instant.parse("2025-01-15T10:00:00.5Z"),
                    Instant.parse("2025-01-15T10:00:00.500001Z")), 100).collectList().block(Duration.ofSeconds(30));
            Instant clock = client.now().block(Duration.ofSeconds(30));

            assertThat(summer).extracting(r -> r.value(0), r -> r.value(1), r -> r.value(2))
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("summer", "+02:00", Instant.parse("2025-07-01T10:00:00.5Z")));
            assertThat(winter).extracting(r -> r.value(0), r -> r.value(1), r -> r.value(2))
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("winter", "+01:00", Instant.parse("2025-01-15T10:00:00.5Z")));
            assertThat(clock).isBetween(Instant.now().minus(1, ChronoUnit.MINUTES), Instant.now().plus(1, ChronoUnit.MINUTES));
        } finally {
            execute("DROP TABLE IF EXISTS " + table);
        }
    }

    @Test
    @DisplayName("regression: the first run of a Europe/Copenhagen source imports across both 2025 transitions, no pause")
    void firstRunInARegionZoneDoesNotPause() throws SQLException {
        String table = "tz_first_run";
        execute("DROP TABLE IF EXISTS " + table);
        execute("CREATE TABLE " + table + " (reference VARCHAR(20), member_id VARCHAR(10), member_name VARCHAR(10), "
                + "date DATETIME(6))");
        execute("INSERT INTO " + table + " VALUES ('spring-before', 'm', 'M', '2025-03-30 01:59:59.999999'), "
                + "('spring-after', 'm', 'M', '2025-03-30 03:00:00'), ('fall-repeated', 'm', 'M', '2025-10-26 02:30:00'), "
                + "('fall-after', 'm', 'M', '2025-10-26 03:00:00')");
        io.tributary.testkit.InMemoryStore store = new io.tributary.testkit.InMemoryStore();
        try (io.tributary.core.Tributary tributary = io.tributary.core.Tributary.builder().sink(store).checkpoints(store)
                .importLog(store).maxBatchLatency(Duration.ofMillis(50)).build()) {
            io.tributary.core.SourcePipeline pipeline = tributary.add(SourceDefinition.builder("tz_first_run",
                    MariaDbBehaviourIT.URL, "SELECT reference, member_id, member_name, date FROM " + table
                            + " WHERE date >= {{ last_update_time }} AND date < {{ upper_date_limit }} ORDER BY date")
                    .timezone(ZoneId.of("Europe/Copenhagen")).start(Instant.parse("2025-01-01T00:00:00Z"))
                    .lookback(Duration.ZERO).build());

            io.tributary.core.sink.RunRecord run = pipeline.runNow().block(Duration.ofMinutes(1));

            assertThat(run).isNotNull();
            assertThat(run.succeeded()).as("run failed: " + run.error()).isTrue();
            assertThat(pipeline.pausedBecause()).isEmpty();
            assertThat(store.registrations(pipeline.id())).hasSize(4);
            assertThat(store.registrations(pipeline.id()).get("spring-before").date())
                    .isEqualTo(Instant.parse("2025-03-30T00:59:59.999999Z"));
            assertThat(store.registrations(pipeline.id()).get("spring-after").date()).isEqualTo(Instant.parse("2025-03-30T01:00:00Z"));
            assertThat(store.registrations(pipeline.id()).get("fall-repeated").date()).isEqualTo(Instant.parse("2025-10-26T00:30:00Z"));
            assertThat(store.registrations(pipeline.id()).get("fall-after").date()).isEqualTo(Instant.parse("2025-10-26T02:00:00Z"));
        } finally {
            execute("DROP TABLE IF EXISTS " + table);
        }
    }

    /**
     * Rows written at their own instant (a DATETIME holding its local time in Copenhagen, a TIMESTAMP the instant), a
     * run every 7 minutes that reads what was written before it: across both 2025 transitions every row is read,
     * whether the statement filters on the DATETIME or the TIMESTAMP, and every TIMESTAMP read is its exact instant.
     * Bounds taken as their own local times would lose the rows written in the repeated hour between two runs.
     */
    @Test
    @DisplayName("rows written between runs across both 2025 transitions are all read, filtered on DATETIME or TIMESTAMP")
    void rowsWrittenBetweenRunsAcrossTransitionsAreRead() throws SQLException {
        ZoneId zone = ZoneId.of("Europe/Copenhagen");
        SourceClient client = client(source("SELECT 1").timezone(zone).build());
        for (Instant transition : List.of(Instant.parse("2025-03-30T01:00:00Z"), Instant.parse("2025-10-26T01:00:00Z"))) {
            for (String column : List.of("local", "stamp")) {
                String table = "tz_written_" + column;
                execute("DROP TABLE IF EXISTS " + table);
                execute("CREATE TABLE " + table + " (reference VARCHAR(40), local DATETIME(6), stamp TIMESTAMP(6) NULL)");
                RenderedStatement statement = render("SELECT reference, stamp FROM " + table + " WHERE " + column
                        + " >= {{ last_update_time }} AND " + column + " < {{ upper_date_limit }}");
                Instant start = transition.minus(3, ChronoUnit.HOURS);
                Instant end = start.plus(52 * 7, ChronoUnit.MINUTES);
                List<Instant> writes = new java.util.ArrayList<>();
                for (Instant t = start; t.isBefore(end); t = t.plusSeconds(4 * 60 + 1)) {
                    writes.add(t);
                }
                java.util.Map<String, Object> read = new java.util.HashMap<>();
                int written = 0;
                try (Connection writer = DriverManager.getConnection(MariaDbBehaviourIT.JDBC_URL);
                        java.sql.PreparedStatement insert = writer.prepareStatement("INSERT INTO " + table + " VALUES (?, ?, ?)")) {
                    try (Statement st = writer.createStatement()) {
                        st.execute("SET time_zone = '+00:00'");
                    }
                    Instant lower = start;
                    for (Instant upper = start.plus(7, ChronoUnit.MINUTES); !upper.isAfter(end);
                            upper = upper.plus(7, ChronoUnit.MINUTES)) {
                        for (; written < writes.size() && writes.get(written).isBefore(upper); written++) {
                            Instant t = writes.get(written);
                            insert.setString(1, t.toString());
                            insert.setString(2, java.time.LocalDateTime.ofInstant(t, zone).toString().replace('T', ' '));
                            insert.setString(3, java.time.LocalDateTime.ofInstant(t, ZoneOffset.UTC).toString().replace('T', ' '));
                            insert.executeUpdate();
                        }
                        client.stream(statement, List.of(lower, upper), 1000).toStream()
                                .forEach(row -> read.put((String) row.value(0), row.value(1)));
                        lower = upper;
                    }
                } finally {
                    execute("DROP TABLE IF EXISTS " + table);
                }

                assertThat(written).isEqualTo(writes.size());
                assertThat(read.keySet()).as("filtered on " + column + " around " + transition)
                        .containsExactlyInAnyOrderElementsOf(writes.stream().map(Instant::toString).toList());
                read.forEach((reference, stamp) -> assertThat(stamp).as(reference).isEqualTo(Instant.parse(reference)));
            }
        }
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

    private static void execute(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(MariaDbBehaviourIT.JDBC_URL + "&allowMultiQueries=true");
                Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }
}
