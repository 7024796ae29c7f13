package io.tributary.app.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.zaxxer.hikari.HikariDataSource;

import io.tributary.app.store.JdbcImportLog.LoggedRun;
import io.tributary.app.support.H2Store;
import io.tributary.app.support.TestDatabase;
import io.tributary.core.mapping.Registration;
import io.tributary.core.sink.RegistrationSink;
import io.tributary.core.sink.RunKind;
import io.tributary.core.sink.RunRecord;
import io.tributary.core.sink.RunStatus;
import io.tributary.core.sink.SinkBatch;
import io.tributary.core.window.Window;
import reactor.core.scheduler.Schedulers;

/**
 * Issue 18: consecutive idle automatic runs of a source are one row of the import log, on both stores; what the API
 * reads of it (listing, count, newest row, plot points, retention) and the crash bookkeeping stay right.
 */
class IdleRunSummaryIT {

    private static final Instant T0 = Instant.parse("2026-06-30T12:00:00Z");
    private static final Duration MINUTE = Duration.ofMinutes(1);

    private static TestDatabase postgres;
    private static HikariDataSource postgresPool;
    private static HikariDataSource h2Pool;

    @BeforeAll
    static void open() throws Exception {
        postgres = TestDatabase.fresh("tributary_idlelog_summary");
        postgresPool = new HikariDataSource();
        postgresPool.setJdbcUrl(postgres.jdbcUrl());
        postgresPool.setSchema("tributary");
        Flyway.configure().dataSource(postgresPool).schemas("tributary").defaultSchema("tributary")
                .placeholders(Map.of("json_type", "jsonb")).locations("classpath:db/migration").load().migrate();
        h2Pool = H2Store.migrated("tributary_idlelog_summary");
    }

    @AfterAll
    static void close() throws Exception {
        postgresPool.close();
        h2Pool.close();
        try (Connection c = java.sql.DriverManager.getConnection(postgres.jdbcUrl().replace("/tributary_idlelog_summary?",
                "/postgres?")); Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS tributary_idlelog_summary WITH (FORCE)");
        }
    }

    static Stream<Arguments> stores() {
        return Stream.of(Arguments.of("postgresql", postgresPool), Arguments.of("h2", h2Pool));
    }

    // the pools are the class's: JUnit must not close them after each invocation

    @ParameterizedTest(name = "{0}", autoCloseArguments = false)
    @MethodSource("stores")
    @DisplayName("N idle polls leave one row standing for N runs, shown as one run with polls = N")
    void idlePollsShareOneRow(String vendor, DataSource store) {
        JdbcImportLog log = new JdbcImportLog(store, Schedulers.immediate());
        String source = vendor + "-idle";
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(idle(log, source, T0.plus(MINUTE.multipliedBy(i)), MINUTE, 3 + i));
        }

        List<LoggedRun> runs = log.runs(source, Set.of(), Set.of(), 20, 0);
        assertThat(runs).hasSize(1);
        LoggedRun summary = runs.get(0);
        assertThat(summary.polls()).isEqualTo(5);
        assertThat(summary.run().runId()).isEqualTo(ids.get(0));
        assertThat(summary.run().startedAt()).isEqualTo(T0);
        assertThat(summary.lastStartedAt()).isEqualTo(T0.plus(MINUTE.multipliedBy(4)));
        assertThat(summary.run().window()).isEqualTo(new Window(T0.minus(MINUTE), T0.plus(MINUTE.multipliedBy(4))));
        assertThat(summary.run().duration()).isEqualTo(Duration.ofMillis(7));
        assertThat(summary.run().checkpoint()).isEqualTo(T0.plus(MINUTE.multipliedBy(4)));
        assertThat(summary.run().status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(summary.run().read()).isZero();
        assertThat(log.count(source, Set.of(), Set.of())).isEqualTo(1);
        assertThat(log.lastFinished(source).polls()).isEqualTo(5);
        List<JdbcImportLog.RunPoint> points = log.points(source, T0.plus(MINUTE.multipliedBy(3)), Set.of(), 100);
        assertThat(points).singleElement().satisfies(p -> {
            assertThat(p.polls()).isEqualTo(5);
            assertThat(p.lastStartedAt()).isEqualTo(T0.plus(MINUTE.multipliedBy(4)));
        });
        assertThat(ids).doesNotHaveDuplicates().isSorted();
    }

    @ParameterizedTest(name = "{0}", autoCloseArguments = false)
    @MethodSource("stores")
    @DisplayName("a run that reads rows, another kind of run, a new interval and the span each end the summary")
    void summaryEnds(String vendor, DataSource store) {
        JdbcImportLog log = new JdbcImportLog(store, Schedulers.immediate());
        String source = vendor + "-ends";
        Instant t = T0;
        for (int i = 0; i < 3; i++, t = t.plus(MINUTE)) {
            idle(log, source, t, MINUTE, 1);
        }
        long reading = finish(log, automatic(log, source, t, MINUTE, 2, 1));
        t = t.plus(MINUTE);
        idle(log, source, t, MINUTE, 1);
        t = t.plus(MINUTE);
        idle(log, source, t, MINUTE, 1);
        t = t.plus(MINUTE);
        long manual = log.started(source, RunKind.MANUAL, new Window(t.minus(MINUTE), t), t).block();
        log.finished(record(manual, source, RunKind.MANUAL, t, MINUTE, 0, 0)).block();
        t = t.plus(MINUTE);
        idle(log, source, t, MINUTE, 1);
        // the interval in force changed: a new row, which takes polls for at most an hour from its first
        Instant fiveMinutes = t.plus(MINUTE);
        for (Instant at = fiveMinutes; !at.isAfter(fiveMinutes.plus(JdbcImportLog.SUMMARY_SPAN)); at = at.plus(Duration.ofMinutes(5))) {
            idle(log, source, at, Duration.ofMinutes(5), 1);
        }

        List<LoggedRun> runs = log.runs(source, Set.of(), Set.of(), 20, 0);
        assertThat(runs).extracting(LoggedRun::polls).containsExactly(1L, 12L, 1L, 1L, 2L, 1L, 3L);
        assertThat(runs.get(1).run().startedAt()).isEqualTo(fiveMinutes);
        assertThat(runs.get(1).lastStartedAt()).isEqualTo(fiveMinutes.plus(Duration.ofMinutes(55)));
        assertThat(runs.get(0).run().startedAt()).isEqualTo(fiveMinutes.plus(JdbcImportLog.SUMMARY_SPAN));
        assertThat(runs.get(2).run().interval()).isEqualTo(MINUTE);
        assertThat(runs.get(3).run().runId()).isEqualTo(manual);
        assertThat(runs.get(4).run().runId()).isGreaterThan(reading);
        assertThat(runs.get(5).run().runId()).isEqualTo(reading);
        assertThat(runs.get(5).run().read()).isEqualTo(2);
        assertThat(log.count(source, Set.of(RunStatus.SUCCEEDED), Set.of(RunKind.AUTOMATIC))).isEqualTo(6);
        assertThat(log.points(source, T0, Set.of(), 100)).hasSize(7);
    }

    @ParameterizedTest(name = "{0}", autoCloseArguments = false)
    @MethodSource("stores")
    @DisplayName("a crash mid-run leaves the interrupted run with the rows it wrote; a run that wrote nothing is kept at a stop")
    void interruptedRuns(String vendor, DataSource store) throws Exception {
        JdbcImportLog log = new JdbcImportLog(store, Schedulers.immediate());
        String source = vendor + "-crash";
        idle(log, source, T0, MINUTE, 1);
        RegistrationSink sink = log.recordingRuns(new RegistrationStore(store, vendor, Clock.fixed(T0, ZoneOffset.UTC),
                Schedulers.boundedElastic()));
        long crashed = log.started(source, RunKind.AUTOMATIC, new Window(T0, T0.plus(MINUTE)), T0.plus(MINUTE)).block();
        assertThat(status(store, crashed)).isNull();
        sink.write(new SinkBatch(source, "crm", crashed, List.of(
                new Registration("r1", "m1", "Ann", T0, null, false, "{}"),
                new Registration("r2", "m1", "Ann", T0, null, false, "{}")))).block();
        assertThat(status(store, crashed)).isEqualTo("RUNNING");

        // the process died here; the next one marks the run failed with what it wrote
        JdbcImportLog next = new JdbcImportLog(store, Schedulers.immediate());
        assertThat(next.failInterruptedRuns("killed")).isEqualTo(1);
        LoggedRun newest = next.lastFinished(source);
        assertThat(newest.run().runId()).isEqualTo(crashed);
        assertThat(newest.run().status()).isEqualTo(RunStatus.FAILED);
        assertThat(newest.run().inserted()).isEqualTo(2);
        assertThat(newest.run().read()).isEqualTo(2);
        assertThat(newest.run().error()).startsWith("interrupted: killed");

        // a graceful stop while a run is reading and has written nothing: the run is recorded as interrupted
        long reading = next.started(source, RunKind.AUTOMATIC, new Window(T0, T0.plus(MINUTE)), T0.plus(MINUTE)).block();
        assertThat(next.failInterruptedRuns("stopped")).isEqualTo(1);
        assertThat(status(store, reading)).isEqualTo("FAILED");
        assertThat(reading).isGreaterThan(crashed);
    }

    @ParameterizedTest(name = "{0}", autoCloseArguments = false)
    @MethodSource("stores")
    @DisplayName("retention goes by a summary's last run and keeps the newest row of the source")
    void retention(String vendor, DataSource store) {
        JdbcImportLog log = new JdbcImportLog(store, Schedulers.immediate());
        String source = vendor + "-retention";
        Instant old = T0.minus(Duration.ofDays(40));
        // a summary from 40 days ago, closed by a run that read
        idle(log, source, old, MINUTE, 1);
        idle(log, source, old.plus(MINUTE), MINUTE, 1);
        finish(log, automatic(log, source, old.plus(MINUTE.multipliedBy(2)), MINUTE, 1, 1));
        // a summary whose first run is older than the retention and whose last is not
        Instant edge = T0.minus(Duration.ofDays(30)).minus(Duration.ofMinutes(30));
        for (int i = 0; i < 50; i += 5) {
            idle(log, source, edge.plus(Duration.ofMinutes(i)), Duration.ofMinutes(5), 1);
        }
        assertThat(log.runs(source, Set.of(), Set.of(), 20, 0)).extracting(LoggedRun::polls).containsExactly(10L, 1L, 2L);

        try (ImportLogRetention retention = new ImportLogRetention(log, Duration.ofDays(30), Clock.fixed(T0, ZoneOffset.UTC),
                Schedulers.parallel())) {
            assertThat(retention.sweep()).isEqualTo(2);
        }
        assertThat(log.runs(source, Set.of(), Set.of(), 20, 0)).extracting(LoggedRun::polls).containsExactly(10L);
    }

    @ParameterizedTest(name = "{0}", autoCloseArguments = false)
    @MethodSource("stores")
    @DisplayName("a checkpoint saved without waiting for the flush is in the store at once; the pool's connections keep synchronous commits")
    void checkpoints(String vendor, DataSource store) throws Exception {
        Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
        JdbcCheckpoints checkpoints = new JdbcCheckpoints(store, clock, Schedulers.immediate());
        String source = vendor + "-checkpoint";
        assertThat(checkpoints.load(source).block()).isNull();
        checkpoints.save(source, T0).block();
        checkpoints.save(source, T0.plus(MINUTE)).block();
        assertThat(checkpoints.load(source).block()).isEqualTo(T0.plus(MINUTE));
        // another process (a new instance remembers nothing) reads what was committed
        assertThat(new JdbcCheckpoints(store, clock, Schedulers.immediate()).load(source).block()).isEqualTo(T0.plus(MINUTE));
        if (vendor.equals("postgresql")) {
            // SET LOCAL ends with its transaction: registrations written on the same connections still wait for the flush
            for (int i = 0; i < 3; i++) {
                try (Connection c = store.getConnection(); Statement st = c.createStatement();
                        var rs = st.executeQuery("SHOW synchronous_commit")) {
                    rs.next();
                    assertThat(rs.getString(1)).isEqualTo("on");
                }
            }
        }
    }

    /** An automatic run that finds nothing; returns its id. */
    private static long idle(JdbcImportLog log, String source, Instant at, Duration interval, long durationMs) {
        long id = automatic(log, source, at, interval, 0, durationMs).runId();
        log.finished(record(id, source, RunKind.AUTOMATIC, at, interval, 0, durationMs)).block();
        return id;
    }

    private static RunRecord automatic(JdbcImportLog log, String source, Instant at, Duration interval, long read,
            long durationMs) {
        long id = log.started(source, RunKind.AUTOMATIC, new Window(at.minus(MINUTE), at), at).block();
        return record(id, source, RunKind.AUTOMATIC, at, interval, read, durationMs);
    }

    private static long finish(JdbcImportLog log, RunRecord r) {
        log.finished(r).block();
        return r.runId();
    }

    private static RunRecord record(long id, String source, RunKind kind, Instant at, Duration interval, long read,
            long durationMs) {
        return new RunRecord(id, source, kind, new Window(at.minus(MINUTE), at), at, Duration.ofMillis(durationMs),
                RunStatus.SUCCEEDED, read, read, 0, 0, 0, 0, 0, List.of(), null, null, true, at, interval);
    }

    private static String status(DataSource store, long id) throws Exception {
        try (Connection c = store.getConnection(); Statement st = c.createStatement();
                var rs = st.executeQuery("SELECT status FROM import_runs WHERE id = " + id)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }
}
