package io.tributary.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.web.reactive.function.client.WebClient;

import io.tributary.app.support.RunningApp;
import io.tributary.app.support.TestDatabase;
import io.tributary.app.web.ImportView;
import io.tributary.app.web.RunView;
import io.tributary.app.web.SourceView;
import reactor.core.Disposable;

/**
 * The operator's API on a real PostgreSQL source and store: test queries, historical imports with progress and
 * cancellation, the filtered import log, the event stream's replay, metrics, and clear answers to bad requests.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OperationsIT {

    private static final String SELECT = "SELECT ref AS reference, seller AS member_id, 'Seller ' || seller AS member_name, "
            + "sold_at AS date, amount FROM %s WHERE sold_at >= {{ last_update_time }} AND sold_at < {{ upper_date_limit }}";
    /** Rows of hist_sales: 3,000 on 2024-01-01 (more than the cap of 1,000), 17,000 over the next 59 days (to 2024-03-01T00:40Z). */
    private static final int HIST_ROWS = 20_000;

    private TestDatabase db;
    private RunningApp app;

    @BeforeAll
    void start() throws Exception {
        db = TestDatabase.fresh("tributary_ops_api");
        db.execute("CREATE TABLE sales (ref text, seller int, sold_at timestamptz, amount numeric(10,2))",
                "INSERT INTO sales SELECT 's-' || g, g % 7, timestamptz '2024-01-01 00:00:00+00' + g * interval '1 hour', g + 0.5 "
                        + "FROM generate_series(1, 500) g",
                "INSERT INTO sales VALUES (NULL, 1, '2024-01-05', 1), ('s-no-date', 1, NULL, 1)",
                "CREATE TABLE hist_sales (ref text, seller int, sold_at timestamptz, amount numeric(10,2))",
                "INSERT INTO hist_sales SELECT 'h-' || g, g % 11, timestamptz '2024-01-01 00:00:00+00' + g * interval '20 seconds', 1 "
                        + "FROM generate_series(1, 3000) g",
                "INSERT INTO hist_sales SELECT 'h-' || (3000 + g), g % 11, timestamptz '2024-01-02 00:00:00+00' + g * interval '5 minutes', 2 "
                        + "FROM generate_series(1, 17000) g",
                "CREATE TABLE slow_sales (ref text, seller int, sold_at timestamptz, amount numeric(10,2))",
                "INSERT INTO slow_sales SELECT 'x-' || g, 1, timestamptz '2024-03-01 00:00:00+00' + g * interval '15 minutes', 1 "
                        + "FROM generate_series(1, 2880) g");
        app = RunningApp.start(Map.ofEntries(
                Map.entry("TRIBUTARY_STORE_URL", db.jdbcUrl()),
                Map.entry("TRIBUTARY_SOURCES_SALES_URL", db.sourceUrl()),
                Map.entry("TRIBUTARY_SOURCES_SALES_STATEMENT", SELECT.formatted("sales")),
                Map.entry("TRIBUTARY_SOURCES_SALES_UPDATE_FREQUENCY", "1h"),
                // the data lies before START: automatic runs find nothing, only tests and imports read it
                Map.entry("TRIBUTARY_SOURCES_SALES_START", "2030-01-01"),
                Map.entry("TRIBUTARY_SOURCES_HIST_URL", db.sourceUrl()),
                Map.entry("TRIBUTARY_SOURCES_HIST_STATEMENT", SELECT.formatted("hist_sales")),
                // 6 s of update frequency: a cap of 1,000 rows per chunk
                Map.entry("TRIBUTARY_SOURCES_HIST_UPDATE_FREQUENCY", "6s"),
                Map.entry("TRIBUTARY_SOURCES_HIST_START", "2030-01-01"),
                Map.entry("TRIBUTARY_SOURCES_SLOW_URL", db.sourceUrl()),
                Map.entry("TRIBUTARY_SOURCES_SLOW_STATEMENT", "SELECT s.ref AS reference, s.seller AS member_id, 'x' AS member_name, "
                        + "s.sold_at AS date FROM slow_sales s CROSS JOIN LATERAL (SELECT pg_sleep(0.003) WHERE s.ref IS NOT NULL) z "
                        + "WHERE s.sold_at >= {{ last_update_time }} AND s.sold_at < {{ upper_date_limit }}"),
                Map.entry("TRIBUTARY_SOURCES_SLOW_UPDATE_FREQUENCY", "6s"),
                Map.entry("TRIBUTARY_SOURCES_SLOW_START", "2030-01-01")));
    }

    @AfterAll
    void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    @Order(1)
    @DisplayName("a test query reports the row count, columns, 20 mapped rows and the rejections, and writes nothing")
    void testQuery() throws Exception {
        Instant checkpoint = source("sales").checkpoint();
        Answer r = app.client().post().uri("/api/sources/sales/test-query").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"from\": \"2024-01-01\", \"to\": \"2024-02-01T00:00:00Z\"}").exchange()
                .expectStatus().isOk().expectBody(Answer.class).returnResult().getResponseBody();

        assertThat(r.error()).isNull();
        // 2024-01-01 + g hours < 2024-02-01 for g <= 743: all 500, plus the two bad rows (one has no date, so only one is in the window)
        assertThat(r.rows()).isEqualTo(501);
        assertThat(r.mapped()).isEqualTo(500);
        assertThat(r.rejected()).isEqualTo(1);
        assertThat(r.rejections()).extracting(x -> x.get("reason")).singleElement().asString().endsWith(": reference is NULL");
        assertThat(r.columns()).containsExactly("reference", "member_id", "member_name", "date", "amount");
        assertThat(r.sample()).hasSize(20);
        assertThat(r.sample().get(0)).containsEntry("reference", "s-1").containsEntry("memberId", "1")
                .containsEntry("memberName", "Seller 1").containsEntry("date", "2024-01-01T01:00:00Z")
                .containsEntry("fields", Map.of("amount", 1.5));
        assertThat(r.durationMs()).isNotNegative();
        String raw = app.client().post().uri("/api/sources/sales/test-query").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"from\": \"2024-01-01\", \"to\": \"2024-01-01T02:00:00Z\"}").exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
        assertThat(raw).contains("\"fields\":{\"amount\":1.50}");

        assertThat(db.count("SELECT count(*) FROM registrations")).isZero();
        assertThat(source("sales").checkpoint()).isEqualTo(checkpoint);
        List<RunView> tests = runs("sales", "?kind=test");
        assertThat(tests).hasSize(2).allSatisfy(t -> {
            assertThat(t.kind()).isEqualTo("test");
            assertThat(t.inserted()).isZero();
            assertThat(t.effectiveIntervalSeconds()).isEqualTo(3600);
        });
        assertThat(tests.get(1).read()).isEqualTo(501);
    }

    @Test
    @Order(2)
    @DisplayName("a test query of a window without rows answers with zero rows and no columns")
    void testQueryOfAnEmptyWindow() {
        Answer empty = app.client().post().uri("/api/sources/slow/test-query").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"from\": \"2020-01-01\", \"to\": \"2020-01-02\"}").exchange()
                .expectStatus().isOk().expectBody(Answer.class).returnResult().getResponseBody();
        assertThat(empty.rows()).isZero();
        assertThat(empty.columns()).isEmpty();
        assertThat(empty.sample()).isEmpty();
    }

    @Test
    @Order(3)
    @DisplayName("bad requests get a 400 or 404 that says what is wrong")
    void hostileInput() {
        expectError("/api/sources/sales/test-query", "{\"from\": \"2024-01-01\", ", HttpStatus.BAD_REQUEST, "not valid JSON");
        expectError("/api/sources/sales/test-query", null, HttpStatus.BAD_REQUEST, "the request has no body");
        expectError("/api/sources/sales/test-query", "{\"to\": \"2024-01-01\"}", HttpStatus.BAD_REQUEST, "from is missing");
        expectError("/api/sources/sales/test-query", "{\"from\": \"2024-02-01\", \"to\": \"2024-01-01\"}",
                HttpStatus.BAD_REQUEST, "to (2024-01-01T00:00:00Z) must be after from (2024-02-01T00:00:00Z)");
        expectError("/api/sources/sales/imports", "{\"from\": \"yesterday\", \"to\": \"2024-01-01\"}", HttpStatus.BAD_REQUEST,
                "from 'yesterday' is not an ISO date or timestamp");
        expectError("/api/sources/sales/imports", "{\"from\": \"2024-01-01T00:00\", \"to\": \"2024-01-02\"}",
                HttpStatus.BAD_REQUEST, "has no zone");
        expectError("/api/sources/sales/imports", "{\"from\": \"0001-01-01\", \"to\": \"9999-12-31\"}", HttpStatus.BAD_REQUEST,
                "at most 36525 days (100 years) are accepted at once");
        expectError("/api/sources/nope/imports", "{\"from\": \"2024-01-01\", \"to\": \"2024-01-02\"}", HttpStatus.NOT_FOUND,
                "no source 'nope'; known: [hist, sales, slow]");
        expectError("/api/sources/nope/test-query", "{\"from\": \"2024-01-01\", \"to\": \"2024-01-02\"}", HttpStatus.NOT_FOUND,
                "no source 'nope'");
        app.client().get().uri("/api/sources/sales/runs?kind=weekly").exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.message").isEqualTo("kind 'weekly' is unknown; use one or more of "
                        + "[automatic, manual, historical, test], separated by commas");
        app.client().get().uri("/api/sources/sales/runs?limit=0").exchange().expectStatus().isBadRequest();
        app.client().get().uri("/api/sources/sales/runs?limit=ten").exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.message").value(m -> assertThat(m.toString()).contains("limit"));
        app.client().get().uri("/api/imports/does-not-exist").exchange().expectStatus().isNotFound()
                .expectBody().jsonPath("$.message").isEqualTo("no historical import 'does-not-exist'");
        app.client().delete().uri("/api/imports/does-not-exist").exchange().expectStatus().isNotFound();
        app.client().get().uri("/api/events").header("Last-Event-ID", "abc").exchange().expectStatus().isBadRequest();
    }

    @Test
    @Order(4)
    @DisplayName("a historical import runs in chunks under the cap, halving the crowded first day, and its progress is streamed to the end")
    void historicalImport() throws Exception {
        List<ServerSentEvent<Map<String, Object>>> events = new CopyOnWriteArrayList<>();
        Disposable sse = subscribe("/api/events?source=hist", events);
        try {
            EntityExchangeResult<ImportView> started = app.client().post().uri("/api/sources/hist/imports")
                    .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"from\": \"2024-01-01\", \"to\": \"2024-03-02\"}")
                    .exchange().expectStatus().isAccepted().expectBody(ImportView.class).returnResult();
            ImportView created = started.getResponseBody();
            assertThat(started.getResponseHeaders().getLocation()).hasToString("/api/imports/" + created.id());
            assertThat(created.status()).isEqualTo("running");
            assertThat(created.rowCap()).isEqualTo(1_000);

            try {
                await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(250))
                        .until(() -> !importView(created.id()).status().equals("running"));
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                throw new AssertionError("the import did not end in 2 minutes; " + whatTheApiSays(created.id()), e);
            }
            ImportView done = importView(created.id());
            assertThat(done.status()).as(() -> whatTheApiSays(created.id())).isEqualTo("succeeded");
            assertThat(done.rows().read()).isEqualTo(HIST_ROWS);
            assertThat(done.halvings()).isPositive();
            assertThat(done.percent()).isEqualTo(100.0);
            assertThat(done.chunk()).isEqualTo(done.chunks());
            assertThat(done.nextFrom()).isEqualTo(Instant.parse("2024-03-02T00:00:00Z"));
            assertThat(db.count("SELECT count(*) FROM registrations WHERE source_id = 'hist'")).isEqualTo(HIST_ROWS);
            // chunks stopped at the cap are in the log with a note, and no run read more than the cap
            assertThat(db.count("SELECT count(*) FROM import_runs WHERE source_id = 'hist' AND kind = 'HISTORICAL' "
                    + "AND status = 'SUCCEEDED' AND note IS NULL")).isEqualTo(done.chunk());
            assertThat(db.count("SELECT count(*) FROM import_runs WHERE source_id = 'hist' AND read_count > 1000")).isZero();
            assertThat(db.count("SELECT count(*) FROM checkpoints WHERE source_id = 'hist' AND checkpoint < '2030-01-01'")).isZero();

            await().atMost(Duration.ofSeconds(10)).until(() -> events.stream().anyMatch(e -> "import-progress".equals(e.event())
                    && "succeeded".equals(e.data().get("state"))));
            List<Map<String, Object>> progress = events.stream().filter(e -> "import-progress".equals(e.event()))
                    .map(ServerSentEvent::data).filter(d -> created.id().equals(d.get("importId"))).toList();
            assertThat(progress.get(0)).containsEntry("state", "running").containsEntry("chunk", 0);
            assertThat(progress.get(progress.size() - 1)).containsEntry("state", "succeeded").containsEntry("percent", 100.0)
                    .containsEntry("rows", HIST_ROWS);
            assertThat(progress).extracting(d -> ((Number) d.get("percent")).doubleValue()).isSorted();
            assertThat(progress).hasSizeGreaterThan(done.chunk());
            assertThat(events).extracting(ServerSentEvent::event).contains("run-started", "run-finished");

            List<ImportView> listed = app.client().get().uri("/api/imports?source=hist").exchange().expectStatus().isOk()
                    .expectBody(new ParameterizedTypeReference<List<ImportView>>() { }).returnResult().getResponseBody();
            assertThat(listed).extracting(ImportView::id).contains(created.id());
            app.client().delete().uri("/api/imports/{id}", created.id()).exchange().expectStatus().isEqualTo(HttpStatus.CONFLICT)
                    .expectBody().jsonPath("$.message").isEqualTo("import " + created.id()
                            + " has already succeeded; there is nothing to cancel");
        } finally {
            sse.dispose();
        }
    }

    @Test
    @Order(5)
    @DisplayName("DELETE cancels an import between chunks; the chunks done stay imported")
    void cancel() throws Exception {
        ImportView created = app.client().post().uri("/api/sources/slow/imports").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"from\": \"2024-03-01\", \"to\": \"2024-04-01\"}").exchange().expectStatus().isAccepted()
                .expectBody(ImportView.class).returnResult().getResponseBody();
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(100))
                .until(() -> importView(created.id()).chunk() >= 1);
        app.client().delete().uri("/api/imports/{id}", created.id()).exchange().expectStatus().isAccepted();
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(100))
                .until(() -> importView(created.id()).status().equals("cancelled"));
        ImportView cancelled = importView(created.id());
        assertThat(cancelled.nextFrom()).isBefore(Instant.parse("2024-04-01T00:00:00Z"));
        assertThat(db.count("SELECT count(*) FROM registrations WHERE source_id = 'slow' AND date < '"
                + cancelled.nextFrom() + "'")).isEqualTo(cancelled.rows().read());
    }

    @Test
    @Order(6)
    @DisplayName("the import log filters by status and kind, pages, counts, and shows each run's window, counts and interval")
    void importLogFilters() {
        EntityExchangeResult<List<RunView>> all = app.client().get().uri("/api/sources/hist/runs?kind=historical&limit=3")
                .exchange().expectStatus().isOk().expectBody(new ParameterizedTypeReference<List<RunView>>() { }).returnResult();
        long total = Long.parseLong(all.getResponseHeaders().getFirst("X-Total-Count"));
        assertThat(total).isGreaterThan(3);
        assertThat(all.getResponseBody()).hasSize(3).allSatisfy(r -> {
            assertThat(r.kind()).isEqualTo("historical");
            assertThat(r.effectiveIntervalSeconds()).isEqualTo(6);
            assertThat(r.windowTo()).isAfter(r.windowFrom());
        });
        List<RunView> next = runs("hist", "?kind=historical&limit=3&offset=3");
        assertThat(next).extracting(RunView::id).doesNotContainAnyElementsOf(all.getResponseBody().stream().map(RunView::id).toList());
        assertThat(all.getResponseBody().get(0).id()).isGreaterThan(next.get(0).id());
        assertThat(runs("hist", "?status=failed")).isEmpty();
        assertThat(runs("hist", "?kind=automatic,manual&status=succeeded&limit=500"))
                .allSatisfy(r -> assertThat(r.kind()).isIn("automatic", "manual"));
        assertThat(runs("sales", "?kind=TEST")).hasSize(2);
    }

    @Test
    @Order(7)
    @DisplayName("a client reconnecting with Last-Event-ID gets the events it missed; one too old for the buffer gets a reset first")
    void eventReplay() {
        List<ServerSentEvent<Map<String, Object>>> first = new CopyOnWriteArrayList<>();
        Disposable live = subscribe("/api/events?source=sales", first);
        RunView run;
        try {
            run = app.client().post().uri("/api/sources/sales/run").exchange().expectStatus().isOk()
                    .expectBody(RunView.class).returnResult().getResponseBody();
            await().atMost(Duration.ofSeconds(10)).until(() -> first.stream().anyMatch(e -> "run-finished".equals(e.event())));
        } finally {
            live.dispose();
        }
        ServerSentEvent<Map<String, Object>> started = first.stream().filter(e -> "run-started".equals(e.event())).findFirst().orElseThrow();
        assertThat(started.data()).containsEntry("runId", (int) run.id());

        // reconnect as if the connection dropped right after run-started
        List<ServerSentEvent<Map<String, Object>>> replayed = new CopyOnWriteArrayList<>();
        Disposable again = WebClient.create(app.baseUrl()).get().uri("/api/events?source=sales")
                .header("Last-Event-ID", started.id()).retrieve()
                .bodyToFlux(new ParameterizedTypeReference<ServerSentEvent<Map<String, Object>>>() { })
                .filter(e -> e.event() != null).subscribe(replayed::add);
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> replayed.stream().anyMatch(e -> "run-finished".equals(e.event())));
            assertThat(replayed.get(0).event()).isNotEqualTo("reset");
            assertThat(Long.parseLong(replayed.get(0).id())).isGreaterThan(Long.parseLong(started.id()));
            assertThat(replayed).noneMatch(e -> e.id() != null && e.id().equals(started.id()));
        } finally {
            again.dispose();
        }

        List<ServerSentEvent<Map<String, Object>>> old = new CopyOnWriteArrayList<>();
        Disposable tooOld = WebClient.create(app.baseUrl()).get().uri("/api/events").header("Last-Event-ID", "1").retrieve()
                .bodyToFlux(new ParameterizedTypeReference<ServerSentEvent<Map<String, Object>>>() { })
                .filter(e -> e.event() != null).subscribe(old::add);
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> old.size() > 1);
            assertThat(old.get(0).event()).isEqualTo("reset");
            assertThat(old.get(0).data()).containsEntry("lastEventId", 1);
            assertThat(old.get(1).event()).isNotEqualTo("reset");
        } finally {
            tooOld.dispose();
        }
    }

    @Test
    @Order(8)
    @DisplayName("/actuator/prometheus has run durations by kind and outcome, rows by outcome, interval, checkpoint lag and active runs")
    void metrics() {
        String metrics = app.client().get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(metrics)
                .containsPattern("tributary_run_duration_seconds_count\\{[^}]*kind=\"historical\"[^}]*outcome=\"success\"[^}]*source=\"hist\"[^}]*\\} \\d+")
                .containsPattern("tributary_run_duration_seconds_count\\{[^}]*kind=\"test\"[^}]*source=\"sales\"[^}]*\\} 2")
                .containsPattern("tributary_rows_total\\{[^}]*outcome=\"inserted\"[^}]*source=\"hist\"[^}]*\\} 20000\\.0")
                .containsPattern("tributary_effective_interval_seconds\\{[^}]*source=\"hist\"[^}]*\\} 6\\.0")
                .containsPattern("tributary_checkpoint_lag_seconds\\{[^}]*source=\"sales\"[^}]*\\} -?[0-9.E]+")
                .containsPattern("tributary_runs_active\\{[^}]*\\} \\d");
    }

    /** The test query's answer as a client reads it: sample rows as JSON objects. */
    record Answer(long runId, long rows, long mapped, long rejected, long durationMs, List<String> columns,
            List<Map<String, Object>> sample, List<Map<String, Object>> rejections, String error) {
    }

    private void expectError(String path, String body, HttpStatus status, String message) {
        var request = app.client().post().uri(path).contentType(MediaType.APPLICATION_JSON);
        var exchange = body == null ? request.exchange() : request.bodyValue(body).exchange();
        exchange.expectStatus().isEqualTo(status).expectBody().jsonPath("$.message")
                .value(m -> assertThat(m.toString()).contains(message));
    }

    /** Subscribes and returns once the stream is open (its first comment arrived), so no event is missed. */
    private Disposable subscribe(String path, List<ServerSentEvent<Map<String, Object>>> into) {
        java.util.concurrent.atomic.AtomicBoolean open = new java.util.concurrent.atomic.AtomicBoolean();
        Disposable d = WebClient.create(app.baseUrl()).get().uri(path).retrieve()
                .bodyToFlux(new ParameterizedTypeReference<ServerSentEvent<Map<String, Object>>>() { })
                .doOnNext(e -> open.set(true))
                .filter(e -> e.event() != null).subscribe(into::add);
        await().atMost(Duration.ofSeconds(30)).untilTrue(open);
        return d;
    }

    private ImportView importView(String id) {
        return app.client().get().uri("/api/imports/{id}", id).exchange().expectStatus().isOk()
                .expectBody(ImportView.class).returnResult().getResponseBody();
    }

    /** The import, the source and its newest runs as the API shows them: what an operator would look at. */
    private String whatTheApiSays(String importId) {
        return "import: " + get("/api/imports/" + importId) + "; source: " + get("/api/sources/hist")
                + "; newest runs: " + get("/api/sources/hist/runs?limit=5");
    }

    private String get(String path) {
        try {
            return app.client().get().uri(path).exchange().expectBody(String.class).returnResult().getResponseBody();
        } catch (RuntimeException | AssertionError e) {
            return path + " failed: " + e;
        }
    }

    private List<RunView> runs(String source, String query) {
        return app.client().get().uri("/api/sources/" + source + "/runs" + query).exchange().expectStatus().isOk()
                .expectBody(new ParameterizedTypeReference<List<RunView>>() { }).returnResult().getResponseBody();
    }

    private SourceView source(String id) {
        return app.client().get().uri("/api/sources/{id}", id).exchange().expectStatus().isOk()
                .expectBody(SourceView.class).returnResult().getResponseBody();
    }
}
