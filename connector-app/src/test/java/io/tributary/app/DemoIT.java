package io.tributary.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.ParameterizedTypeReference;

import io.tributary.app.support.RunningApp;
import io.tributary.app.web.SourceView;

/** With no configuration at all, the demo source imports into the embedded H2 store, and keeps importing. */
class DemoIT {

    @Test
    void theDemoImportsAndKeepsImporting(@TempDir Path data) {
        try (RunningApp app = RunningApp.start(Map.of("TRIBUTARY_DATA_DIR", data.toString()))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> demo(app).lastRun() != null
                    && demo(app).lastRun().status().equals("succeeded"));
            SourceView first = demo(app);
            assertThat(first.registrations()).isGreaterThanOrEqualTo(140);
            assertThat(first.updateFrequencySeconds()).isEqualTo(10);
            // the generator adds rows every 3 s and the source is polled every 10 s: the count must grow
            await().atMost(Duration.ofSeconds(30)).until(() -> demo(app).registrations() > first.registrations());
            app.client().get().uri("/actuator/health").exchange().expectStatus().isOk();
            String metrics = app.client().get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
                    .expectBody(String.class).returnResult().getResponseBody();
            assertThat(metrics).contains("tributary_run_duration_seconds_count{").contains("tributary_rows_total{");
        }
        assertThat(data.resolve("tributary-store.mv.db")).exists();
    }

    private static SourceView demo(RunningApp app) {
        List<SourceView> sources = app.client().get().uri("/api/sources").exchange().expectStatus().isOk()
                .expectBody(new ParameterizedTypeReference<List<SourceView>>() { }).returnResult().getResponseBody();
        assertThat(sources).extracting(SourceView::id).containsExactly("demo");
        return sources.get(0);
    }
}
