package io.tributary.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import io.tributary.app.support.AppProcess;
import io.tributary.app.support.TestDatabase;

/**
 * Regression for issue 19: the store's PostgreSQL (a cluster of its own, {@code hardstore} on port 5499, made for
 * this test and dropped after it) stops for a while as rows keep arriving at the source. The API answers fast (from
 * memory, or 503 within two seconds), failed runs are one log line each and a {@code run-failed} event, and
 * everything resumes by itself when the store is back, with nothing lost.
 */
class StoreOutageIT {

    private static final String CLUSTER = "hardstore";
    private static final int STORE_PORT = Integer.parseInt(System.getenv().getOrDefault("TRIBUTARY_TEST_OUTAGE_PORT", "5499"));
    /** How long the store is down; the issue saw it with 60 s. */
    private static final Duration OUTAGE = Duration.ofSeconds(Long.parseLong(
            System.getenv().getOrDefault("TRIBUTARY_TEST_OUTAGE_SECONDS", "60")));

    private static TestDatabase source;
    private static boolean clusterMade;

    @BeforeAll
    static void databases() throws Exception {
        source = TestDatabase.fresh("hard_outage_src");
        source.execute("CREATE TABLE sales (id int PRIMARY KEY, seller int, sold_at timestamptz DEFAULT now())");
        pg("pg_dropcluster", "--stop", "15", CLUSTER);
        assertThat(pg("pg_createcluster", "15", CLUSTER, "-p", Integer.toString(STORE_PORT), "--", "-A", "trust"))
                .as("pg_createcluster (run as root)").isZero();
        clusterMade = true;
        assertThat(pg("pg_ctlcluster", "15", CLUSTER, "start")).isZero();
        try (Connection c = DriverManager.getConnection(storeUrl("postgres")); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE hard_outage_store");
        }
    }

    @AfterAll
    static void dropCluster() throws Exception {
        if (clusterMade) {
            pg("pg_dropcluster", "--stop", "15", CLUSTER);
        }
    }

    private static String storeUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + STORE_PORT + "/" + database + "?user=postgres";
    }

    private static int pg(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getInputStream().transferTo(System.out);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return p.exitValue();
    }

    @Test
    @DisplayName("issue 19: the store down while rows arrive: fast answers, one line and an event per failed run, nothing lost")
    void storeOutage() throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("TRIBUTARY_STORE_URL", storeUrl("hard_outage_store"));
        env.put("TRIBUTARY_SOURCES_SALES_URL", source.sourceUrl());
        env.put("TRIBUTARY_SOURCES_SALES_STATEMENT", "SELECT id AS reference, seller AS member_id, 'S' || seller AS "
                + "member_name, sold_at AS date FROM sales WHERE sold_at >= {{ last_update_time }} AND sold_at < "
                + "{{ upper_date_limit }}");
        env.put("TRIBUTARY_SOURCES_SALES_UPDATE_FREQUENCY", "2s");
        int inserted = 0;
        inserted = insert(inserted, 500);
        List<String> figures = new ArrayList<>();
        try (AppProcess.Server app = AppProcess.start(env)) {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            BlockingQueue<String> events = new LinkedBlockingQueue<>();
            Thread reader = followEvents(http, app.baseUrl() + "/api/events", events);
            try {
                awaitStored(events, inserted);

                int logBefore = app.output().length();
                assertThat(pg("pg_ctlcluster", "15", CLUSTER, "stop", "-m", "fast")).isZero();
                long downAt = System.nanoTime();
                long slowest = 0;
                int asked = 0;
                while (System.nanoTime() - downAt < OUTAGE.toNanos()) {
                    inserted = insert(inserted, 20);
                    for (String path : List.of("/api/sources", "/api/sources/sales", "/api/sources/sales/runs",
                            "/api/imports", "/actuator/health/liveness", "/actuator/health")) {
                        long t0 = System.nanoTime();
                        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(app.baseUrl() + path))
                                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                        long ms = (System.nanoTime() - t0) / 1_000_000;
                        slowest = Math.max(slowest, ms);
                        asked++;
                        figures.add(String.format("t=%5.1fs %-28s %d %5d ms %s", (System.nanoTime() - downAt) / 1e9, path,
                                r.statusCode(), ms, r.headers().firstValue("X-Tributary-Store").orElse("")));
                        assertThat(ms).as(path + " answered within 2 s while the store is down").isLessThan(2_000);
                        if (path.equals("/actuator/health")) {
                            assertThat(r.statusCode()).as("health reports the store down").isEqualTo(503);
                        } else if (path.startsWith("/api/sources/sales/runs") || path.startsWith("/api/imports")) {
                            assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(503);
                            assertThat(r.body()).contains("the registration store cannot be read right now");
                        } else {
                            assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
                        }
                        if (path.equals("/api/sources")) {
                            assertThat(r.body()).contains("\"id\":\"sales\"");
                        }
                    }
                    // pacing the requests, not waiting for a state
                    Thread.sleep(1_000);
                }
                String during = app.output().substring(logBefore);
                long failedEvents = events.stream().filter(e -> e.startsWith("event:run-failed")).count();
                List<String> failedRunLines = during.lines().filter(l -> l.contains("source sales:")
                        && (l.contains("fail") || l.contains("could not"))).toList();
                long stackFrames = during.lines().filter(l -> l.startsWith("\tat ")).count();
                figures.add("store down " + OUTAGE.toSeconds() + " s: " + asked + " API calls, slowest " + slowest
                        + " ms; run-failed events " + failedEvents + "; log lines about failed runs "
                        + failedRunLines.size() + "; stack-trace frames in the log " + stackFrames);

                assertThat(pg("pg_ctlcluster", "15", CLUSTER, "start")).isZero();
                long upAt = System.nanoTime();
                awaitStored(events, inserted);
                figures.add(String.format("store back: all %d rows stored %.1f s after it started", inserted,
                        (System.nanoTime() - upAt) / 1e9));

                assertThat(failedEvents).as("a run-failed event for the runs that failed").isPositive();
                assertThat(stackFrames).as(during).isZero();
                assertThat(count("SELECT count(*) FROM tributary.registrations")).isEqualTo(inserted);
            } finally {
                reader.interrupt();
                Files.createDirectories(Path.of("target"));
                Files.write(Path.of("target", "store-outage-figures.txt"), figures);
                Files.writeString(Path.of("target", "store-outage-app.log"), app.output());
                figures.forEach(System.out::println);
            }
        }
    }

    /** Waits, event by event, until the store holds {@code expected} registrations. */
    private static void awaitStored(BlockingQueue<String> events, int expected) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (count("SELECT count(*) FROM tributary.registrations") != expected) {
            String event;
            do {
                event = events.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                assertThat(event).as("events until " + expected + " rows are stored").isNotNull();
            } while (!event.startsWith("event:run-finished"));
        }
    }

    private static long count(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(storeUrl("hard_outage_store")); Statement st = c.createStatement();
                var rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static int insert(int from, int n) throws Exception {
        source.execute("INSERT INTO sales (id, seller) SELECT g, g % 7 FROM generate_series(" + (from + 1) + ", "
                + (from + n) + ") g");
        return from + n;
    }

    /** Reads the SSE stream on a thread of its own; every "event:" line goes to the queue. */
    private static Thread followEvents(HttpClient http, String url, BlockingQueue<String> events) {
        Thread t = new Thread(() -> {
            try {
                HttpResponse<java.io.InputStream> r = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                        HttpResponse.BodyHandlers.ofInputStream());
                try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
                    for (String line; (line = in.readLine()) != null;) {
                        if (line.startsWith("event:")) {
                            events.add(line.replace("event: ", "event:"));
                        }
                    }
                }
            } catch (IOException | InterruptedException e) {
                // the test is over
            }
        }, "sse-reader");
        t.setDaemon(true);
        t.start();
        return t;
    }
}
