package io.tributary.app.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.zaxxer.hikari.HikariDataSource;

import io.tributary.app.support.H2Store;

import io.tributary.core.mapping.Rejection;
import io.tributary.core.sink.RunKind;
import io.tributary.core.sink.RunRecord;
import io.tributary.core.sink.RunStatus;
import io.tributary.core.window.Window;
import reactor.core.scheduler.Schedulers;

/** The import log's retention: old finished runs go with their rejections; each source's newest and running ones stay. */
class ImportLogRetentionIT {

    private static final Instant NOW = Instant.parse("2026-06-30T12:00:00Z");

    private static HikariDataSource dataSource;
    private JdbcImportLog log;

    @BeforeAll
    static void database() {
        dataSource = H2Store.migrated("speed_import_log_retention");
    }

    @AfterAll
    static void close() {
        dataSource.close();
    }

    @BeforeEach
    void empty() throws Exception {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            st.execute("DELETE FROM import_rejections");
            st.execute("DELETE FROM import_runs");
        }
        log = new JdbcImportLog(dataSource, Schedulers.immediate());
    }

    @Test
    void oldFinishedRunsGoAndTheNewestOfEachSourceStays() {
        long oldA = run("a", NOW.minus(Duration.ofDays(40)), RunStatus.SUCCEEDED, 1);
        long oldFailedA = run("a", NOW.minus(Duration.ofDays(35)), RunStatus.FAILED, 0);
        long recentA = run("a", NOW.minus(Duration.ofDays(2)), RunStatus.SUCCEEDED, 0);
        // source b was stopped long ago: its last run is all the status page has
        long oldB = run("b", NOW.minus(Duration.ofDays(50)), RunStatus.SUCCEEDED, 0);
        long lastB = run("b", NOW.minus(Duration.ofDays(45)), RunStatus.SUCCEEDED, 0);
        // a run still in progress (an hours-long historical chunk) is never deleted under it
        long running = log.started("c", RunKind.HISTORICAL, new Window(NOW.minus(Duration.ofDays(60)), NOW),
                NOW.minus(Duration.ofDays(31))).block();
        run("c", NOW.minus(Duration.ofHours(1)), RunStatus.SUCCEEDED, 0);

        // its own sweeps are a minute away: the test sweeps itself
        ImportLogRetention retention = new ImportLogRetention(log, Duration.ofDays(30), Clock.fixed(NOW, ZoneOffset.UTC),
                Schedulers.parallel());
        try {
            assertThat(retention.sweep()).isEqualTo(3);
        } finally {
            retention.close();
        }

        assertThat(ids("a")).containsExactly(recentA);
        assertThat(ids("b")).containsExactly(lastB);
        assertThat(ids("c")).contains(running).hasSize(2);
        assertThat(ids("a")).doesNotContain(oldA, oldFailedA);
        assertThat(ids("b")).doesNotContain(oldB);
        assertThat(rejections()).isZero();
    }

    @Test
    void zeroKeepsEverything() {
        run("a", NOW.minus(Duration.ofDays(400)), RunStatus.SUCCEEDED, 0);
        run("a", NOW.minus(Duration.ofDays(300)), RunStatus.SUCCEEDED, 0);
        ImportLogRetention retention = new ImportLogRetention(log, Duration.ZERO, Clock.fixed(NOW, ZoneOffset.UTC),
                Schedulers.parallel());
        assertThat(retention.sweep()).isZero();
        retention.close();
        assertThat(ids("a")).hasSize(2);
    }

    private long run(String source, Instant startedAt, RunStatus status, int rejections) {
        Window window = new Window(startedAt.minus(Duration.ofMinutes(1)), startedAt);
        long id = log.started(source, RunKind.AUTOMATIC, window, startedAt).block();
        List<Rejection> rejected = rejections == 0 ? List.of() : List.of(new Rejection(1, "r1", "no date"));
        log.finished(new RunRecord(id, source, RunKind.AUTOMATIC, window, startedAt, Duration.ofMillis(5), status, 1, 0, 0,
                1, 0, rejections, 0, rejected, status == RunStatus.FAILED ? "down" : null, null, status == RunStatus.SUCCEEDED,
                status == RunStatus.SUCCEEDED ? startedAt : null, Duration.ofMinutes(1))).block();
        return id;
    }

    private List<Long> ids(String source) {
        return log.runs(source, Set.of(), Set.of(), 100, 0).stream().map(r -> r.run().runId()).toList();
    }

    private long rejections() {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement();
                var rs = st.executeQuery("SELECT count(*) FROM import_rejections")) {
            rs.next();
            return rs.getLong(1);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
