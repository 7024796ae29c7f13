package io.tributary.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.ParameterizedTypeReference;

import io.tributary.app.support.RunningApp;
import io.tributary.app.support.TestDatabase;
import io.tributary.app.web.RunView;
import io.tributary.testkit.FakePlectoServer;

/** The Plecto sink on the default embedded H2 store: what was pushed is kept there as on PostgreSQL. */
class PlectoH2StoreIT {

    @Test
    @DisplayName("on the H2 store: the first run pushes every row, an unchanged re-read sends nothing, a change sends one, a deleted row is deleted")
    void pushesWithTheEmbeddedStore(@TempDir Path dataDir) throws Exception {
        TestDatabase db = TestDatabase.fresh("plecto_h2");
        db.execute("CREATE TABLE sales (ref text, seller int, qty int, gone boolean, sold_at timestamptz, updated_at timestamptz NOT NULL)",
                "INSERT INTO sales SELECT 's-' || g, g % 4, g, false, timestamptz '2024-01-01' + g * interval '1 hour', "
                        + "timestamptz '2024-06-01' FROM generate_series(1, 1500) g");
        try (FakePlectoServer plecto = FakePlectoServer.start("h2@example.com", "H2-Pw-1");
                RunningApp app = RunningApp.start(Map.of(
                        "TRIBUTARY_DATA_DIR", dataDir.toString(),
                        "TRIBUTARY_PLECTO_URL", plecto.baseUrl(),
                        "TRIBUTARY_PLECTO_USERNAME", "h2@example.com",
                        "TRIBUTARY_PLECTO_PASSWORD", "H2-Pw-1",
                        "TRIBUTARY_SOURCES_SALES_URL", db.sourceUrl(),
                        "TRIBUTARY_SOURCES_SALES_STATEMENT", """
                                SELECT ref AS reference, seller AS member_id, 'Seller' AS member_name, sold_at AS date,
                                       gone AS deleted, qty
                                FROM sales WHERE updated_at >= {{ last_update_time }} AND updated_at < {{ upper_date_limit }}""",
                        "TRIBUTARY_SOURCES_SALES_UPDATE_FREQUENCY", "1h",
                        "TRIBUTARY_SOURCES_SALES_LOOKBACK", "0s",
                        "TRIBUTARY_SOURCES_SALES_PLECTO_DATA_SOURCE", "ds-h2"))) {
            await().atMost(Duration.ofMinutes(1)).until(() -> runs(app).stream().anyMatch(r -> r.status().equals("succeeded")));
            assertThat(runs(app).get(0).inserted()).isEqualTo(1500);
            assertThat(plecto.registrations()).hasSize(1500);

            plecto.clearRequests();
            db.execute("UPDATE sales SET updated_at = now()");
            RunView unchanged = runNow(app);
            assertThat(unchanged.unchanged()).isEqualTo(1500);
            assertThat(plecto.requests()).isEmpty();

            db.execute("UPDATE sales SET qty = -1, updated_at = now() WHERE ref = 's-5'",
                    "UPDATE sales SET gone = true, updated_at = now() WHERE ref = 's-6'");
            RunView changed = runNow(app);
            assertThat(changed.updated()).isEqualTo(1);
            assertThat(changed.deleted()).isEqualTo(1);
            assertThat(plecto.registrations().get("ds-h2/s-5").field("qty")).isEqualTo("-1");
            assertThat(plecto.registrations()).doesNotContainKey("ds-h2/s-6").hasSize(1499);
        }
    }

    private static List<RunView> runs(RunningApp app) {
        return app.client().get().uri("/api/sources/sales/runs").exchange().expectStatus().isOk()
                .expectBody(new ParameterizedTypeReference<List<RunView>>() { }).returnResult().getResponseBody();
    }

    private static RunView runNow(RunningApp app) {
        return app.client().post().uri("/api/sources/sales/run").exchange().expectStatus().isOk()
                .expectBody(RunView.class).returnResult().getResponseBody();
    }
}
