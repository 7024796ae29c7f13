package io.tributary.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.test.web.reactive.server.EntityExchangeResult;

import io.tributary.app.support.RunningApp;
import io.tributary.app.support.TestDatabase;
import io.tributary.app.web.RunPointView;
import io.tributary.app.web.RunView;

/**
 * Issue 18: a source polled every second that finds nothing shows one row in the API's import log, standing for its
 * polls, until a run reads rows.
 */
class IdleRunsApiIT {

    private static TestDatabase db;

    @BeforeAll
    static void database() throws Exception {
        db = TestDatabase.fresh("tributary_idlelog_api");
        db.execute("CREATE TABLE public.sales (id int, seller int, sold_at timestamptz)");
    }

    @AfterAll
    static void drop() throws Exception {
        try (var c = java.sql.DriverManager.getConnection(db.jdbcUrl().replace("/tributary_idlelog_api?", "/postgres?"));
                var st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS tributary_idlelog_api WITH (FORCE)");
        }
    }

    @Test
    @DisplayName("idle polls are one row with polls and their span; a run that reads ends it; the points match the rows")
    void idlePollsInTheApi() throws Exception {
        try (RunningApp app = RunningApp.start(Map.of(
                "TRIBUTARY_STORE_URL", db.jdbcUrl(),
                "TRIBUTARY_SOURCES_SALES_URL", db.sourceUrl(),
                "TRIBUTARY_SOURCES_SALES_STATEMENT", "SELECT id AS reference, seller AS member_id, 'S' || seller AS "
                        + "member_name, sold_at AS date FROM public.sales WHERE sold_at >= {{ last_update_time }} "
                        + "AND sold_at < {{ upper_date_limit }}",
                "TRIBUTARY_SOURCES_SALES_UPDATE_FREQUENCY", "1s"))) {
            await().atMost(Duration.ofSeconds(60)).until(() -> runs(app).stream().findFirst().map(r -> r.polls() >= 3).orElse(false));
            List<RunView> idle = runs(app);
            RunView summary = idle.get(0);
            assertThat(summary.kind()).isEqualTo("automatic");
            assertThat(summary.status()).isEqualTo("succeeded");
            assertThat(summary.read()).isZero();
            assertThat(summary.lastStartedAt()).isAfter(summary.startedAt());
            assertThat(summary.windowTo()).isAfter(summary.windowFrom());
            // every poll but maybe the first (the first sync) is in that row
            assertThat(idle).hasSizeLessThanOrEqualTo(2);
            assertThat(db.count("SELECT count(*) FROM tributary.import_runs")).isEqualTo(idle.size());

            db.execute("INSERT INTO public.sales VALUES (1, 7, now())");
            // the run that finds it inserts it; the following ones read it again for a while (LOOKBACK) and are rows too
            await().atMost(Duration.ofSeconds(60)).until(() -> runs(app).stream().anyMatch(r -> r.inserted() == 1));
            EntityExchangeResult<List<RunView>> listing = app.client().get().uri("/api/sources/sales/runs?limit=500")
                    .exchange().expectStatus().isOk().expectBody(new ParameterizedTypeReference<List<RunView>>() { })
                    .returnResult();
            List<RunView> runs = listing.getResponseBody();
            assertThat(listing.getResponseHeaders().getFirst("X-Total-Count")).isEqualTo(Integer.toString(runs.size()));
            int at = runs.indexOf(runs.stream().filter(r -> r.inserted() == 1).findFirst().orElseThrow());
            RunView reading = runs.get(at);
            assertThat(reading.polls()).isEqualTo(1);
            assertThat(reading.read()).isEqualTo(1);
            assertThat(reading.lastStartedAt()).isEqualTo(reading.startedAt());
            RunView before = runs.get(at + 1);
            assertThat(before.id()).isEqualTo(summary.id());
            assertThat(before.polls()).isGreaterThanOrEqualTo(summary.polls());
            assertThat(before.lastStartedAt()).isBefore(reading.startedAt());
            assertThat(runs.subList(0, at)).allSatisfy(r -> assertThat(r.id()).isGreaterThan(reading.id()));

            List<RunPointView> points = app.client().get().uri("/api/sources/sales/runs/points").exchange()
                    .expectStatus().isOk().expectBody(new ParameterizedTypeReference<List<RunPointView>>() { })
                    .returnResult().getResponseBody();
            assertThat(points).extracting(RunPointView::id).containsExactlyElementsOf(runs.stream().map(RunView::id)
                    .sorted().toList());
            assertThat(points).filteredOn(p -> p.id() == summary.id()).singleElement()
                    .satisfies(p -> assertThat(p.polls()).isGreaterThanOrEqualTo(3));
        }
    }

    private static List<RunView> runs(RunningApp app) {
        return app.client().get().uri("/api/sources/sales/runs?limit=500").exchange().expectStatus().isOk()
                .expectBody(new ParameterizedTypeReference<List<RunView>>() { }).returnResult().getResponseBody();
    }
}
