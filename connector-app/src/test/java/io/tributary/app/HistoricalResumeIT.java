package io.tributary.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.reactive.function.client.WebClient;

import io.tributary.app.support.AppProcess;
import io.tributary.app.support.TestDatabase;
import io.tributary.app.web.ImportView;
import reactor.core.Disposable;

/**
 * A historical import of a year (500,000 rows) into a PostgreSQL store, the packaged app killed with
 * {@code kill -9} in the middle: after a restart the import resumes by itself at its first unfinished chunk and ends
 * with exactly 500,000 registrations, and an SSE client follows its progress from start to finish.
 */
class HistoricalResumeIT {

    private static final int ROWS = 500_000;

    @Test
    @DisplayName("kill -9 in the middle of a 500,000-row historical import: after restart it resumes and ends with exactly 500,000 registrations")
    void resumesAfterKill9() throws Exception {
        TestDatabase db = TestDatabase.fresh("tributary_ops_resume");
        // one sale every 63 s through 2024
        db.execute("CREATE TABLE sales (ref text, seller int, sold_at timestamptz, amount numeric(10,2))",
                "INSERT INTO sales SELECT 'r-' || g, g % 97, timestamptz '2024-01-01 00:00:00+00' + g * interval '63 seconds', "
                        + "(g % 1000) + 0.99 FROM generate_series(0, " + (ROWS - 1) + ") g");
        Map<String, String> env = Map.of(
                "TRIBUTARY_STORE_URL", db.jdbcUrl(),
                "TRIBUTARY_SOURCES_SALES_URL", db.sourceUrl(),
                "TRIBUTARY_SOURCES_SALES_STATEMENT", "SELECT ref AS reference, seller AS member_id, 'Seller ' || seller AS "
                        + "member_name, sold_at AS date, amount FROM sales "
                        + "WHERE sold_at >= {{ last_update_time }} AND sold_at < {{ upper_date_limit }}",
                // the poll loop starts after the data, so only the import reads it
                "TRIBUTARY_SOURCES_SALES_START", "2025-01-01");

        long t0 = System.nanoTime();
        List<ServerSentEvent<Map<String, Object>>> before = new CopyOnWriteArrayList<>();
        List<ServerSentEvent<Map<String, Object>>> after = new CopyOnWriteArrayList<>();
        ImportView created;
        ImportView atKill;
        long startedMs;
        long killedAtMs;
        try (AppProcess.Server first = AppProcess.start(env)) {
            startedMs = ms(t0);
            Disposable sse = events(first.baseUrl(), null, before);
            created = WebClient.create(first.baseUrl()).post().uri("/api/sources/sales/imports")
                    .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"from\":\"2024-01-01\",\"to\":\"2025-01-01\"}")
                    .retrieve().bodyToMono(ImportView.class).block(Duration.ofSeconds(30));
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
                    .until(() -> get(first.baseUrl(), created.id()).percent() >= 40);
            atKill = get(first.baseUrl(), created.id());
            first.kill9();
            killedAtMs = ms(t0);
            sse.dispose();
        }
        long chunksSaved = db.count("SELECT chunks_done FROM historical_imports WHERE id = '" + created.id() + "'");
        assertThat(db.text("SELECT status FROM historical_imports WHERE id = '" + created.id() + "'")).isEqualTo("RUNNING");
        long storedAtKill = db.count("SELECT count(*) FROM registrations");
        assertThat(storedAtKill).isBetween(1L, (long) ROWS - 1);

        String lastSeen = before.get(before.size() - 1).id();
        ImportView done;
        long restartedMs;
        long finishedMs;
        String secondOutput;
        try (AppProcess.Server second = AppProcess.start(env)) {
            restartedMs = ms(t0);
            Disposable sse = events(second.baseUrl(), lastSeen, after);
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(250))
                    .until(() -> get(second.baseUrl(), created.id()).status().equals("succeeded"));
            finishedMs = ms(t0);
            done = get(second.baseUrl(), created.id());
            await().atMost(Duration.ofSeconds(10)).until(() -> after.stream()
                    .anyMatch(e -> "import-progress".equals(e.event()) && "succeeded".equals(e.data().get("state"))));
            sse.dispose();
            secondOutput = second.output();
        }

        assertThat(db.count("SELECT count(*) FROM registrations WHERE source_id = 'sales'")).isEqualTo(ROWS);
        assertThat(done.rows().read()).isEqualTo(ROWS);
        assertThat(done.resumes()).isEqualTo(1);
        assertThat(done.lastResume().chunk()).isEqualTo(chunksSaved + 1);
        assertThat(done.percent()).isEqualTo(100.0);
        assertThat(secondOutput).contains("historical import " + created.id() + " resumes at chunk " + (chunksSaved + 1));
        // the chunk the kill interrupted, if it came while one ran (chunks here take about 150 ms and follow each other
        // within milliseconds, so a kill between two leaves none): marked failed at the restart, never left RUNNING
        assertThat(db.count("SELECT count(*) FROM import_runs WHERE kind = 'HISTORICAL' AND status = 'FAILED' "
                + "AND error LIKE 'interrupted%'")).isLessThanOrEqualTo(1);
        assertThat(db.count("SELECT count(*) FROM import_runs WHERE status = 'RUNNING'")).isZero();

        List<Map<String, Object>> progressBefore = progress(before, created.id());
        List<Map<String, Object>> progressAfter = progress(after, created.id());
        assertThat(progressBefore.get(0)).containsEntry("chunk", 0).containsEntry("state", "running");
        assertThat(after.get(0).event()).as("the restarted app's buffer does not hold the old ids").isEqualTo("reset");
        int lastChunkBefore = ((Number) progressBefore.get(progressBefore.size() - 1).get("chunk")).intValue();
        assertThat(((Number) progressAfter.get(0).get("chunk")).intValue()).isBetween(lastChunkBefore, lastChunkBefore + 1);
        assertThat(progressAfter.get(progressAfter.size() - 1)).containsEntry("state", "succeeded").containsEntry("percent", 100.0)
                .containsEntry("rows", ROWS);

        System.out.printf("500,000-row historical import with kill -9: app up %d ms; killed at %d ms (%.1f%%, chunk %d of ~%d, "
                + "%d registrations stored); restarted and healthy at %d ms; finished at %d ms (%d chunks, %d halved, %d rows read, "
                + "%d inserted, %d unchanged); %d import-progress events before the kill, %d after%n",
                startedMs, killedAtMs, atKill.percent(), atKill.chunk(), atKill.chunks(), storedAtKill, restartedMs, finishedMs,
                done.chunk(), done.halvings(), done.rows().read(), done.rows().inserted(), done.rows().unchanged(),
                progressBefore.size(), progressAfter.size());
    }

    private static List<Map<String, Object>> progress(List<ServerSentEvent<Map<String, Object>>> events, String id) {
        return events.stream().filter(e -> "import-progress".equals(e.event())).map(ServerSentEvent::data)
                .filter(d -> id.equals(d.get("importId"))).toList();
    }

    /** Subscribes and returns once the stream is open (its first comment arrived), so no event is missed. */
    private static Disposable events(String baseUrl, String lastEventId, List<ServerSentEvent<Map<String, Object>>> into) {
        java.util.concurrent.atomic.AtomicBoolean open = new java.util.concurrent.atomic.AtomicBoolean();
        Disposable d = WebClient.create(baseUrl).get().uri("/api/events?source=sales")
                .headers(h -> {
                    if (lastEventId != null) {
                        h.set("Last-Event-ID", lastEventId);
                    }
                })
                .retrieve().bodyToFlux(new ParameterizedTypeReference<ServerSentEvent<Map<String, Object>>>() { })
                .doOnNext(e -> open.set(true))
                .filter(e -> e.event() != null).onErrorResume(e -> reactor.core.publisher.Flux.empty()).subscribe(into::add);
        await().atMost(Duration.ofSeconds(30)).untilTrue(open);
        return d;
    }

    private static ImportView get(String baseUrl, String id) {
        return WebClient.create(baseUrl).get().uri("/api/imports/{id}", id).retrieve().bodyToMono(ImportView.class)
                .block(Duration.ofSeconds(30));
    }

    private static long ms(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }
}
