package io.tributary.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.core.ParameterizedTypeReference;

import io.tributary.app.support.RunningApp;
import io.tributary.app.support.TcpProxy;
import io.tributary.app.support.TestDatabase;
import io.tributary.app.web.RunView;

/**
 * A source database that goes away and comes back: the runs in between fail with the reason and are retried with
 * backoff, the source recovers by itself, and every row written meanwhile arrives.
 */
class SourceOutageIT {

    @Test
    void aSourceThatGoesAwayRecoversByItselfAndLosesNothing() throws Exception {
        TestDatabase db = TestDatabase.fresh("tributary_outage");
        db.execute("CREATE TABLE sales (id int, seller int, updated_at timestamptz)",
                "INSERT INTO sales SELECT g, g % 3, now() FROM generate_series(1, 100) g");
        try (TcpProxy proxy = new TcpProxy(5432); RunningApp app = RunningApp.start(Map.of(
                "TRIBUTARY_STORE_URL", db.jdbcUrl(),
                "TRIBUTARY_SOURCES_SALES_URL", "postgresql://postgres@127.0.0.1:" + proxy.port() + "/tributary_outage",
                "TRIBUTARY_SOURCES_SALES_STATEMENT", "SELECT id AS reference, seller AS member_id, 'S' AS member_name, "
                        + "updated_at AS date FROM sales WHERE updated_at >= {{ last_update_time }} "
                        + "AND updated_at < {{ upper_date_limit }}",
                "TRIBUTARY_SOURCES_SALES_UPDATE_FREQUENCY", "2s"))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> registrations(db) == 100);

            proxy.cut();
            db.execute("INSERT INTO sales SELECT g, g % 3, now() FROM generate_series(101, 150) g");
            await().atMost(Duration.ofSeconds(30)).until(() -> runs(app).stream().filter(r -> r.status().equals("failed")).count() >= 3);
            assertThat(registrations(db)).isEqualTo(100);
            assertThat(runs(app).get(0).error()).containsIgnoringCase("connect");

            proxy.restore();
            await().atMost(Duration.ofSeconds(30)).until(() -> registrations(db) == 150);
            RunView recovered = runs(app).stream().filter(r -> r.status().equals("succeeded") && r.inserted() > 0)
                    .findFirst().orElseThrow();
            assertThat(recovered.inserted()).isEqualTo(50);
            String state = app.client().get().uri("/api/sources/sales").exchange().expectBody(Map.class)
                    .returnResult().getResponseBody().get("state").toString();
            assertThat(state).isIn("idle", "running");
        }
    }

    private static long registrations(TestDatabase db) throws Exception {
        return db.count("SELECT count(*) FROM registrations");
    }

    private static List<RunView> runs(RunningApp app) {
        return app.client().get().uri("/api/sources/sales/runs?limit=100").exchange().expectStatus().isOk()
                .expectBody(new ParameterizedTypeReference<List<RunView>>() { }).returnResult().getResponseBody();
    }
}
