package io.tributary.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpStatus;
import org.springframework.test.web.reactive.server.WebTestClient;

import com.fasterxml.jackson.annotation.JsonRawValue;

import io.tributary.app.support.RunningApp;
import io.tributary.app.support.TestDatabase;
import io.tributary.app.web.RunView;

/**
 * {@code GET /api/sources/{id}/registrations} and its CSV export against a PostgreSQL store the real application
 * filled from a PostgreSQL source: 2,345 registrations in groups of ten sharing a date (so pages split groups), names
 * and references with commas, quotes and line breaks.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RegistrationsApiIT {

    private static final int ROWS = 2_345;

    private TestDatabase db;
    private RunningApp app;

    @BeforeAll
    void start() throws Exception {
        db = TestDatabase.fresh("console_api");
        db.execute("CREATE TABLE console_orders (ref text, seller text, seller_name text, sold_at timestamptz, total numeric(10,2), "
                + "lines jsonb)",
                "INSERT INTO console_orders SELECT 'o-' || g, 's' || (g % 13), "
                        + "CASE WHEN g % 100 = 0 THEN 'Smith, \"Jo\"' || chr(10) || 'Jr' ELSE 'Seller ' || (g % 13) END, "
                        + "timestamptz '2024-01-01 00:00:00+00' + (g / 10) * interval '1 hour', g * 0.01, "
                        + "jsonb_build_object('n', g, 'note', 'a,b') FROM generate_series(1, " + (ROWS - 1) + ") g",
                "INSERT INTO console_orders VALUES ('x,y \"z\"', 's1', 'Quote', '2024-01-02 05:00:00+00', 1.50, '[1, 2]')");
        app = RunningApp.start(Map.of(
                "TRIBUTARY_STORE_URL", db.jdbcUrl(),
                "TRIBUTARY_SOURCES_ORDERS_URL", db.sourceUrl(),
                "TRIBUTARY_SOURCES_ORDERS_STATEMENT", "SELECT ref AS reference, seller AS member_id, seller_name AS member_name, "
                        + "sold_at AS date, total, lines FROM console_orders "
                        + "WHERE sold_at >= {{ last_update_time }} AND sold_at < {{ upper_date_limit }}",
                "TRIBUTARY_SOURCES_ORDERS_UPDATE_FREQUENCY", "1h",
                "TRIBUTARY_SOURCES_ORDERS_MAX_ROWS_PER_MINUTE", "0"));
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(250)).until(() -> app.client().get()
                .uri("/api/sources/orders/runs").exchange().expectBody(new ParameterizedTypeReference<List<RunView>>() { })
                .returnResult().getResponseBody().stream().anyMatch(r -> r.status().equals("succeeded")));
        assertThat(db.count("SELECT count(*) FROM registrations WHERE source_id = 'orders'")).isEqualTo(ROWS);
    }

    @AfterAll
    void stop() {
        if (app != null) {
            app.close();
        }
    }

    /** The page as a client reads it; {@code fields} kept as the JSON text the server sent. */
    record Page(List<Row> registrations, String next) {
    }

    record Row(String reference, String memberIdSource, String memberId, String memberName, String teamName, String date,
            @JsonRawValue Object fields, boolean deleted, String firstSeen, String updatedAt, Long lastRunId) {
    }

    private Page page(String query) {
        return page(query, null);
    }

    /** {@code after} goes in as a URI variable, so that it is encoded once. */
    private Page page(String query, String after) {
        return app.client().get().uri(b -> {
            b.path("/api/sources/orders/registrations").query(query);
            return after == null ? b.build() : b.queryParam("after", "{after}").build(after);
        }).exchange().expectStatus().isOk().expectBody(Page.class).returnResult().getResponseBody();
    }

    /** The store's rows in the order the API promises, read with plain JDBC. */
    private List<String[]> stored(String where) throws Exception {
        List<String[]> rows = new ArrayList<>();
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement("SELECT reference, member_id_source, member_id, "
                + "member_name, team_name, date, deleted, first_seen, updated_at, last_run_id, fields::text FROM registrations "
                + "WHERE source_id = 'orders' " + where + " ORDER BY date, reference"); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rows.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                    rs.getTimestamp(6).toInstant().toString(), Boolean.toString(rs.getBoolean(7)),
                    rs.getTimestamp(8).toInstant().toString(), rs.getTimestamp(9).toInstant().toString(), rs.getString(10),
                    rs.getString(11)});
            }
        }
        return rows;
    }

    /** RFC 4180, written here independently of the server's code. */
    private static String csv(List<String[]> rows) {
        StringBuilder out = new StringBuilder("reference,member_id_source,member_id,member_name,team_name,date,deleted,"
                + "first_seen,updated_at,last_run_id,fields\r\n");
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                String v = r[i] == null ? "" : r[i];
                out.append(i == 0 ? "" : ",").append(v.matches("(?s).*[,\"\r\n].*") ? "\"" + v.replace("\"", "\"\"") + "\"" : v);
            }
            out.append("\r\n");
        }
        return out.toString();
    }

    @Test
    @DisplayName("keyset pages of 333 walk every registration once, in (date, reference) order, splitting rows that share a date")
    void pagingIsExact() throws Exception {
        List<String> seen = new ArrayList<>();
        String after = null;
        int pages = 0;
        do {
            Page p = page("limit=333", after);
            p.registrations().forEach(r -> seen.add(r.reference()));
            assertThat(p.registrations()).hasSizeLessThanOrEqualTo(333);
            after = p.next();
            pages++;
        } while (after != null);
        assertThat(pages).isEqualTo((ROWS + 332) / 333);
        assertThat(seen).containsExactlyElementsOf(stored("").stream().map(r -> r[0]).toList());
    }

    @Test
    @DisplayName("a date range keeps from <= date < to, and a page's cursor is the last row's date and reference")
    void dateRange() throws Exception {
        Page p = page("from=2024-01-02&to=2024-01-03T00:00:00Z&limit=1000");
        List<String[]> expected = stored("AND date >= '2024-01-02Z' AND date < '2024-01-03Z'");
        assertThat(expected).hasSize(241);
        assertThat(p.registrations()).extracting(Row::reference).containsExactlyElementsOf(expected.stream().map(r -> r[0]).toList());
        assertThat(p.next()).isNull();

        Page first = page("from=2024-01-02&to=2024-01-03&limit=15");
        String[] last = expected.get(14);
        assertThat(first.next()).isEqualTo(last[5] + "," + last[0]);
        assertThat(first.registrations().get(0).memberIdSource()).isEqualTo("orders");
        assertThat(first.registrations().get(0).date()).isEqualTo(expected.get(0)[5]);
    }

    @Test
    @DisplayName("a reference is looked up exactly, custom fields as stored, and an unknown one is an empty page")
    void referenceLookup() {
        Page p = app.client().get().uri(b -> b.path("/api/sources/orders/registrations").queryParam("reference", "{r}").build("x,y \"z\""))
                .exchange().expectStatus().isOk().expectBody(Page.class).returnResult().getResponseBody();
        assertThat(p.registrations()).hasSize(1);
        Row r = p.registrations().get(0);
        assertThat(r.reference()).isEqualTo("x,y \"z\"");
        assertThat(r.memberName()).isEqualTo("Quote");
        assertThat(r.date()).isEqualTo("2024-01-02T05:00:00Z");
        assertThat(p.next()).isNull();
        // the custom fields exactly as the store holds them (jsonb's own text), the decimal's scale kept
        String body = app.client().get().uri(b -> b.path("/api/sources/orders/registrations").queryParam("reference", "{r}")
                .build("x,y \"z\"")).exchange().expectBody(String.class).returnResult().getResponseBody();
        assertThat(body).contains("\"fields\":{\"lines\": [1, 2], \"total\": 1.50}");
        assertThat(page("reference=nope").registrations()).isEmpty();
    }

    @Test
    @DisplayName("the CSV export holds exactly the stored rows, past its internal page of 1,000, by path or by Accept header")
    void csvIsExact() throws Exception {
        WebTestClient client = app.client().mutate().codecs(c -> c.defaultCodecs().maxInMemorySize(16 * 1024 * 1024)).build();
        String all = client.get().uri("/api/sources/orders/registrations.csv").exchange().expectStatus().isOk()
                .expectHeader().contentType("text/csv;charset=UTF-8")
                .expectHeader().valueEquals("Content-Disposition", "attachment; filename=\"orders-registrations.csv\"")
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(all).isEqualTo(csv(stored("")));
        assertThat(all).contains("\"Smith, \"\"Jo\"\"\nJr\"").contains("\"x,y \"\"z\"\"\"");

        String range = client.get().uri("/api/sources/orders/registrations?from=2024-01-02&to=2024-01-03&limit=5")
                .header("Accept", "text/csv").exchange().expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
        assertThat(range).isEqualTo(csv(stored("AND date >= '2024-01-02Z' AND date < '2024-01-03Z'").subList(0, 5)));
    }

    @Test
    @DisplayName("bad input gets a 400 that says what to write, an unknown source a 404; run points for plots")
    void badInput() {
        expect("/api/sources/orders/registrations?after=yesterday", HttpStatus.BAD_REQUEST,
                "after 'yesterday' is not a cursor; pass the 'next' value of the previous page, e.g. after=2024-01-01T00:00:00Z,s-1");
        expect("/api/sources/orders/registrations?limit=0", HttpStatus.BAD_REQUEST, "limit must be 1 to 1000 but it was 0");
        expect("/api/sources/orders/registrations?from=2024-02-01&to=2024-01-01", HttpStatus.BAD_REQUEST,
                "to (2024-01-01T00:00:00Z) must be after from (2024-02-01T00:00:00Z)");
        expect("/api/sources/orders/registrations.csv?from=soon", HttpStatus.BAD_REQUEST,
                "from 'soon' is not an ISO date or timestamp; write e.g. 2024-01-01 or 2024-01-01T00:00:00Z");
        expect("/api/sources/nope/registrations", HttpStatus.NOT_FOUND, "no source 'nope'; known: [orders]");
        // and the run points the console's plots read
        expect("/api/sources/orders/runs/points?hours=0", HttpStatus.BAD_REQUEST, "hours must be 1 to 2160 (90 days) but it was 0");
        app.client().get().uri("/api/sources/orders/runs/points?kind=automatic").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$[0].kind").isEqualTo("automatic").jsonPath("$[0].status").isEqualTo("succeeded")
                .jsonPath("$[0].read").isEqualTo(ROWS);
    }

    private void expect(String uri, HttpStatus status, String message) {
        app.client().get().uri(uri).exchange().expectStatus().isEqualTo(status).expectBody().jsonPath("$.message").isEqualTo(message);
    }
}
