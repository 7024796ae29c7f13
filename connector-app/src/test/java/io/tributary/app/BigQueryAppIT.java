package io.tributary.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.ParameterizedTypeReference;

import io.tributary.app.support.RunningApp;
import io.tributary.app.web.RunView;
import io.tributary.testkit.FakeBigQueryServer;
import io.tributary.testkit.FakeBigQueryServer.Column;
import io.tributary.testkit.FakeBigQueryServer.Result;

/**
 * A BigQuery source through the real application and its embedded H2 store, configured with TRIBUTARY_* variables
 * only: the google-cloud-bigquery client talks to the local fake of the REST API, whose result comes in three pages.
 */
class BigQueryAppIT {

    @Test
    void aBigQuerySourceImportsThreePagesIntoTheH2Store(@TempDir Path data) throws Exception {
        try (FakeBigQueryServer bigquery = FakeBigQueryServer.start()) {
            bigquery.answer("CURRENT_TIMESTAMP()", Result.of(List.of(Column.of("f0_", "TIMESTAMP")),
                    List.of(List.of("1.7220096E9"))));
            bigquery.answer("FROM `shop.orders`", Result.of(List.of(Column.of("reference", "STRING"),
                    Column.of("member_id", "INTEGER"), Column.of("member_name", "STRING"), Column.of("date", "DATETIME"),
                    Column.of("amount", "NUMERIC"), Column.record("address", Column.of("city", "STRING"))), rows()));
            try (RunningApp app = RunningApp.start(Map.of(
                    "TRIBUTARY_DATA_DIR", data.toString(),
                    "TRIBUTARY_SOURCES_ORDERS_URL", bigquery.url("shop-analytics", "shop") + "&location=EU",
                    "TRIBUTARY_SOURCES_ORDERS_STATEMENT", "SELECT reference, member_id, member_name, date, amount, address"
                            + " FROM `shop.orders` WHERE updated_at >= {{ last_update_time }} AND updated_at < {{ upper_date_limit }}",
                    "TRIBUTARY_SOURCES_ORDERS_TIMEZONE", "Europe/Copenhagen",
                    "TRIBUTARY_SOURCES_ORDERS_START", "2024-07-01",
                    "TRIBUTARY_SOURCES_ORDERS_FETCH_SIZE", "3",
                    "TRIBUTARY_SOURCES_ORDERS_UPDATE_FREQUENCY", "1h"))) {
                String store = "jdbc:h2:file:" + data.toAbsolutePath() + "/tributary-store;AUTO_SERVER=TRUE";
                await().atMost(Duration.ofSeconds(60)).until(() -> count(store) == 7);

                Map<String, String> rows = registrations(store);
                assertThat(rows).containsEntry("o-1", "42|Ada|2024-07-01T08:00Z|{\"amount\":12.50,\"address\":{\"city\":\"Aarhus\"}}")
                        .containsEntry("o-7", "7|Bo|2024-07-01T08:00:06Z|{\"amount\":7.00,\"address\":null}");
                List<RunView> runs = app.client().get().uri("/api/sources/orders/runs?limit=10").exchange()
                        .expectStatus().isOk().expectBody(new ParameterizedTypeReference<List<RunView>>() { })
                        .returnResult().getResponseBody();
                assertThat(runs).hasSize(1);
                assertThat(runs.get(0).status()).isEqualTo("succeeded");
                assertThat(runs.get(0).inserted()).isEqualTo(7);
                // pages of FETCH_SIZE rows; the clock query reads its one row with a page of one
                assertThat(bigquery.requests("GET", "/data$")).filteredOn(r -> "3".equals(r.query().get("maxResults")))
                        .extracting(r -> r.query().get("pageToken")).containsExactly(null, "3", "6");
            }
        }
    }

    private static List<List<@Nullable Object>> rows() {
        List<List<@Nullable Object>> rows = new ArrayList<>();
        rows.add(Arrays.asList("o-1", "42", "Ada", "2024-07-01T10:00:00", "12.50",
                new FakeBigQueryServer.Struct(List.of("Aarhus"))));
        for (int i = 2; i <= 7; i++) {
            rows.add(Arrays.asList("o-" + i, "7", "Bo", "2024-07-01T10:00:0" + (i - 1), "7.00", null));
        }
        return rows;
    }

    private static long count(String store) throws SQLException {
        try (Connection c = DriverManager.getConnection(store, "sa", ""); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*) FROM registrations WHERE source_id = 'orders'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** reference to member_id|member_name|date (UTC)|fields. */
    private static Map<String, String> registrations(String store) throws SQLException {
        Map<String, String> rows = new TreeMap<>();
        try (Connection c = DriverManager.getConnection(store, "sa", ""); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT reference, member_id, member_name, date, CAST(fields AS VARCHAR)"
                        + " FROM registrations WHERE source_id = 'orders'")) {
            while (rs.next()) {
                OffsetDateTime date = rs.getObject(4, OffsetDateTime.class);
                rows.put(rs.getString(1), rs.getString(2) + "|" + rs.getString(3) + "|"
                        + date.toInstant().atOffset(java.time.ZoneOffset.UTC).toString().replace("+00:00", "Z") + "|" + rs.getString(5));
            }
        }
        return rows;
    }
}
