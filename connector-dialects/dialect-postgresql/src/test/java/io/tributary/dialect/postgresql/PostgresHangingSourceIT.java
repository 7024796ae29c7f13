package io.tributary.dialect.postgresql;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import io.tributary.core.SourceDefinition;
import io.tributary.core.SourcePipeline;
import io.tributary.core.Tributary;
import io.tributary.core.sink.RunRecord;
import io.tributary.testkit.InMemoryStore;

/** A source whose statement hangs beside a healthy source on the same server, user and so the same pool. */
class PostgresHangingSourceIT {

    private static final String TABLE = "tbs_pg_hang_healthy";
    private Tributary tributary;

    @AfterEach
    void close() throws SQLException {
        if (tributary != null) {
            tributary.close();
        }
        execute("DROP TABLE IF EXISTS " + TABLE);
    }

    @Test
    @DisplayName("Regression (issue 19): a statement that hangs past QUERY_TIMEOUT is ended on the server too, its "
            + "connection comes back, and a healthy source sharing the pool keeps importing")
    void aHangingStatementNeverStarvesASourceSharingItsPool() throws SQLException, InterruptedException {
        execute("DROP TABLE IF EXISTS " + TABLE,
                "CREATE TABLE " + TABLE + " (reference text, member_id text, member_name text, date timestamp)",
                "INSERT INTO " + TABLE + " SELECT 'h' || i, 'm', 'Member', now() - interval '1 hour' + i * interval '1 second' "
                        + "FROM generate_series(1, 500) i");
        InMemoryStore store = new InMemoryStore();
        tributary = Tributary.builder().sink(store).checkpoints(store).importLog(store)
                .maxBatchLatency(Duration.ofMillis(50)).build();
        SourcePipeline hanging = tributary.add(SourceDefinition.builder("hang", PostgresBehaviourIT.URL,
                "SELECT 'r' AS reference, 'm' AS member_id, 'n' AS member_name, now() AS date FROM pg_sleep(600) "
                        + "WHERE {{ last_update_time }} < {{ upper_date_limit }}")
                .queryTimeout(Duration.ofSeconds(1)).build());
        SourcePipeline healthy = tributary.add(SourceDefinition.builder("healthy", PostgresBehaviourIT.URL,
                "SELECT * FROM " + TABLE + " WHERE date > {{ last_update_time }} AND date < {{ upper_date_limit }}").build());

        // more timed-out runs than the shared pool has connections
        for (int i = 0; i < 12; i++) {
            RunRecord failed = hanging.runNow().block(Duration.ofSeconds(30));
            assertThat(failed.succeeded()).isFalse();
        }
        RunRecord ok = healthy.runNow().block(Duration.ofSeconds(30));

        assertThat(ok).as("the healthy source's run finished").isNotNull();
        assertThat(ok.succeeded()).as(String.valueOf(ok.error())).isTrue();
        assertThat(ok.inserted()).isEqualTo(500);
        // ended by a cancel sent when each run gave up, asynchronously: allow the server a moment
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (sleepingStatements() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(sleepingStatements()).as("hung statements still running on the server 5 s after their runs failed").isZero();
    }

    @Test
    @DisplayName("Regression (issue 18): a read that takes longer than QUERY_TIMEOUT in all, its rows coming steadily, "
            + "succeeds (a server-side statement_timeout counted from the first fetch to the last and ended it)")
    void aLongSteadyReadIsNotEndedByTheQueryTimeout() {
        InMemoryStore store = new InMemoryStore();
        tributary = Tributary.builder().sink(store).checkpoints(store).importLog(store)
                .maxBatchLatency(Duration.ofMillis(50)).build();
        // 600 rows, 10 ms each on the server, fetched 20 at a time: about 6 s in all, 0.2 s per fetch; the timeout is 2 s
        // (a first connection in a fresh JVM may take a second)
        SourcePipeline steady = tributary.add(SourceDefinition.builder("steady", PostgresBehaviourIT.URL,
                "SELECT 's' || i AS reference, 'm' AS member_id, 'Member' AS member_name, "
                        + "now() - interval '1 hour' AS date, pg_sleep(0.01)::text AS slept FROM generate_series(1, 600) i "
                        + "WHERE {{ last_update_time }} < {{ upper_date_limit }}")
                .queryTimeout(Duration.ofSeconds(2)).fetchSize(20).build());

        RunRecord run = steady.runNow().block(Duration.ofSeconds(60));

        assertThat(run.succeeded()).as(String.valueOf(run.error())).isTrue();
        assertThat(run.duration()).as("longer than the query timeout in all").isGreaterThan(Duration.ofSeconds(4));
        assertThat(run.inserted()).isEqualTo(600);
    }

    private static long sleepingStatements() throws SQLException {
        try (Connection c = connect(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE state = 'active' "
                        + "AND query LIKE '%pg_sleep(600)%' AND pid <> pg_backend_pid()")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void execute(String... sql) throws SQLException {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            for (String s : sql) {
                st.execute(s);
            }
        }
    }

    private static Connection connect() throws SQLException {
        return DriverManager.getConnection(PostgresBehaviourIT.JDBC_URL);
    }
}
