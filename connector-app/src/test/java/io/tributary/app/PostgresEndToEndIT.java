package io.tributary.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.reactive.function.client.WebClient;

import io.tributary.app.support.RunningApp;
import io.tributary.app.support.TestDatabase;
import io.tributary.app.web.RunView;
import io.tributary.app.web.SourceView;
import reactor.core.Disposable;
import reactor.core.publisher.Sinks;

/**
 * The foundation's promises on a real PostgreSQL source and a real PostgreSQL store, through the real
 * application configured with TRIBUTARY_* variables: 100,000 rows, updates, rejections, restart, a connection
 * killed mid-run, and the event stream.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PostgresEndToEndIT {

    private static final int ROWS = 100_000;

    private TestDatabase db;
    private Map<String, String> variables;
    private RunningApp app;

    @BeforeAll
    void createSourceAndStart() throws Exception {
        db = TestDatabase.fresh("tributary_e2e");
        db.execute("""
                CREATE TABLE sales (ref text, seller_id int, seller_name text, team text, amount numeric(12,2), qty int,
                    paid boolean, note text, tags text[], meta jsonb, sold_at timestamptz, updated_at timestamptz NOT NULL)""",
                """
                INSERT INTO sales
                SELECT 's-' || g, g % 50, 'Seller ' || (g % 50), CASE WHEN g % 3 = 0 THEN NULL ELSE 'Team ' || (g % 4) END,
                       (g % 1000) + 0.25, g % 7, g % 2 = 0, 'note ' || g, ARRAY['a', 'b'], jsonb_build_object('n', g),
                       timestamptz '2024-01-01 00:00:00+00' + g * interval '1 minute', timestamptz '2024-06-01 00:00:00+00'
                FROM generate_series(1, 100000) g""",
                "INSERT INTO sales VALUES (NULL, 1, 'Seller 1', NULL, 1, 1, true, 'no ref', NULL, NULL, now(), '2024-06-01')",
                "INSERT INTO sales VALUES ('s-no-date', 1, 'Seller 1', NULL, 1, 1, true, 'no date', NULL, NULL, NULL, '2024-06-01')",
                """
                CREATE TABLE slow_sales (ref text, seller_id int, sold_at timestamptz, updated_at timestamptz NOT NULL)""");
        variables = Map.of(
                "TRIBUTARY_STORE_URL", db.jdbcUrl(),
                "TRIBUTARY_SOURCES_SALES_URL", db.sourceUrl(),
                "TRIBUTARY_SOURCES_SALES_STATEMENT", """
                        SELECT ref AS reference, seller_id AS member_id, seller_name AS member_name, team AS team_name,
                               sold_at AS date, amount, qty, paid, note, tags, meta
                        FROM sales
                        WHERE updated_at >= '{{ last_update_time }}' AND updated_at < {{ upper_date_limit }};
                        """,
                "TRIBUTARY_SOURCES_SALES_UPDATE_FREQUENCY", "1h",
                "TRIBUTARY_SOURCES_SALES_MEMBER_ID_SOURCE", "crm",
                "TRIBUTARY_SOURCES_SLOW_URL", db.sourceUrl(),
                // pg_sleep per row keeps the run open long enough to kill its connection
                "TRIBUTARY_SOURCES_SLOW_STATEMENT", """
                        SELECT s.ref AS reference, s.seller_id AS member_id, 'x' AS member_name, s.sold_at AS date
                        FROM slow_sales s CROSS JOIN LATERAL (SELECT pg_sleep(0.002) WHERE s.ref IS NOT NULL) z
                        WHERE s.updated_at >= {{ last_update_time }} AND s.updated_at < {{ upper_date_limit }}""",
                "TRIBUTARY_SOURCES_SLOW_UPDATE_FREQUENCY", "1h",
                "TRIBUTARY_SOURCES_SLOW_FETCH_SIZE", "100");
        app = RunningApp.start(variables);
    }

    @AfterAll
    void stop() {
        if (app != null) {
            app.close();
        }
    }

    private List<RunView> runs(String source) {
        return app.client().get().uri("/api/sources/{id}/runs?limit=50", source).exchange().expectStatus().isOk()
                .expectBody(new ParameterizedTypeReference<List<RunView>>() { }).returnResult().getResponseBody();
    }

    private RunView finishedRunAfter(String source, long afterId) {
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(250)).until(() -> runs(source).stream()
                .anyMatch(r -> r.id() > afterId && !r.status().equals("running")));
        return runs(source).stream().filter(r -> r.id() > afterId).reduce((a, b) -> a.id() < b.id() ? a : b).orElseThrow();
    }

    private RunView runNow(String source) {
        return app.client().post().uri("/api/sources/{id}/run", source).exchange().expectStatus().isOk()
                .expectBody(RunView.class).returnResult().getResponseBody();
    }

    private SourceView source(String id) {
        return app.client().get().uri("/api/sources/{id}", id).exchange().expectStatus().isOk()
                .expectBody(SourceView.class).returnResult().getResponseBody();
    }

    @Test
    @Order(1)
    @DisplayName("the first run imports all 100,000 rows with exact standard and custom fields, and rejects the two bad rows with reasons")
    void firstRunImportsEverything() throws Exception {
        RunView first = finishedRunAfter("sales", 0);

        assertThat(first.status()).isEqualTo("succeeded");
        assertThat(first.read()).isEqualTo(ROWS + 2);
        assertThat(first.inserted()).isEqualTo(ROWS);
        assertThat(first.rejected()).isEqualTo(2);
        assertThat(first.rejections()).extracting(r -> r.reason())
                .containsExactlyInAnyOrder("row " + first.rejections().get(0).row() + ": reference is NULL",
                        "row " + first.rejections().get(1).row() + ": date is NULL");
        assertThat(db.count("SELECT count(*) FROM registrations WHERE source_id = 'sales'")).isEqualTo(ROWS);
        assertThat(db.count("""
                SELECT count(*) FROM registrations WHERE source_id = 'sales' AND reference = 's-1' AND member_id_source = 'crm'
                  AND member_id = '1' AND member_name = 'Seller 1' AND team_name = 'Team 1'
                  AND date = timestamptz '2024-01-01 00:01:00+00'
                  AND fields = '{"amount": 1.25, "qty": 1, "paid": false, "note": "note 1", "tags": ["a", "b"], "meta": {"n": 1}}'::jsonb
                """)).isEqualTo(1);
        assertThat(db.text("SELECT fields->>'amount' FROM registrations WHERE reference = 's-999'")).isEqualTo("999.25");
        assertThat(db.text("SELECT team_name FROM registrations WHERE reference = 's-3'")).isNull();
        assertThat(db.count("SELECT count(*) FROM members WHERE member_id_source = 'crm'")).isEqualTo(50);
        assertThat(db.count("SELECT count(*) FROM teams")).isEqualTo(4);
        assertThat(source("sales").checkpoint()).isEqualTo(first.windowTo());
    }

    @Test
    @Order(2)
    @DisplayName("updating 10 source rows and their timestamp gives a run that reports updated=10")
    void updatesAreDetected() throws Exception {
        db.execute("UPDATE sales SET amount = amount + 1, updated_at = now() WHERE ref IN "
                + "('s-1','s-2','s-3','s-4','s-5','s-6','s-7','s-8','s-9','s-10')");
        RunView run = runNow("sales");

        assertThat(run.status()).isEqualTo("succeeded");
        assertThat(run.read()).isEqualTo(10);
        assertThat(run.updated()).isEqualTo(10);
        assertThat(run.inserted()).isZero();
        assertThat(db.text("SELECT fields->>'amount' FROM registrations WHERE reference = 's-1'")).isEqualTo("2.25");
        assertThat(db.count("SELECT count(*) FROM registrations WHERE source_id = 'sales'")).isEqualTo(ROWS);
    }

    @Test
    @Order(3)
    @DisplayName("a restarted app resumes from the stored checkpoint: no re-import from the start, no gap")
    void restartResumesFromTheCheckpoint() throws Exception {
        Instant checkpoint = source("sales").checkpoint();
        long lastId = runs("sales").get(0).id();
        app.close();
        db.execute("""
                INSERT INTO sales SELECT 'new-' || g, 1, 'Seller 1', NULL, 5, 1, true, 'while down', NULL, NULL, now(), now()
                FROM generate_series(1, 5) g""");
        app = RunningApp.start(variables);

        RunView resumed = finishedRunAfter("sales", lastId);
        assertThat(resumed.kind()).isEqualTo("automatic");
        // from the checkpoint, less the one-minute lookback that re-reads late rows (found unchanged)
        assertThat(resumed.windowFrom()).isEqualTo(checkpoint.minus(Duration.ofMinutes(1)));
        assertThat(resumed.inserted()).isEqualTo(5);
        assertThat(resumed.updated()).isZero();
        assertThat(resumed.unchanged()).isEqualTo(resumed.read() - 5);
        assertThat(db.count("SELECT count(*) FROM registrations WHERE source_id = 'sales'")).isEqualTo(ROWS + 5);
    }

    @Test
    @Order(4)
    @DisplayName("a source connection terminated mid-run fails that run with the reason, leaves the checkpoint, and the next run imports everything")
    void connectionKilledMidRun() throws Exception {
        finishedRunAfter("slow", 0);
        Instant checkpoint = source("slow").checkpoint();
        db.execute("INSERT INTO slow_sales SELECT 'slow-' || g, g % 5, now(), now() FROM generate_series(1, 3000) g");

        Sinks.One<RunView> result = Sinks.one();
        // WebClient, not WebTestClient: the request must stay in flight while the test kills the connection
        Disposable running = WebClient.create(app.baseUrl()).post().uri("/api/sources/slow/run").retrieve()
                .bodyToMono(RunView.class).subscribe(result::tryEmitValue);
        await().atMost(Duration.ofSeconds(30)).until(() -> db.count("SELECT count(*) FROM pg_stat_activity "
                + "WHERE application_name LIKE 'tributary:slow#%' AND state = 'active' AND query LIKE '%slow_sales%'") == 1);
        // some batches stored before the kill, so the next run meets rows it already has
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> db.count("SELECT count(*) FROM registrations WHERE source_id = 'slow'") > 0);
        assertThat(db.count("SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                + "WHERE application_name LIKE 'tributary:slow#%') t")).isEqualTo(1);

        RunView failed = result.asMono().block(Duration.ofSeconds(60));
        running.dispose();
        assertThat(failed.status()).isEqualTo("failed");
        assertThat(failed.error()).contains("terminating connection due to administrator command");
        assertThat(source("slow").checkpoint()).isEqualTo(checkpoint);
        assertThat(source("slow").state()).isEqualTo("failing");

        RunView next = runNow("slow");
        assertThat(next.status()).isEqualTo("succeeded");
        assertThat(next.read()).isEqualTo(3000);
        assertThat(next.inserted() + next.unchanged()).isEqualTo(3000);
        assertThat(db.count("SELECT count(*) FROM registrations WHERE source_id = 'slow'")).isEqualTo(3000);
        assertThat(source("slow").checkpoint()).isAfter(checkpoint);
    }

    @Test
    @Order(5)
    @DisplayName("GET /api/events streams the run's events as Server-Sent Events while it happens")
    void eventsAreStreamed() {
        List<ServerSentEvent<Map<String, Object>>> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        Disposable subscription = WebClient.create(app.baseUrl()).get().uri("/api/events?source=sales").retrieve()
                .bodyToFlux(new ParameterizedTypeReference<ServerSentEvent<Map<String, Object>>>() { })
                .filter(e -> e.event() != null)
                .subscribe(events::add);
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                runNow("sales");
                return events.stream().anyMatch(e -> "run-finished".equals(e.event()));
            });
            assertThat(events).extracting(ServerSentEvent::event).contains("run-started", "run-finished");
            ServerSentEvent<Map<String, Object>> finished = events.stream()
                    .filter(e -> "run-finished".equals(e.event())).findFirst().orElseThrow();
            assertThat(finished.id()).isNotBlank();
            assertThat(finished.data()).containsEntry("source", "sales").containsKey("run");
            assertThat(events).allSatisfy(e -> assertThat(e.data()).containsEntry("source", "sales"));
        } finally {
            subscription.dispose();
        }
    }
}
