package io.tributary.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import io.tributary.app.support.AppProcess;
import io.tributary.app.support.TestDatabase;

/**
 * Regression for issue 19: a graceful stop (SIGTERM) finishes the run in progress, or records it with the rows it
 * had written when it takes longer than the grace; after a kill -9 the next start records the interrupted run with
 * those rows too, never RUNNING or zeros.
 */
class GracefulStopIT {

    private static TestDatabase source;

    @BeforeAll
    static void source() throws Exception {
        source = TestDatabase.fresh("hard_stop_src");
        source.execute("CREATE TABLE short_sales (id int PRIMARY KEY, seller int, sold_at timestamptz)",
                "INSERT INTO short_sales SELECT g, g % 7, timestamptz '2024-01-01' + g * interval '1 second' "
                        + "FROM generate_series(1, 200) g",
                "CREATE TABLE long_sales (id int PRIMARY KEY, seller int, sold_at timestamptz)",
                "INSERT INTO long_sales SELECT g, g % 7, timestamptz '2024-01-01' + g * interval '1 second' "
                        + "FROM generate_series(1, 4000) g");
    }

    /** One source whose rows come 20 ms apart, on a store database of its own. */
    private static Map<String, String> env(String table, TestDatabase store) {
        Map<String, String> env = new HashMap<>();
        env.put("TRIBUTARY_STORE_URL", store.jdbcUrl());
        env.put("TRIBUTARY_SOURCES_SALES_URL", source.sourceUrl());
        env.put("TRIBUTARY_SOURCES_SALES_STATEMENT", "SELECT id AS reference, seller AS member_id, 'S' || seller AS "
                + "member_name, sold_at AS date, (SELECT id FROM pg_sleep(0.02 + 0 * id)) AS paced FROM " + table
                + " WHERE sold_at >= {{ last_update_time }} AND sold_at < {{ upper_date_limit }}");
        env.put("TRIBUTARY_SOURCES_SALES_BATCH_SIZE", "100");
        env.put("TRIBUTARY_SOURCES_SALES_MAX_ROWS_PER_MINUTE", "0");
        return env;
    }

    @Test
    @DisplayName("issue 19: SIGTERM during a short run lets it finish and record its counts")
    void shortRunFinishes() throws Exception {
        TestDatabase store = TestDatabase.fresh("hard_stop_store_a");
        Instant stoppedAt;
        try (AppProcess.Server app = AppProcess.start(env("short_sales", store))) {
            awaitEvent(app, "event:run-started");
            stoppedAt = Instant.now();
            app.close();
        }
        // 200 rows 20 ms apart: the stop came while the run was reading, and the run ended after it
        Instant ended = Instant.parse(store.text("SELECT to_char((started_at + duration_ms * interval '1 millisecond') "
                + "AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"') FROM tributary.import_runs ORDER BY id LIMIT 1"));
        assertThat(ended).isAfter(stoppedAt);
        assertThat(store.text("SELECT status || ' ' || read_count || ' ' || inserted FROM tributary.import_runs "
                + "ORDER BY id LIMIT 1")).isEqualTo("SUCCEEDED 200 200");
        assertThat(store.count("SELECT count(*) FROM tributary.import_runs WHERE status = 'RUNNING'")).isZero();
    }

    @Test
    @DisplayName("issue 19: SIGTERM during a run longer than the grace records it with the rows it had written")
    void longRunIsRecordedWithItsCounts() throws Exception {
        TestDatabase store = TestDatabase.fresh("hard_stop_store_b");
        try (AppProcess.Server app = AppProcess.start(env("long_sales", store))) {
            awaitEvent(app, "event:run-progress");
        }
        long written = store.count("SELECT count(*) FROM tributary.registrations");
        assertThat(written).isPositive().isLessThan(4000);
        assertThat(store.text("SELECT status || ' ' || read_count || ' ' || inserted FROM tributary.import_runs "
                + "ORDER BY id LIMIT 1")).isEqualTo("FAILED " + written + " " + written);
        assertThat(store.text("SELECT error FROM tributary.import_runs ORDER BY id LIMIT 1"))
                .startsWith("interrupted: Tributary was stopped during this run and it did not finish within 8 s");
    }

    @Test
    @DisplayName("issue 19: after kill -9 the next start records the interrupted run with the rows it had written")
    void killedRunIsRecordedAtNextStart() throws Exception {
        TestDatabase store = TestDatabase.fresh("hard_stop_store_c");
        Map<String, String> env = env("long_sales", store);
        try (AppProcess.Server app = AppProcess.start(env)) {
            awaitEvent(app, "event:run-progress");
            // a few batches of 100 rows, 2 s each, have been written
            awaitRows(store, 300);
            app.kill9();
        }
        long written = store.count("SELECT count(*) FROM tributary.registrations");
        assertThat(store.text("SELECT status FROM tributary.import_runs ORDER BY id LIMIT 1")).isEqualTo("RUNNING");
        // the next start records it before its first run; stopping it at once keeps the first run's record apart
        env.put("TRIBUTARY_SOURCES_SALES_UPDATE_FREQUENCY", "1h");
        try (AppProcess.Server again = AppProcess.start(env)) {
            assertThat(again.output()).contains("1 run(s) were in progress when Tributary last stopped");
        }
        assertThat(written).isPositive();
        assertThat(store.text("SELECT status || ' ' || read_count || ' ' || inserted FROM tributary.import_runs "
                + "ORDER BY id LIMIT 1")).isEqualTo("FAILED " + written + " " + written);
        assertThat(store.text("SELECT error FROM tributary.import_runs ORDER BY id LIMIT 1"))
                .startsWith("interrupted: Tributary stopped while this run was in progress (killed or crashed)");
    }

    /** Waits until the store holds at least {@code rows} registrations; the rows arrive at a known pace. */
    private static void awaitRows(TestDatabase store, long rows) {
        // another process's database, where no latch reaches: polled with a deadline
        await().alias(rows + " rows stored").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> store.count("SELECT count(*) FROM tributary.registrations") >= rows);
    }

    /**
     * Reads the app's event stream, from the first event the app buffered (the first run may start before the
     * stream is opened), until an event of this type arrives.
     */
    private static void awaitEvent(AppProcess.Server app, String type) throws Exception {
        BlockingQueue<String> found = new LinkedBlockingQueue<>();
        HttpClient http = HttpClient.newHttpClient();
        Thread reader = new Thread(() -> {
            try {
                HttpResponse<java.io.InputStream> r = http.send(HttpRequest.newBuilder(URI.create(app.baseUrl()
                        + "/api/events")).header("Last-Event-ID", "1").build(), HttpResponse.BodyHandlers.ofInputStream());
                try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
                    for (String line; (line = in.readLine()) != null;) {
                        if (line.replace("event: ", "event:").equals(type)) {
                            found.add(line);
                            return;
                        }
                    }
                }
            } catch (IOException | InterruptedException e) {
                // the app went away
            }
        }, "sse-reader");
        reader.setDaemon(true);
        reader.start();
        assertThat(found.poll(60, TimeUnit.SECONDS)).as(type + " within 60 s").isNotNull();
    }
}
