package io.tributary.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import io.tributary.core.window.RowCap;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;

import io.tributary.core.SourceDefinition;
import io.tributary.core.SourcePipeline;
import io.tributary.core.Tributary;
import io.tributary.core.mapping.Registration;
import io.tributary.core.mapping.SourceRow;
import io.tributary.core.sink.RegistrationSink;
import io.tributary.core.sink.RunRecord;
import io.tributary.core.spi.Dialect;
import io.tributary.core.spi.DialectProvider;
import io.tributary.core.spi.Dialects;
import io.tributary.core.spi.SourceClient;
import io.tributary.core.event.ImportEvent;
import io.tributary.core.template.RenderedStatement;
import io.tributary.core.window.Window;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The behaviour every dialect must show against its real database, written once. A database's test is a thin
 * subclass ({@code PostgresBehaviourIT}, {@code MariaDbBehaviourIT}) that says how to reach the database and gives
 * the SQL that differs: column types, its own type cases with their exact JSON, a procedure, a statement that
 * writes, how to kill a session. Every run goes through {@link Tributary} with an {@link InMemoryStore}, as the
 * app runs it.
 * <p>
 * Tables are named from {@link #tablePrefix()} and the test, so that classes and tests running at once do not
 * collide; each test drops what it created.
 */
public abstract class DialectBehaviourSuite {

    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(2);
    private static final ZoneId UTC = ZoneOffset.UTC;

    private final List<String> dropStatements = new ArrayList<>();
    private final List<Tributary> tributaries = new ArrayList<>();

    // ---- what a database supplies ------------------------------------------------------------------------------

    /** The source URL as a user writes it, e.g. {@code mariadb://root@127.0.0.1:3306/test}. */
    protected abstract String url();

    /** A JDBC URL to the same database, for creating and filling fixtures. */
    protected abstract String jdbcUrl();

    /** A prefix of table and routine names unique to the subclass, e.g. {@code tbs_pg}. */
    protected abstract String tablePrefix();

    /** The zone-less timestamp type with microseconds: {@code timestamp(6)}, {@code DATETIME(6)}. */
    protected abstract String zonelessTimestampType();

    /** The instant type: {@code timestamptz}, {@code TIMESTAMP(6) NULL}. */
    protected abstract String zonedTimestampType();

    /** Appended to {@code CREATE TABLE (...)}, e.g. a character set. */
    protected String tableOptions() {
        return "";
    }

    /** A zone other than UTC the database can take as its session zone, for the zone-less timestamp cases. */
    protected abstract ZoneId nonUtcZone();

    /** Every type of the database with the exact JSON of a value of it. */
    protected abstract List<TypeCase> typeCases();

    /**
     * The DDL of a routine named {@code name} that returns the rows of {@code table} (columns reference, member_id,
     * member_name, date, team_name, amount) whose date is in {@code [lower, upper)}.
     */
    protected abstract List<String> createProcedure(String name, String table);

    /** The DDL that drops that routine. */
    protected abstract String dropProcedure(String name);

    /** The statement that calls it with the two template variables, e.g. {@code CALL name({{...}}, {{...}})}. */
    protected abstract String callProcedure(String name);

    /**
     * DDL for what {@link #writingStatement} needs, e.g. a procedure that writes; may be empty.
     */
    protected List<String> createWriter(String name, String table) {
        return List.of();
    }

    /** The DDL that drops what {@link #createWriter} made; ignored when that is empty. */
    protected String dropWriter(String name) {
        return "";
    }

    /** A statement allowed by the template (SELECT, WITH, CALL) that deletes the rows of {@code table}. */
    protected abstract String writingStatement(String name, String table);

    /** Words of the server's own message when a statement writes in a read-only transaction. */
    protected abstract String readOnlyViolation();

    /**
     * A statement generating {@code rows} rows with the standard columns and a text column {@code pad} of
     * {@code padding} characters, without a table; it must use both template variables and hold {@code marker}
     * in a comment so that its session can be found.
     */
    protected abstract String generatedRowsStatement(int rows, int padding, String marker);

    /**
     * Kills, from {@code admin}, every other session running a statement that contains {@code marker}.
     *
     * @return how many sessions were killed
     */
    protected abstract int killSessionsRunning(Connection admin, String marker) throws SQLException;

    // ---- the behaviour -----------------------------------------------------------------------------------------

    @Test
    @DisplayName("window bounds are bound as parameters and select exactly [lower, upper)")
    void windowSelectsExactlyTheHalfOpenRange() throws SQLException {
        String table = eventsTable("window");
        Instant lower = Instant.parse("2024-03-01T10:00:00Z");
        Instant upper = Instant.parse("2024-03-01T11:00:00Z");
        insertEvent(table, "before", lower.minus(1, ChronoUnit.MICROS), UTC);
        insertEvent(table, "at-lower", lower, UTC);
        insertEvent(table, "inside", lower.plus(30, ChronoUnit.MINUTES), UTC);
        insertEvent(table, "last", upper.minus(1, ChronoUnit.MICROS), UTC);
        insertEvent(table, "at-upper", upper, UTC);

        InMemoryStore store = new InMemoryStore();
        SourcePipeline source = pipeline(store, definition("window", selectEvents(table)));
        RunRecord run = source.importWindow(new Window(lower, upper)).block(RUN_TIMEOUT);

        assertSucceeded(run);
        assertThat(run.read()).isEqualTo(3);
        assertThat(store.registrations(source.id())).containsOnlyKeys("at-lower", "inside", "last");
        assertThat(store.registrations(source.id()).get("at-lower").date()).isEqualTo(lower);
        assertThat(store.registrations(source.id()).get("last").date()).isEqualTo(upper.minus(1, ChronoUnit.MICROS));
        assertThat(store.checkpoint(source.id())).as("a historical window does not move the checkpoint").isEmpty();
    }

    @Test
    @DisplayName("the first run imports the history from start up to the database's clock")
    void firstRunImportsHistoryFromStart() throws SQLException {
        String table = eventsTable("history");
        insertEvent(table, "before-start", Instant.parse("2019-12-31T23:59:59Z"), UTC);
        insertEvent(table, "at-start", Instant.parse("2020-01-01T00:00:00Z"), UTC);
        insertEvent(table, "old", Instant.parse("2021-06-15T12:00:00Z"), UTC);
        insertEvent(table, "recent", Instant.now().minus(1, ChronoUnit.HOURS), UTC);
        insertEvent(table, "future", Instant.now().plus(1, ChronoUnit.DAYS), UTC);

        InMemoryStore store = new InMemoryStore();
        SourcePipeline source = pipeline(store, definition("history", selectEvents(table)).toBuilder()
                .start(Instant.parse("2020-01-01T00:00:00Z")).build());
        Instant before = Instant.now();
        RunRecord run = source.runNow().block(RUN_TIMEOUT);

        assertSucceeded(run);
        assertThat(run.window().lower()).isEqualTo(Instant.parse("2020-01-01T00:00:00Z"));
        // the upper bound is the database's clock (a local server: within a minute of ours)
        assertThat(run.window().upper()).isBetween(before.minus(1, ChronoUnit.MINUTES), Instant.now().plus(1, ChronoUnit.MINUTES));
        assertThat(store.registrations(source.id())).containsOnlyKeys("at-start", "old", "recent");
        assertThat(run.inserted()).isEqualTo(3);
        assertThat(store.checkpoint(source.id())).contains(run.window().upper());
    }

    @Test
    @DisplayName("an incremental run imports only the window since the checkpoint")
    void incrementalRunImportsOnlyTheNewWindow() throws SQLException {
        String table = eventsTable("incremental");
        insertEvent(table, "first", Instant.parse("2024-01-01T00:00:00Z"), UTC);
        InMemoryStore store = new InMemoryStore();
        SourcePipeline source = pipeline(store, definition("incremental", selectEvents(table)));
        RunRecord first = source.runNow().block(RUN_TIMEOUT);
        assertSucceeded(first);
        Instant checkpoint = store.checkpoint(source.id()).orElseThrow();

        insertEvent(table, "late", checkpoint.minus(1, ChronoUnit.SECONDS), UTC);
        insertEvent(table, "at-checkpoint", checkpoint, UTC);
        insertEvent(table, "future", Instant.now().plus(1, ChronoUnit.DAYS), UTC);
        RunRecord second = source.runNow().block(RUN_TIMEOUT);

        assertSucceeded(second);
        // a tick before the checkpoint, so that a statement written with '>' reads rows at the checkpoint too
        assertThat(second.window().lower()).isEqualTo(checkpoint.minus(RowCap.TICK));
        assertThat(second.read()).isEqualTo(1);
        assertThat(second.inserted()).isEqualTo(1);
        assertThat(store.registrations(source.id())).containsOnlyKeys("first", "at-checkpoint");
        assertThat(store.checkpoint(source.id())).contains(second.window().upper());
    }

    @Test
    @DisplayName("the lookback re-reads the end of the previous window: a row committed late with an older date arrives, re-read rows count as unchanged")
    void lookbackCatchesLateRows() throws SQLException {
        String table = eventsTable("lookback");
        InMemoryStore store = new InMemoryStore();
        SourcePipeline source = pipeline(store, definition("lookback", selectEvents(table)).toBuilder()
                .lookback(Duration.ofMinutes(1)).build());
        insertEvent(table, "recent", Instant.now().minus(5, ChronoUnit.SECONDS), UTC);
        RunRecord first = source.runNow().block(RUN_TIMEOUT);
        assertSucceeded(first);
        assertThat(first.inserted()).isEqualTo(1);
        Instant checkpoint = store.checkpoint(source.id()).orElseThrow();

        // committed after the first run, dated inside its window
        insertEvent(table, "late", checkpoint.minus(10, ChronoUnit.SECONDS), UTC);
        RunRecord second = source.runNow().block(RUN_TIMEOUT);

        assertSucceeded(second);
        assertThat(second.window().lower()).isEqualTo(checkpoint.minus(Duration.ofMinutes(1)));
        assertThat(second.inserted()).isEqualTo(1);
        assertThat(second.unchanged()).isEqualTo(1);
        assertThat(store.registrations(source.id())).containsOnlyKeys("recent", "late");
    }

    @Test
    @DisplayName("ties: 2,500 rows sharing one date with a cap of 1,000 all arrive, and the following runs are normal")
    void capFinishesTieGroups() throws SQLException {
        String table = eventsTable("ties");
        Instant tie = Instant.parse("2024-05-01T12:00:00Z");
        insertEvents(table, "tie", 2_500, tie);
        insertEvents(table, "after", 10, tie.plusSeconds(1));
        InMemoryStore store = new InMemoryStore();
        // a 1-minute interval at 1,000 rows per minute: a cap of 1,000 rows per run
        SourcePipeline source = pipeline(store, definition("ties", selectEvents(table)).toBuilder()
                .maxRowsPerMinute(1_000).build());

        RunRecord capped = source.runNow().block(RUN_TIMEOUT);
        assertSucceeded(capped);
        assertThat(capped.inserted()).as("the whole tie group, however far past the cap").isEqualTo(2_500);
        assertThat(capped.note()).contains("stopped at the cap of 1000 rows");
        assertThat(store.checkpoint(source.id())).contains(tie.plusSeconds(1));

        RunRecord rest = source.runNow().block(RUN_TIMEOUT);
        assertSucceeded(rest);
        assertThat(rest.inserted()).isEqualTo(10);
        assertThat(rest.note()).isNull();
        assertThat(store.checkpoint(source.id())).contains(rest.window().upper());
        assertThat(store.registrations(source.id())).hasSize(2_510);

        RunRecord normal = source.runNow().block(RUN_TIMEOUT);
        assertSucceeded(normal);
        assertThat(normal.read()).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"", " ORDER BY date DESC"})
    @DisplayName("Regression (issue 12): the product's own statement ('>' and '<', no ORDER BY, or newest first) over "
            + "100,000 rows at a 10 s frequency, whose cap is 1,667 rows, imports every row, and rows added while it "
            + "catches up arrive too")
    void theProductStatementCatchesUpOverTheCap(String order) throws SQLException {
        String table = eventsTable(order.isEmpty() ? "product" : "newest");
        execute("CREATE INDEX " + table + "_date ON " + table + " (date)");
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Instant first = now.minus(Duration.ofDays(30));
        insertSpread(table, "old", 100_000, first, Duration.ofSeconds(25));
        InMemoryStore store = new InMemoryStore();
        String statement = "SELECT reference, member_id, member_name, date, team_name, amount FROM " + table
                + " WHERE date > {{ last_update_time }} AND date < {{ upper_date_limit }}" + order;
        SourcePipeline source = pipeline(store, SourceDefinition.builder(tablePrefix() + "_product", url(), statement)
                .updateFrequency(Duration.ofSeconds(10)).start(first.minus(Duration.ofDays(1))).build());
        source.startPolling(Duration.ZERO);

        awaitTrue(() -> store.runs().size() >= 3, "three runs");
        assertThat(store.runs().get(0).complete()).as("the first run stopped at the cap").isFalse();
        assertThat(store.runs().get(0).note()).contains("stopped at the cap of 1667 rows");
        insertSpread(table, "new", 100, Instant.now().minusSeconds(1), Duration.ofMillis(1));
        awaitTrue(() -> store.registrations(source.id()).size() == 100_100, "100,100 rows imported");

        assertThat(store.registrations(source.id())).hasSize(100_100);
        long read = store.runs().stream().mapToLong(RunRecord::read).sum();
        assertThat(read).as("rows read from the source in all").isLessThan(200_000);
        awaitTrue(() -> caughtUp(store, source.id()), "caught up");
        assertThat(store.runs()).allSatisfy(r -> assertThat(r.succeeded()).isTrue());
    }

    @ParameterizedTest(name = "lower {0}, upper {1}")
    @CsvSource({">,<", ">=,<=", ">,<="})
    @DisplayName("Regression (issue 12): 12,000 rows at one instant and 3,000 later, a cap of 5,000, no lookback, no "
            + "ORDER BY: exactly 15,000 arrive, whichever operators the statement uses")
    void aGroupOfEqualDatesOverTheCapWithoutLookback(String lower, String upper) throws SQLException {
        String table = eventsTable("instant");
        Instant instant = Instant.parse("2025-06-01T12:00:00Z");
        insertEvents(table, "tie", 12_000, instant);
        insertSpread(table, "after", 3_000, instant.plusMillis(1), Duration.ofMillis(1));
        InMemoryStore store = new InMemoryStore();
        String statement = "SELECT reference, member_id, member_name, date, team_name, amount FROM " + table
                + " WHERE date " + lower + " {{ last_update_time }} AND date " + upper + " {{ upper_date_limit }}";
        SourcePipeline source = pipeline(store, SourceDefinition.builder(tablePrefix() + "_instant", url(), statement)
                .lookback(Duration.ZERO).maxRowsPerMinute(5_000).start(instant.minusSeconds(60)).build());
        source.startPolling(Duration.ZERO);

        awaitTrue(() -> caughtUp(store, source.id()), "caught up");
        assertThat(store.registrations(source.id())).hasSize(15_000);
        assertThat(store.runs()).allSatisfy(r -> assertThat(r.succeeded()).isTrue());
    }

    @Test
    @DisplayName("a re-read counts updated and unchanged rows")
    void updatesAreDetected() throws SQLException {
        String table = eventsTable("updates");
        insertEvent(table, "a", Instant.parse("2024-01-01T00:00:00Z"), UTC);
        insertEvent(table, "b", Instant.parse("2024-01-02T00:00:00Z"), UTC);
        insertEvent(table, "c", Instant.parse("2024-01-03T00:00:00Z"), UTC);
        InMemoryStore store = new InMemoryStore();
        SourcePipeline source = pipeline(store, definition("updates", selectEvents(table)));
        Window all = new Window(Instant.parse("2023-01-01T00:00:00Z"), Instant.parse("2025-01-01T00:00:00Z"));
        assertThat(source.importWindow(all).block(RUN_TIMEOUT).inserted()).isEqualTo(3);

        execute("UPDATE " + table + " SET amount = 99.95, team_name = 'Blue' WHERE reference = 'b'");
        RunRecord again = source.importWindow(all).block(RUN_TIMEOUT);

        assertSucceeded(again);
        assertThat(again.inserted()).isZero();
        assertThat(again.updated()).isEqualTo(1);
        assertThat(again.unchanged()).isEqualTo(2);
        Registration b = store.registrations(source.id()).get("b");
        assertThat(b.teamName()).isEqualTo("Blue");
        assertThat(b.fieldsJson()).isEqualTo("{\"amount\":99.95}");
    }

    @Test
    @DisplayName("rows that break a rule are rejected with their row number and reason; the run goes on")
    void rejectedRowsCarryReasons() throws SQLException {
        String table = eventsTable("rejects");
        insertEvent(table, "ok-1", Instant.parse("2024-01-01T00:00:00Z"), UTC);
        insertEvent(table, null, Instant.parse("2024-01-02T00:00:00Z"), UTC);
        insertEventWithMember(table, "no-member", null, Instant.parse("2024-01-03T00:00:00Z"));
        insertEvent(table, "ok-2", Instant.parse("2024-01-04T00:00:00Z"), UTC);
        InMemoryStore store = new InMemoryStore();
        SourcePipeline source = pipeline(store, definition("rejects", selectEvents(table)));

        RunRecord run = source.runNow().block(RUN_TIMEOUT);

        assertSucceeded(run);
        assertThat(run.read()).isEqualTo(4);
        assertThat(run.rejected()).isEqualTo(2);
        assertThat(run.rejections()).extracting(r -> r.reason())
                .containsExactly("row 2: reference is NULL", "row 3: member_id is NULL");
        assertThat(store.registrations(source.id())).containsOnlyKeys("ok-1", "ok-2");
        assertThat(store.checkpoint(source.id())).contains(run.window().upper());
    }

    @Test
    @DisplayName("duplicate references in one run: the last wins, and they are counted")
    void duplicateReferencesLastWins() throws SQLException {
        String table = eventsTable("duplicates");
        insertEvent(table, "dup", Instant.parse("2024-01-01T00:00:00Z"), UTC, "1.00");
        insertEvent(table, "other", Instant.parse("2024-01-02T00:00:00Z"), UTC, "2.00");
        insertEvent(table, "dup", Instant.parse("2024-01-03T00:00:00Z"), UTC, "3.00");
        InMemoryStore store = new InMemoryStore();
        // a batch of one row: the duplicate lands in a later batch, so the order of writes decides
        SourcePipeline source = pipeline(store, definition("duplicates", selectEvents(table)).toBuilder().batchSize(1).build());

        RunRecord run = source.runNow().block(RUN_TIMEOUT);

        assertSucceeded(run);
        assertThat(run.read()).isEqualTo(3);
        assertThat(run.duplicates()).isEqualTo(1);
        assertThat(store.registrations(source.id())).hasSize(2);
        Registration dup = store.registrations(source.id()).get("dup");
        assertThat(dup.fieldsJson()).isEqualTo("{\"amount\":3.00}");
        assertThat(dup.date()).isEqualTo(Instant.parse("2024-01-03T00:00:00Z"));
    }

    @Test
    @DisplayName("zone-less timestamps hold local times of a non-UTC source zone: bounds and dates convert right")
    void zonelessTimestampsInTheSourceZone() throws SQLException {
        ZoneId zone = nonUtcZone();
        assertThat(zone.getRules().getOffset(Instant.parse("2024-07-01T00:00:00Z"))).isNotEqualTo(ZoneOffset.UTC);
        String table = name("zones");
        createTable(table, "reference VARCHAR(100), member_id VARCHAR(100), member_name VARCHAR(200), date "
                + zonelessTimestampType() + ", ts " + zonedTimestampType());
        Instant lower = Instant.parse("2024-07-01T10:00:00Z");
        Instant upper = Instant.parse("2024-07-01T12:00:00Z");
        insertZoned(table, "before", lower.minus(1, ChronoUnit.MICROS), zone);
        insertZoned(table, "at-lower", lower, zone);
        insertZoned(table, "last", upper.minus(1, ChronoUnit.MICROS), zone);
        insertZoned(table, "at-upper", upper, zone);
        // a winter row: its offset differs from the summer rows' where the zone keeps daylight saving time
        insertZoned(table, "winter", Instant.parse("2024-01-15T10:00:00Z"), zone);

        for (String column : List.of("date", "ts")) {
            InMemoryStore store = new InMemoryStore();
            String statement = "SELECT reference, member_id, member_name, date, ts FROM " + table + " WHERE " + column
                    + " >= {{ last_update_time }} AND " + column + " < {{ upper_date_limit }} ORDER BY date";
            SourcePipeline source = pipeline(store, definition("zones_" + column, statement).toBuilder().timezone(zone).build());

            RunRecord run = source.importWindow(new Window(lower, upper)).block(RUN_TIMEOUT);
            RunRecord winter = source.importWindow(new Window(Instant.parse("2024-01-15T10:00:00Z"),
                    Instant.parse("2024-01-15T10:00:01Z"))).block(RUN_TIMEOUT);

            assertSucceeded(run);
            assertSucceeded(winter);
            Map<String, Registration> got = store.registrations(source.id());
            assertThat(got).as("filtered on " + column).containsOnlyKeys("at-lower", "last", "winter");
            assertThat(got.get("at-lower").date()).isEqualTo(lower);
            assertThat(got.get("at-lower").fieldsJson()).isEqualTo("{\"ts\":\"" + lower + "\"}");
            assertThat(got.get("last").date()).isEqualTo(upper.minus(1, ChronoUnit.MICROS));
            assertThat(got.get("winter").date()).isEqualTo(Instant.parse("2024-01-15T10:00:00Z"));
            assertThat(got.get("winter").fieldsJson()).isEqualTo("{\"ts\":\"2024-01-15T10:00:00Z\"}");
        }
    }

    @Test
    @DisplayName("Europe/Copenhagen across the 2025 transitions: local times in the skipped and the repeated hour land as "
            + "java.time's instants (the earlier offset in the repeated hour), windows with bounds inside them lose no row, "
            + "instants stay exact")
    void regionZoneAcrossDaylightSavingTransitions() throws SQLException {
        ZoneId zone = ZoneId.of("Europe/Copenhagen");
        String table = "tz_" + name("dst");
        createTable(table, "reference VARCHAR(100), member_id VARCHAR(100), member_name VARCHAR(200), date "
                + zonelessTimestampType() + ", ts " + zonedTimestampType());
        // the local time written by an application in Copenhagen -> the instant it stands for
        Map<String, LocalDateTime> written = Map.of(
                "spring-before", LocalDateTime.parse("2025-03-30T01:59:59.999999"),
                "spring-skipped", LocalDateTime.parse("2025-03-30T02:30:00"), // does not exist: a clock not moved on
                "spring-after", LocalDateTime.parse("2025-03-30T03:00:00"),
                "fall-before", LocalDateTime.parse("2025-10-26T01:59:59"),
                "fall-repeated", LocalDateTime.parse("2025-10-26T02:30:00"), // 00:30Z or 01:30Z
                "fall-after", LocalDateTime.parse("2025-10-26T03:00:00"));
        Map<String, Instant> expected = Map.of(
                "spring-before", Instant.parse("2025-03-30T00:59:59.999999Z"),
                "spring-skipped", Instant.parse("2025-03-30T01:30:00Z"), // java.time moves it on by the gap
                "spring-after", Instant.parse("2025-03-30T01:00:00Z"),
                "fall-before", Instant.parse("2025-10-25T23:59:59Z"),
                "fall-repeated", Instant.parse("2025-10-26T00:30:00Z"), // the earlier offset, summer time
                "fall-after", Instant.parse("2025-10-26T02:00:00Z"));
        try (Connection c = connect(); PreparedStatement st = c.prepareStatement("INSERT INTO " + table
                + " (reference, member_id, member_name, date, ts) VALUES (?, 'm1', 'Member', ?, ?)")) {
            for (Map.Entry<String, LocalDateTime> row : written.entrySet()) {
                st.setString(1, row.getKey());
                st.setObject(2, row.getValue());
                st.setObject(3, expected.get(row.getKey()).atOffset(ZoneOffset.UTC));
                st.executeUpdate();
            }
        }
        // bounds at and next to the instant the clocks go forward, and inside the repeated hour (02:30 summer, 02:30 winter)
        List<Instant> bounds = List.of(Instant.parse("2025-03-29T22:00:00Z"), Instant.parse("2025-03-30T00:59:59.999999Z"),
                Instant.parse("2025-03-30T01:00:00Z"), Instant.parse("2025-03-30T01:30:00Z"),
                Instant.parse("2025-10-25T22:00:00Z"), Instant.parse("2025-10-26T00:30:00Z"),
                Instant.parse("2025-10-26T01:00:00Z"), Instant.parse("2025-10-26T01:30:00Z"),
                Instant.parse("2025-10-26T03:00:00Z"));

        for (String column : List.of("date", "ts")) {
            InMemoryStore store = new InMemoryStore();
            String statement = "SELECT reference, member_id, member_name, date, ts FROM " + table + " WHERE " + column
                    + " >= {{ last_update_time }} AND " + column + " < {{ upper_date_limit }} ORDER BY date";
            SourcePipeline source = pipeline(store, definition("dst_" + column, statement).toBuilder().timezone(zone).build());
            for (int i = 1; i < bounds.size(); i++) {
                assertSucceeded(source.importWindow(new Window(bounds.get(i - 1), bounds.get(i))).block(RUN_TIMEOUT));
            }

            Map<String, Registration> got = store.registrations(source.id());
            assertThat(got).as("filtered on " + column).containsOnlyKeys(written.keySet());
            for (String reference : written.keySet()) {
                assertThat(got.get(reference).date()).as(reference).isEqualTo(expected.get(reference));
                assertThat(got.get(reference).fieldsJson()).as(reference)
                        .isEqualTo("{\"ts\":\"" + expected.get(reference) + "\"}");
            }
        }
    }

    @Test
    @DisplayName("every type of the database becomes its exact JSON custom field")
    void everyTypeBecomesExactJson() throws SQLException {
        List<TypeCase> cases = typeCases();
        assertThat(cases).isNotEmpty();
        String table = name("types");
        createTable(table, "reference VARCHAR(100), member_id VARCHAR(100), member_name VARCHAR(200), date "
                + zonelessTimestampType() + ", " + cases.stream().map(c -> c.column() + " " + c.sqlType())
                        .collect(Collectors.joining(", ")));
        String columns = cases.stream().map(TypeCase::column).collect(Collectors.joining(", "));
        try (Connection c = connect(); PreparedStatement values = c.prepareStatement("INSERT INTO " + table
                + " (reference, member_id, member_name, date, " + columns + ") VALUES ('values', 'm1', 'Member', ?, "
                + cases.stream().map(TypeCase::sqlLiteral).collect(Collectors.joining(", ")) + ")");
                PreparedStatement nulls = c.prepareStatement("INSERT INTO " + table
                        + " (reference, member_id, member_name, date) VALUES ('nulls', 'm1', 'Member', ?)")) {
            values.setObject(1, LocalDateTime.parse("2024-03-01T10:00:00"));
            values.executeUpdate();
            nulls.setObject(1, LocalDateTime.parse("2024-03-01T10:00:01"));
            nulls.executeUpdate();
        }
        InMemoryStore store = new InMemoryStore();
        SourcePipeline source = pipeline(store, definition("types", "SELECT reference, member_id, member_name, date, "
                + columns + " FROM " + table + " WHERE date >= {{ last_update_time }} AND date < {{ upper_date_limit }}"));

        RunRecord run = source.runNow().block(RUN_TIMEOUT);

        assertSucceeded(run);
        assertThat(run.rejected()).isZero();
        String values = store.registrations(source.id()).get("values").fieldsJson();
        for (TypeCase c : cases) {
            assertThat(values).as(c.column() + " " + c.sqlType() + " = " + c.sqlLiteral())
                    .contains("\"" + c.column() + "\":" + c.expectedJson() + (c == cases.get(cases.size() - 1) ? "}" : ","));
        }
        assertThat(values).isEqualTo(cases.stream().map(c -> "\"" + c.column() + "\":" + c.expectedJson())
                .collect(Collectors.joining(",", "{", "}")));
        assertThat(store.registrations(source.id()).get("nulls").fieldsJson()).isEqualTo(cases.stream()
                .map(c -> "\"" + c.column() + "\":null").collect(Collectors.joining(",", "{", "}")));
    }

    @Test
    @DisplayName("a statement that writes fails in the read-only transaction with the server's message")
    void writingStatementFailsReadOnly() throws SQLException {
        String table = eventsTable("readonly");
        insertEvent(table, "kept", Instant.parse("2024-01-01T00:00:00Z"), UTC);
        String writer = name("writer");
        List<String> ddl = createWriter(writer, table);
        if (!ddl.isEmpty()) {
            dropStatements.add(0, dropWriter(writer));
            ddl.forEach(this::execute);
        }
        InMemoryStore store = new InMemoryStore();
        SourcePipeline source = pipeline(store, definition("readonly", writingStatement(writer, table)));

        RunRecord run = source.runNow().block(RUN_TIMEOUT);

        assertThat(run.succeeded()).isFalse();
        assertThat(run.error()).containsIgnoringCase(readOnlyViolation());
        assertThat(store.checkpoint(source.id())).isEmpty();
        assertThat(count(table)).as("the row is still there").isEqualTo(1);
    }

    @Test
    @DisplayName("a stored routine is called with the window bounds")
    void storedProcedureCall() throws SQLException {
        String table = eventsTable("procedure");
        insertEvent(table, "before", Instant.parse("2024-02-29T23:59:59Z"), UTC);
        insertEvent(table, "inside", Instant.parse("2024-03-01T12:00:00Z"), UTC);
        insertEvent(table, "after", Instant.parse("2024-03-02T00:00:00Z"), UTC);
        String procedure = name("proc");
        dropStatements.add(0, dropProcedure(procedure));
        createProcedure(procedure, table).forEach(this::execute);
        InMemoryStore store = new InMemoryStore();
        SourcePipeline source = pipeline(store, definition("procedure", callProcedure(procedure)));

        RunRecord run = source.importWindow(new Window(Instant.parse("2024-03-01T00:00:00Z"),
                Instant.parse("2024-03-02T00:00:00Z"))).block(RUN_TIMEOUT);

        assertSucceeded(run);
        assertThat(store.registrations(source.id())).containsOnlyKeys("inside");
        assertThat(store.registrations(source.id()).get("inside").fieldsJson()).isEqualTo("{\"amount\":12.50}");
    }

    @Test
    @DisplayName("a large result flows with backpressure: rows read ahead of a stalled sink stay bounded")
    void readAheadOfAStalledSinkIsBounded() throws InterruptedException {
        int rows = 20_000;
        int batchSize = 100;
        int fetchSize = 100;
        // what the pipeline may hold in flight: the batch being written, the next one filling, operator prefetch
        long bound = 8L * batchSize + 2L * fetchSize;
        CountDownLatch firstWrite = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch overrun = new CountDownLatch(1);
        AtomicLong delivered = new AtomicLong();
        InMemoryStore store = new InMemoryStore();
        RegistrationSink stalled = batch -> Mono.fromCallable(() -> {
            firstWrite.countDown();
            release.await();
            return batch;
        }).subscribeOn(Schedulers.boundedElastic()).flatMap(store::write);
        SourceDefinition definition = definition("backpressure", generatedRowsStatement(rows, 10, marker()))
                .toBuilder().batchSize(batchSize).fetchSize(fetchSize).build();
        Tributary tributary = tributary(stalled, store, counting(definition, delivered, bound, overrun));
        SourcePipeline source = tributary.add(definition);

        Mono<RunRecord> run = source.runNow().cache();
        run.subscribe();
        assertThat(firstWrite.await(60, TimeUnit.SECONDS)).as("the first batch reached the sink").isTrue();
        // the sink is stalled: give the source a second to overrun the bound; it fails at once if it does
        boolean overran = overrun.await(1, TimeUnit.SECONDS);
        long readWhileStalled = delivered.get();
        release.countDown();
        RunRecord record = run.block(RUN_TIMEOUT);

        assertThat(overran).as("rows delivered while the sink was stalled: " + readWhileStalled).isFalse();
        assertThat(readWhileStalled).isLessThanOrEqualTo(bound).isLessThan(rows);
        assertSucceeded(record);
        assertThat(record.read()).isEqualTo(rows);
        assertThat(store.registrations(source.id())).hasSize(rows);
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    @DisplayName("a result far larger than the heap streams through a JVM with a 64 MB heap")
    void largeResultStreamsUnderASmallHeap() throws IOException, InterruptedException {
        int rows = 200_000;
        int padding = 1_000;
        // about 200 MB of row data against a 64 MB heap: holding the result would end in OutOfMemoryError
        String statement = generatedRowsStatement(rows, padding, marker());
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = List.of(java.toString(), "-Xmx64m", "-XX:+ExitOnOutOfMemoryError",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", classPath(),
                SmallHeapImport.class.getName(), url(), statement, Integer.toString(rows), "1000", "1000");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = process.waitFor();

        assertThat(exit).as(output).isZero();
        assertThat(output).contains("imported " + rows + " ");
    }

    @Test
    @DisplayName("a connection killed mid-stream fails the run with a reason, moves nothing, and the next run imports all")
    void connectionKilledMidStream() throws SQLException, InterruptedException {
        int rows = 20_000;
        String marker = marker();
        CountDownLatch firstWrite = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        InMemoryStore store = new InMemoryStore();
        RegistrationSink gated = batch -> Mono.fromCallable(() -> {
            firstWrite.countDown();
            release.await();
            return batch;
        }).subscribeOn(Schedulers.boundedElastic()).flatMap(store::write);
        // rows of 1 kB: 20 MB, far more than socket buffers hold, so the server is still sending when killed
        SourceDefinition definition = definition("killed", generatedRowsStatement(rows, 1_000, marker)).toBuilder()
                .batchSize(500).fetchSize(500).build();
        Tributary tributary = tributary(gated, store, null);
        SourcePipeline source = tributary.add(definition);

        Mono<RunRecord> first = source.runNow().cache();
        first.subscribe();
        assertThat(firstWrite.await(60, TimeUnit.SECONDS)).as("the first batch reached the sink").isTrue();
        int killed;
        try (Connection admin = connect()) {
            killed = killSessionsRunning(admin, marker);
        }
        release.countDown();
        RunRecord failed = first.block(RUN_TIMEOUT);

        assertThat(killed).as("sessions killed").isGreaterThanOrEqualTo(1);
        assertThat(failed.succeeded()).as("run after the kill: " + failed).isFalse();
        assertThat(failed.error()).isNotBlank();
        assertThat(failed.read()).isLessThan(rows);
        assertThat(store.checkpoint(source.id())).as("a failed run moves no checkpoint").isEmpty();

        RunRecord next = source.runNow().block(RUN_TIMEOUT);

        assertSucceeded(next);
        assertThat(next.window().lower()).isEqualTo(failed.window().lower());
        assertThat(next.read()).isEqualTo(rows);
        assertThat(store.registrations(source.id())).hasSize(rows);
        assertThat(store.checkpoint(source.id())).contains(next.window().upper());
    }

    // ---- helpers for subclasses --------------------------------------------------------------------------------

    /** Runs one SQL statement on the fixture connection. */
    protected final void execute(String sql) {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    /** A new fixture connection. */
    protected final Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl());
    }

    /** A run's record must say it succeeded; the message shows its error otherwise. */
    protected static void assertSucceeded(@Nullable RunRecord run) {
        assertThat(run).isNotNull();
        assertThat(run.succeeded()).as("run failed: " + run.error()).isTrue();
    }

    /** Reads an environment variable, or the default for the local service. */
    protected static String env(String name, String defaultValue) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? defaultValue : value;
    }

    // ---- internals ---------------------------------------------------------------------------------------------

    private String testName = "t";

    @org.junit.jupiter.api.BeforeEach
    void rememberTest(TestInfo info) {
        testName = info.getTestMethod().map(m -> m.getName()).orElse("t");
    }

    @AfterEach
    void cleanUp() {
        tributaries.forEach(Tributary::close);
        tributaries.clear();
        for (String drop : dropStatements) {
            try {
                execute(drop);
            } catch (IllegalStateException e) {
                // best effort: a failed drop must not hide the test's own failure
            }
        }
        dropStatements.clear();
    }

    private String name(String what) {
        return (tablePrefix() + "_" + what).toLowerCase(Locale.ROOT);
    }

    private static String marker() {
        return "tributary_" + UUID.randomUUID().toString().replace("-", "");
    }

    private void createTable(String table, String columns) {
        dropStatements.add("DROP TABLE IF EXISTS " + table);
        execute("DROP TABLE IF EXISTS " + table);
        execute("CREATE TABLE " + table + " (" + columns + ")" + tableOptions());
    }

    private String eventsTable(String what) {
        String table = name(what);
        createTable(table, "reference VARCHAR(100), member_id VARCHAR(100), member_name VARCHAR(200), date "
                + zonelessTimestampType() + ", team_name VARCHAR(100), amount DECIMAL(12,2)");
        return table;
    }

    private static String selectEvents(String table) {
        return "SELECT reference, member_id, member_name, date, team_name, amount FROM " + table
                + " WHERE date >= {{ last_update_time }} AND date < {{ upper_date_limit }} ORDER BY date";
    }

    private void insertEvent(String table, @Nullable String reference, Instant date, ZoneId zone) throws SQLException {
        insertEvent(table, reference, date, zone, "12.50");
    }

    private void insertEvent(String table, @Nullable String reference, Instant date, ZoneId zone, String amount)
            throws SQLException {
        try (Connection c = connect(); PreparedStatement st = c.prepareStatement("INSERT INTO " + table
                + " (reference, member_id, member_name, date, team_name, amount) VALUES (?, 'm1', 'Member One', ?, NULL, ?)")) {
            st.setString(1, reference);
            st.setObject(2, LocalDateTime.ofInstant(date, zone));
            st.setBigDecimal(3, new java.math.BigDecimal(amount));
            st.executeUpdate();
        }
    }

    private void insertEventWithMember(String table, String reference, @Nullable String member, Instant date)
            throws SQLException {
        try (Connection c = connect(); PreparedStatement st = c.prepareStatement("INSERT INTO " + table
                + " (reference, member_id, member_name, date, amount) VALUES (?, ?, 'Member', ?, 1)")) {
            st.setString(1, reference);
            st.setString(2, member);
            st.setObject(3, LocalDateTime.ofInstant(date, UTC));
            st.executeUpdate();
        }
    }

    /** The zone-less column gets the local time in {@code zone}, the zoned one the instant itself. */
    private void insertZoned(String table, String reference, Instant instant, ZoneId zone) throws SQLException {
        try (Connection c = connect(); PreparedStatement st = c.prepareStatement("INSERT INTO " + table
                + " (reference, member_id, member_name, date, ts) VALUES (?, 'm1', 'Member', ?, ?)")) {
            st.setString(1, reference);
            st.setObject(2, LocalDateTime.ofInstant(instant, zone));
            st.setObject(3, instant.atOffset(ZoneOffset.UTC));
            st.executeUpdate();
        }
    }

    private long count(String table) throws SQLException {
        try (Connection c = connect(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * A source without lookback and without a row cap, so that windows are exact; the cases for the lookback and
     * the cap turn them on.
     */
    private SourceDefinition definition(String id, String statement) {
        return SourceDefinition.builder(tablePrefix() + "_" + id, url(), statement)
                .lookback(Duration.ZERO).maxRowsPerMinute(0).build();
    }

    /** {@code count} events named {@code prefix-i}, {@code every} apart from {@code first}, a thousand per statement. */
    private void insertSpread(String table, String prefix, int count, Instant first, Duration every) throws SQLException {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            for (int from = 0; from < count; from += 1_000) {
                StringBuilder sql = new StringBuilder("INSERT INTO " + table
                        + " (reference, member_id, member_name, date, team_name, amount) VALUES ");
                for (int i = from; i < Math.min(count, from + 1_000); i++) {
                    LocalDateTime at = LocalDateTime.ofInstant(first.plus(every.multipliedBy(i)), UTC);
                    sql.append(i == from ? "" : ", ").append("('").append(prefix).append('-').append(i)
                            .append("', 'm1', 'Member One', '").append(at.toString().replace('T', ' ')).append("', NULL, 1)");
                }
                st.execute(sql.toString());
            }
        }
    }

    /** The last run read its whole window up to the database's clock and moved the checkpoint there. */
    private static boolean caughtUp(InMemoryStore store, String source) {
        List<RunRecord> runs = store.runs();
        RunRecord last = runs.isEmpty() ? null : runs.get(runs.size() - 1);
        return last != null && last.complete() && last.window().upper().isAfter(Instant.now().minus(Duration.ofMinutes(5)))
                && store.checkpoint(source).filter(last.window().upper()::equals).isPresent();
    }

    /** Waits for a condition of a source polling in the background, checked after each of its events. */
    private void awaitTrue(java.util.function.BooleanSupplier condition, String what) {
        if (condition.getAsBoolean()) {
            return;
        }
        Tributary polling = tributaries.get(tributaries.size() - 1);
        ImportEvent met = polling.events().filter(e -> condition.getAsBoolean()).blockFirst(Duration.ofMinutes(3));
        assertThat(met).as("within 3 minutes: " + what).isNotNull();
    }

    /** Many events in one round trip: {@code count} rows named {@code prefix-i}, all at {@code date}. */
    private void insertEvents(String table, String prefix, int count, Instant date) throws SQLException {
        try (Connection c = connect(); PreparedStatement st = c.prepareStatement("INSERT INTO " + table
                + " (reference, member_id, member_name, date, team_name, amount) VALUES (?, 'm1', 'Member One', ?, NULL, 1)")) {
            for (int i = 0; i < count; i++) {
                st.setString(1, prefix + "-" + i);
                st.setObject(2, LocalDateTime.ofInstant(date, UTC));
                st.addBatch();
            }
            st.executeBatch();
        }
    }

    private SourcePipeline pipeline(InMemoryStore store, SourceDefinition definition) {
        return tributary(store, store, null).add(definition);
    }

    private Tributary tributary(RegistrationSink sink, InMemoryStore store, @Nullable Dialects dialects) {
        Tributary.Builder builder = Tributary.builder().sink(sink).checkpoints(store).importLog(store)
                .maxBatchLatency(Duration.ofMillis(50));
        if (dialects != null) {
            builder.dialects(dialects);
        }
        Tributary tributary = builder.build();
        tributaries.add(tributary);
        return tributary;
    }

    /** The real provider, with a count of the rows its client delivers; {@code overrun} opens past {@code bound}. */
    private static Dialects counting(SourceDefinition definition, AtomicLong delivered, long bound, CountDownLatch overrun) {
        DialectProvider real = Dialects.discover().select(definition);
        DialectProvider counting = new DialectProvider() {
            @Override
            public String name() {
                return real.name();
            }

            @Override
            public boolean supports(String url) {
                return real.supports(url);
            }

            @Override
            public Dialect dialect() {
                return real.dialect();
            }

            @Override
            public SourceClient connect(SourceDefinition source) {
                SourceClient client = real.connect(source);
                return new SourceClient() {
                    @Override
                    public Flux<SourceRow> stream(RenderedStatement statement, List<Object> bindValues, int fetchSize) {
                        return client.stream(statement, bindValues, fetchSize).doOnNext(row -> {
                            if (delivered.incrementAndGet() > bound) {
                                overrun.countDown();
                            }
                        });
                    }

                    @Override
                    public Mono<Instant> now() {
                        return client.now();
                    }

                    @Override
                    public Mono<Void> close() {
                        return client.close();
                    }
                };
            }
        };
        return new Dialects(List.of(counting));
    }

    /** The test class path for a forked JVM; failsafe may pass it through a manifest-only jar, which works too. */
    private static String classPath() {
        String path = System.getProperty("java.class.path");
        String surefire = System.getProperty("surefire.test.class.path");
        return surefire != null && !surefire.isBlank() ? surefire : path.replace(File.pathSeparator + File.pathSeparator, File.pathSeparator);
    }
}
