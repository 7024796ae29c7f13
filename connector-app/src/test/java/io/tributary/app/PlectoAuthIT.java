package io.tributary.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.web.reactive.function.client.WebClient;

import io.tributary.app.support.RunningApp;
import io.tributary.app.support.TestDatabase;
import io.tributary.app.web.RunView;
import io.tributary.app.web.SourceView;
import io.tributary.testkit.FakePlectoServer;
import reactor.core.Disposable;

/** A wrong Plecto password pauses the source with a message that says what to fix, and is shown nowhere. */
@ExtendWith(OutputCaptureExtension.class)
class PlectoAuthIT {

    private static final String USER = "tributary@example.com";
    private static final String WRONG_PASSWORD = "Wrong-Plecto-Pw-5a7c9e1f";

    @Test
    @DisplayName("a wrong password: the run fails once per try (no retry), the source pauses with a clear message, and the password appears in no log, API answer or event")
    void wrongPasswordPausesTheSource(CapturedOutput output, @TempDir Path dir) throws Exception {
        TestDatabase db = TestDatabase.fresh("plecto_auth");
        db.execute("CREATE TABLE sales (ref text, seller int, sold_at timestamptz, updated_at timestamptz NOT NULL)",
                "INSERT INTO sales SELECT 's-' || g, g % 3, now(), timestamptz '2024-06-01' FROM generate_series(1, 10) g");
        Path passwordFile = dir.resolve("plecto-password");
        Files.writeString(passwordFile, WRONG_PASSWORD + "\n");
        List<String> served = new ArrayList<>();
        try (FakePlectoServer plecto = FakePlectoServer.start(USER, "the-right-one");
                RunningApp app = RunningApp.start(Map.of(
                        "TRIBUTARY_STORE_URL", db.jdbcUrl(),
                        "TRIBUTARY_PLECTO_URL", plecto.baseUrl(),
                        "TRIBUTARY_PLECTO_USERNAME", USER,
                        "TRIBUTARY_PLECTO_PASSWORD_FILE", passwordFile.toString(),
                        "TRIBUTARY_SOURCES_SALES_URL", db.sourceUrl(),
                        "TRIBUTARY_SOURCES_SALES_STATEMENT", """
                                SELECT ref AS reference, seller AS member_id, 'S' AS member_name, sold_at AS date FROM sales
                                WHERE updated_at >= {{ last_update_time }} AND updated_at < {{ upper_date_limit }}""",
                        "TRIBUTARY_SOURCES_SALES_UPDATE_FREQUENCY", "1h",
                        "TRIBUTARY_SOURCES_SALES_PLECTO_DATA_SOURCE", "ds-1"))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> source(app).state().equals("paused"));
            SourceView paused = source(app);
            String expected = "Plecto refused the account '" + USER + "' at " + plecto.baseUrl()
                    + " (HTTP 401: {\"detail\":\"Invalid username/password.\"}): check TRIBUTARY_PLECTO_USERNAME and "
                    + "TRIBUTARY_PLECTO_PASSWORD, and that the user may use the registrations API";
            assertThat(paused.lastRun().status()).isEqualTo("failed");
            assertThat(paused.lastRun().error()).isEqualTo(expected);
            assertThat(paused.checkpoint()).as("the checkpoint did not move").isNull();
            // the store takes two batches at once on PostgreSQL, so the run posts in two lanes: one try each, no retry
            assertThat(plecto.requests()).as("a 401 is not retried").hasSizeBetween(1, 2)
                    .allSatisfy(r -> assertThat(r.status()).isEqualTo(401));
            assertThat(plecto.registrations()).isEmpty();
            assertThat(output.getAll()).contains("automatic runs are paused").contains(expected);

            List<String> events = new CopyOnWriteArrayList<>();
            Disposable subscription = WebClient.create(app.baseUrl()).get().uri("/api/events").retrieve()
                    .bodyToFlux(String.class).subscribe(events::add);
            try {
                RunView again = app.client().post().uri("/api/sources/sales/run").exchange().expectStatus().isOk()
                        .expectBody(RunView.class).returnResult().getResponseBody();
                assertThat(again.error()).isEqualTo(expected);
                await().atMost(Duration.ofSeconds(10)).until(() -> String.join("", events).contains("HTTP 401"));
            } finally {
                subscription.dispose();
            }
            served.add(String.join("\n", events));
            for (String path : List.of("/api/sources", "/api/sources/sales", "/api/sources/sales/runs", "/api/plecto",
                    "/actuator/prometheus", "/actuator/health")) {
                served.add(app.client().get().uri(path).exchange().expectStatus().isOk().expectBody(String.class)
                        .returnResult().getResponseBody());
            }
        }
        assertThat(String.join("\n", served)).contains("Invalid username/password.");
        assertThat(served).noneMatch(body -> body.contains(WRONG_PASSWORD));
        assertThat(output.getAll()).doesNotContain(WRONG_PASSWORD);
    }

    private static SourceView source(RunningApp app) {
        return app.client().get().uri("/api/sources/sales").exchange().expectStatus().isOk()
                .expectBody(SourceView.class).returnResult().getResponseBody();
    }
}
