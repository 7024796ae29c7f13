package io.tributary.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import io.tributary.app.support.AppProcess;
import io.tributary.app.support.TestDatabase;
import io.tributary.testkit.FakePlectoServer;
import io.tributary.testkit.FakePlectoServer.Request;

/**
 * The packaged app killed with {@code kill -9} in the middle of a push to Plecto, then started again: every
 * registration arrives, what Plecto had accepted and Tributary had recorded is not sent again, and the import log
 * tells the story.
 */
class PlectoKillIT {

    private static final int ROWS = 20_000;

    @Test
    @DisplayName("kill -9 mid-push, restart: all 20,000 registrations arrive; the killed run is logged as interrupted, the next one counts every row once")
    void killedMidPushCatchesUp() throws Exception {
        TestDatabase db = TestDatabase.fresh("plecto_kill");
        db.execute("CREATE TABLE sales (ref text, seller int, amount numeric(8,2), sold_at timestamptz, updated_at timestamptz NOT NULL)",
                "INSERT INTO sales SELECT 's-' || g, g % 9, g % 100 + 0.5, timestamptz '2024-01-01' + g * interval '1 minute', "
                        + "timestamptz '2024-06-01' FROM generate_series(1, " + ROWS + ") g");
        try (FakePlectoServer plecto = FakePlectoServer.start("kill@example.com", "Kill-Pw-1").slowAnswers(Duration.ofMillis(40))) {
            Map<String, String> env = Map.of(
                    "TRIBUTARY_STORE_URL", db.jdbcUrl(),
                    "TRIBUTARY_PLECTO_URL", plecto.baseUrl(),
                    "TRIBUTARY_PLECTO_USERNAME", "kill@example.com",
                    "TRIBUTARY_PLECTO_PASSWORD", "Kill-Pw-1",
                    "TRIBUTARY_SOURCES_SALES_URL", db.sourceUrl(),
                    "TRIBUTARY_SOURCES_SALES_STATEMENT", """
                            SELECT ref AS reference, seller AS member_id, 'Seller' AS member_name, sold_at AS date, amount
                            FROM sales WHERE updated_at >= {{ last_update_time }} AND updated_at < {{ upper_date_limit }}""",
                    "TRIBUTARY_SOURCES_SALES_UPDATE_FREQUENCY", "1h",
                    "TRIBUTARY_SOURCES_SALES_PLECTO_DATA_SOURCE", "ds-kill");

            try (AppProcess.Server first = AppProcess.start(env)) {
                await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(20))
                        .until(() -> plecto.registrations().size() >= 3_000);
                first.kill9();
            }
            int heldAtKill = plecto.registrations().size();
            long recordedAtKill = db.count("SELECT count(*) FROM plecto_pushed");
            assertThat(heldAtKill).as("the push was cut in the middle").isBetween(3_000, ROWS - 1);
            // Plecto may have accepted arrays whose answer the killed process never recorded, never the reverse
            assertThat(recordedAtKill).isBetween(1L, (long) heldAtKill);
            assertThat(db.text("SELECT status FROM import_runs WHERE source_id = 'sales'")).isEqualTo("RUNNING");
            assertThat(db.count("SELECT count(*) FROM checkpoints WHERE source_id = 'sales'")).isZero();
            plecto.clearRequests();

            try (AppProcess.Server second = AppProcess.start(env)) {
                await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(250))
                        .until(() -> db.count("SELECT count(*) FROM import_runs WHERE source_id = 'sales' AND status = 'SUCCEEDED'") == 1);
                assertThat(second.output()).contains("1 run(s) were in progress when Tributary last stopped");
            }

            assertThat(plecto.registrations()).hasSize(ROWS);
            assertThat(db.count("SELECT count(*) FROM plecto_pushed WHERE source_id = 'sales'")).isEqualTo(ROWS);
            assertThat(db.count("SELECT count(*) FROM checkpoints WHERE source_id = 'sales'")).isEqualTo(1);
            // the restarted run sent exactly what was not recorded as accepted
            int sent = plecto.requests().stream().filter(r -> r.method().equals("POST") && r.status() == 201)
                    .mapToInt(Request::items).sum();
            assertThat(sent).isEqualTo(ROWS - (int) recordedAtKill);
            assertThat(db.text("SELECT error FROM import_runs WHERE source_id = 'sales' ORDER BY id LIMIT 1"))
                    .startsWith("interrupted: Tributary stopped while this run was in progress");
            assertThat(db.text("SELECT read_count || '/' || inserted || '/' || unchanged FROM import_runs "
                    + "WHERE source_id = 'sales' AND status = 'SUCCEEDED'"))
                    .isEqualTo(ROWS + "/" + (ROWS - recordedAtKill) + "/" + recordedAtKill);
        }
    }
}
