package io.tributary.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
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
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.reactive.function.client.WebClient;

import io.tributary.app.support.RunningApp;
import io.tributary.app.support.TestDatabase;
import io.tributary.app.web.RunView;
import io.tributary.app.web.SourceView;
import io.tributary.testkit.FakePlectoServer;
import io.tributary.testkit.FakePlectoServer.Request;
import io.tributary.testkit.FakePlectoServer.Stored;
import reactor.core.Disposable;

/**
 * A PostgreSQL source pushed to Plecto's registrations API (the testkit's fake of it) through the real app, beside a
 * source that keeps going to the store: 50,000 rows in arrays of at most 100 under a small request budget with 10 %
 * of the posts failing (500s, and answers that come after the client's timeout), unchanged re-reads that send
 * nothing, changes that send exactly the changed rows, a per-item 400, a deleted row, and a storm of 429s.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PlectoPushIT {

    private static final int ROWS = 50_000;
    private static final String USER = "tributary@example.com";
    private static final String PASSWORD = "Plecto-Pw-3e8d1c0b";
    /** The fake's budget and the app's: small, so that the first import has to wait for it. */
    private static final int BUDGET = 30;
    private static final Duration PERIOD = Duration.ofSeconds(2);

    private TestDatabase db;
    private FakePlectoServer plecto;
    private RunningApp app;
    private final List<ServerSentEvent<Map<String, Object>>> events = new CopyOnWriteArrayList<>();
    private Disposable eventStream;

    @BeforeAll
    void start() throws Exception {
        db = TestDatabase.fresh("plecto_push");
        db.execute("""
                CREATE TABLE sales (ref text, seller_id int, seller_name text, team text, amount numeric(12,2), qty int,
                    note text, gone boolean NOT NULL DEFAULT false, sold_at timestamptz, updated_at timestamptz NOT NULL)""",
                """
                INSERT INTO sales
                SELECT 's-' || g, g % 50, 'Seller ' || (g % 50), CASE WHEN g % 3 = 0 THEN NULL ELSE 'Team ' || (g % 4) END,
                       (g % 1000) + 0.25, g % 7, 'note ' || g, false,
                       timestamptz '2024-01-01 00:00:00+00' + g * interval '1 minute', timestamptz '2024-06-01 00:00:00+00'
                FROM generate_series(1, 50000) g""",
                "CREATE TABLE tickets (ref text, agent int, at timestamptz, updated_at timestamptz NOT NULL)",
                "INSERT INTO tickets SELECT 'c-' || g, g % 5, now(), timestamptz '2024-06-01' FROM generate_series(1, 20) g");
        plecto = FakePlectoServer.start(USER, PASSWORD).budget(BUDGET, PERIOD)
                .failRandomly(0.10, Duration.ofSeconds(3));
        app = RunningApp.start(Map.ofEntries(
                Map.entry("TRIBUTARY_STORE_URL", db.jdbcUrl()),
                Map.entry("TRIBUTARY_PLECTO_URL", plecto.baseUrl()),
                Map.entry("TRIBUTARY_PLECTO_USERNAME", USER),
                Map.entry("TRIBUTARY_PLECTO_PASSWORD", PASSWORD),
                Map.entry("TRIBUTARY_PLECTO_REQUEST_BUDGET", BUDGET + "/" + PERIOD.toSeconds() + "s"),
                Map.entry("TRIBUTARY_PLECTO_TIMEOUT", "2s"),
                Map.entry("TRIBUTARY_SOURCES_SALES_URL", db.sourceUrl()),
                Map.entry("TRIBUTARY_SOURCES_SALES_STATEMENT", """
                        SELECT ref AS reference, seller_id AS member_id, seller_name AS member_name, team AS team_name,
                               sold_at AS date, gone AS deleted, amount, qty, note
                        FROM sales WHERE updated_at >= {{ last_update_time }} AND updated_at < {{ upper_date_limit }}"""),
                Map.entry("TRIBUTARY_SOURCES_SALES_UPDATE_FREQUENCY", "1h"),
                Map.entry("TRIBUTARY_SOURCES_SALES_LOOKBACK", "0s"),
                Map.entry("TRIBUTARY_SOURCES_SALES_MEMBER_ID_SOURCE", "crm"),
                Map.entry("TRIBUTARY_SOURCES_SALES_PLECTO_DATA_SOURCE", "ds-sales-1"),
                Map.entry("TRIBUTARY_SOURCES_TICKETS_URL", db.sourceUrl()),
                Map.entry("TRIBUTARY_SOURCES_TICKETS_STATEMENT", """
                        SELECT ref AS reference, agent AS member_id, 'Agent' AS member_name, at AS date FROM tickets
                        WHERE updated_at >= {{ last_update_time }} AND updated_at < {{ upper_date_limit }}"""),
                Map.entry("TRIBUTARY_SOURCES_TICKETS_UPDATE_FREQUENCY", "1h")));
        eventStream = WebClient.create(app.baseUrl()).get().uri("/api/events?source=sales").retrieve()
                .bodyToFlux(new ParameterizedTypeReference<ServerSentEvent<Map<String, Object>>>() { })
                .filter(e -> e.event() != null).subscribe(events::add);
    }

    private List<Map<String, Object>> waitEvents(String reason) {
        return events.stream().filter(e -> "plecto-wait".equals(e.event())).map(ServerSentEvent::data)
                .filter(d -> reason.equals(d.get("reason"))).toList();
    }

    @AfterAll
    void stop() {
        if (eventStream != null) {
            eventStream.dispose();
        }
        if (app != null) {
            app.close();
        }
        if (plecto != null) {
            plecto.close();
        }
    }

    private List<RunView> runs(String source) {
        return app.client().get().uri("/api/sources/{id}/runs?limit=50", source).exchange().expectStatus().isOk()
                .expectBody(new ParameterizedTypeReference<List<RunView>>() { }).returnResult().getResponseBody();
    }

    private RunView runNow(String source) {
        return app.client().post().uri("/api/sources/{id}/run", source).exchange().expectStatus().isOk()
                .expectBody(RunView.class).returnResult().getResponseBody();
    }

    /** The import log's record of a run: it carries Plecto's rejections, which the run's own answer does not. */
    private RunView logged(RunView run) {
        return runs(run.source()).stream().filter(r -> r.id() == run.id()).findFirst().orElseThrow();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> plectoStatus() {
        return app.client().get().uri("/api/plecto").exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
    }

    private static List<Request> posts(List<Request> requests) {
        return requests.stream().filter(r -> r.method().equals("POST")).toList();
    }

    @Test
    @Order(1)
    @SuppressWarnings("unchecked")
    @DisplayName("the first import leaves exactly the 50,000 rows in Plecto, in arrays of at most 100, never past the budget, through 10 % failed posts")
    void firstImportPushesEverything() throws Exception {
        // 'sales' comes first of the two sources, so its first automatic run starts with the app
        await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(500))
                .until(() -> runs("sales").stream().anyMatch(r -> !r.status().equals("running")));
        RunView first = runs("sales").get(runs("sales").size() - 1);

        assertThat(first.status()).as(String.valueOf(first.error())).isEqualTo("succeeded");
        assertThat(first.read()).isEqualTo(ROWS);
        assertThat(first.inserted()).isEqualTo(ROWS);
        Map<String, Stored> held = plecto.registrations();
        assertThat(held).hasSize(ROWS);
        List<Request> posts = posts(plecto.requests());
        assertThat(posts).allSatisfy(p -> assertThat(p.items()).isBetween(1, 100));
        assertThat(plecto.overLimit()).isZero();
        assertThat(plecto.budgetRefusals()).as("requests the fake refused for the budget").isZero();
        assertThat(plecto.failedAtRandom()).as("posts that failed").isGreaterThan(10);
        // the budget of 30 per 2 s held in every window of the requests' arrival times
        List<Long> arrivals = plecto.requests().stream().map(Request::at).sorted().toList();
        for (int i = BUDGET; i < arrivals.size(); i++) {
            assertThat(arrivals.get(i) - arrivals.get(i - BUDGET)).isGreaterThanOrEqualTo(PERIOD.toMillis());
        }

        Stored s1 = held.get("ds-sales-1/s-1");
        assertThat(s1.json().toString()).isEqualTo("{\"data_source\":\"ds-sales-1\",\"member_api_provider\":\"crm\","
                + "\"member_api_id\":\"1\",\"member_name\":\"Seller 1\",\"external_id\":\"s-1\","
                + "\"date\":\"2024-01-01T00:01:00Z\",\"team_name\":\"Team 1\",\"amount\":1.25,\"qty\":1,\"note\":\"note 1\"}");
        assertThat(held.get("ds-sales-1/s-3").json().has("team_name")).isFalse();
        assertThat(held.get("ds-sales-1/s-999").field("amount")).isEqualTo("999.25");

        // the pushed source's registrations are not stored; the other source's are, as before
        assertThat(db.count("SELECT count(*) FROM registrations WHERE source_id = 'sales'")).isZero();
        assertThat(db.count("SELECT count(*) FROM plecto_pushed WHERE source_id = 'sales'")).isEqualTo(ROWS);
        SourceView sales = app.client().get().uri("/api/sources/sales").exchange().expectStatus().isOk()
                .expectBody(SourceView.class).returnResult().getResponseBody();
        assertThat(sales.registrations()).as("registrations Plecto holds").isEqualTo(ROWS);
        RunView tickets = runNow("tickets");
        assertThat(tickets.status()).isEqualTo("succeeded");
        assertThat(db.count("SELECT count(*) FROM registrations WHERE source_id = 'tickets'")).isEqualTo(20);
        assertThat(plecto.registrations()).hasSize(ROWS);

        Map<String, Object> status = plectoStatus();
        Map<String, Object> budget = (Map<String, Object>) status.get("budget");
        assertThat(budget).containsEntry("limit", BUDGET).containsEntry("periodSeconds", 2);
        assertThat(((Number) budget.get("waits")).longValue()).as("requests that waited for the budget").isPositive();
        assertThat(waitEvents("budget")).as("plecto-wait events").isNotEmpty()
                .allSatisfy(e -> assertThat(e).containsEntry("source", "sales").containsKeys("waitSeconds", "until"));
        assertThat(status.toString()).doesNotContain(PASSWORD);
        String prometheus = app.client().get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(prometheus).contains("tributary_plecto_budget_wait_seconds_total")
                .contains("tributary_plecto_registrations_total{application=\"tributary\",outcome=\"inserted\",source=\"sales\"} 50000.0");
    }

    @Test
    @Order(2)
    @DisplayName("re-reading 50,000 unchanged rows sends no request")
    void unchangedRereadSendsNothing() throws Exception {
        plecto.healthy();
        plecto.clearRequests();
        db.execute("UPDATE sales SET updated_at = now()");

        RunView run = runNow("sales");

        assertThat(run.status()).isEqualTo("succeeded");
        assertThat(run.read()).isEqualTo(ROWS);
        assertThat(run.unchanged()).isEqualTo(ROWS);
        assertThat(plecto.requests()).isEmpty();
    }

    @Test
    @Order(3)
    @DisplayName("changing 10 % of the rows pushes exactly those 5,000")
    void changedRowsArePushed() throws Exception {
        plecto.healthy();
        plecto.clearRequests();
        db.execute("UPDATE sales SET amount = amount + 1 WHERE substr(ref, 3)::int % 10 = 0",
                "UPDATE sales SET updated_at = now()");

        RunView run = runNow("sales");

        assertThat(run.status()).isEqualTo("succeeded");
        assertThat(run.updated()).isEqualTo(ROWS / 10);
        assertThat(run.unchanged()).isEqualTo(ROWS - ROWS / 10);
        List<Request> posts = posts(plecto.requests());
        assertThat(posts.stream().mapToInt(Request::items).sum()).isEqualTo(ROWS / 10);
        // arrays are filled within a batch of the run (1,000 rows), so a batch's last array may hold fewer than 100
        assertThat(posts).hasSizeBetween(ROWS / 10 / 100, ROWS / 10 / 100 + ROWS / 1000)
                .allSatisfy(p -> assertThat(p.status()).isEqualTo(201));
        Map<String, Stored> held = plecto.registrations();
        assertThat(held).hasSize(ROWS);
        // every changed registration arrived, and 5,000 sent in all means none other was sent
        for (Stored r : held.values()) {
            int n = Integer.parseInt(r.field("external_id").substring(2));
            String amount = new java.math.BigDecimal(n % 1000).add(new java.math.BigDecimal(n % 10 == 0 ? "1.25" : "0.25")).toPlainString();
            assertThat(r.field("amount")).as(r.field("external_id")).isEqualTo(amount);
        }
    }

    @Test
    @Order(4)
    @DisplayName("a registration Plecto refuses (a 400 naming it) is a rejection in the import log with Plecto's message; the others of its array arrive")
    void refusedItemIsRejected() throws Exception {
        plecto.healthy();
        plecto.clearRequests();
        plecto.rejectItem("s-7", "member_api_id", "No member with this id in the organization.");
        db.execute("UPDATE sales SET qty = qty + 100, updated_at = now() WHERE ref IN ('s-7', 's-9')");

        RunView run = logged(runNow("sales"));

        assertThat(run.status()).isEqualTo("succeeded");
        assertThat(run.updated()).isEqualTo(1);
        assertThat(run.rejected()).isEqualTo(1);
        assertThat(run.rejections()).singleElement().satisfies(r -> {
            assertThat(r.reference()).isEqualTo("s-7");
            assertThat(r.reason()).isEqualTo("Plecto refused registration 's-7': member_api_id: No member with this id in the organization.");
        });
        assertThat(plecto.registrations().get("ds-sales-1/s-9").field("qty")).isEqualTo("102");
        assertThat(plecto.registrations().get("ds-sales-1/s-7").field("qty")).isEqualTo("0");
        assertThat(posts(plecto.requests())).extracting(Request::status, Request::items)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(400, 2), org.assertj.core.groups.Tuple.tuple(201, 1));
    }

    @Test
    @Order(5)
    @DisplayName("a row marked deleted is looked up by external_id and deleted by its id; re-reading it sends nothing")
    void deletedRowIsDeleted() throws Exception {
        plecto.healthy();
        plecto.clearRequests();
        String id = plecto.registrations().get("ds-sales-1/s-11").id();
        db.execute("UPDATE sales SET gone = true, updated_at = now() WHERE ref = 's-11'");

        RunView run = runNow("sales");

        assertThat(run.status()).isEqualTo("succeeded");
        assertThat(run.deleted()).isEqualTo(1);
        assertThat(plecto.registrations()).doesNotContainKey("ds-sales-1/s-11").hasSize(ROWS - 1);
        assertThat(plecto.requests()).extracting(Request::method, Request::path, Request::status).containsExactly(
                org.assertj.core.groups.Tuple.tuple("GET", "/api/v2/registrations/", 200),
                org.assertj.core.groups.Tuple.tuple("DELETE", "/api/v2/registrations/ds-sales-1/" + id + "/", 204));

        plecto.clearRequests();
        db.execute("UPDATE sales SET updated_at = now() WHERE ref = 's-11'");
        RunView again = runNow("sales");
        assertThat(again.unchanged()).isEqualTo(1);
        assertThat(plecto.requests()).isEmpty();
    }

    @Test
    @Order(6)
    @SuppressWarnings("unchecked")
    @DisplayName("a storm of 429s with Retry-After is waited out and nothing is lost")
    void throttlingIsWaitedOut() throws Exception {
        plecto.healthy();
        plecto.clearRequests();
        plecto.failNext(6, 429, Duration.ofSeconds(1));
        db.execute("UPDATE sales SET qty = qty + 1000, updated_at = now() WHERE substr(ref, 3)::int <= 300");

        RunView run = runNow("sales");

        assertThat(run.status()).as(String.valueOf(run.error())).isEqualTo("succeeded");
        assertThat(run.updated()).isEqualTo(299);
        assertThat(run.deleted() + run.unchanged()).isEqualTo(1);
        List<Request> posts = posts(plecto.requests());
        assertThat(posts.stream().filter(p -> p.status() == 429)).hasSize(6);
        assertThat(posts.stream().filter(p -> p.status() == 201).mapToInt(Request::items).sum()).isEqualTo(299);
        assertThat(plecto.registrations().get("ds-sales-1/s-300").field("qty")).isEqualTo("1006");
        // every 429's Retry-After of 1 s held the account's requests (both lanes post at once, so 6 429s take at
        // least 3 rounds of 1 s)
        long firstThrottled = posts.stream().filter(p -> p.status() == 429).mapToLong(Request::at).min().orElseThrow();
        long firstAccepted = posts.stream().filter(p -> p.status() == 201).mapToLong(Request::at).min().orElseThrow();
        assertThat(firstAccepted - firstThrottled).isGreaterThanOrEqualTo(2_900);
        assertThat(((Map<String, Object>) plectoStatus().get("requests")).get("throttled")).isEqualTo(6);
        await().atMost(Duration.ofSeconds(5)).until(() -> !waitEvents("retry-after").isEmpty());
    }
}
