package io.tributary.app.plecto;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/** {@code GET /api/plecto}: the account (never its password), its request budget and what each source pushed. */
@RestController
class PlectoController {

    private final PlectoPush plecto;
    private final Scheduler storeScheduler;

    PlectoController(PlectoPush plecto, Scheduler storeScheduler) {
        this.plecto = plecto;
        this.storeScheduler = storeScheduler;
    }

    /**
     * @param budget   the shared request budget: limit per period, used in the last period, requests waiting and
     *                 until when, waits since start, a 429's hold
     * @param requests requests since start by outcome: ok, throttled (429), failed (5xx, no connection), timeouts,
     *                 refused (401, 403, other 4xx)
     * @param sources  per source: its data source, registrations Plecto holds as far as Tributary knows, and
     *                 registrations by outcome since start
     */
    record PlectoView(String url, String username, BudgetView budget, Map<String, Long> requests, List<SourcePush> sources) {
    }

    record BudgetView(int limit, long periodSeconds, int usedInPeriod, int waiting, @Nullable Instant waitingUntil,
            long waits, double waitedSeconds, @Nullable Instant heldAfter429Until) {
    }

    record SourcePush(String id, String dataSource, long registrations, Map<String, Long> outcomes) {
    }

    @GetMapping("/api/plecto")
    Mono<PlectoView> status() {
        PlectoClient client = plecto.client().orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND,
                "no source pushes to Plecto: set TRIBUTARY_SOURCES_<ID>_PLECTO_DATA_SOURCE (see docs/sinks/plecto.md)"));
        PlectoSink sink = plecto.plectoSink().orElseThrow();
        return Mono.fromCallable(() -> {
            Map<String, Long> counts = plecto.pushedCounts();
            RequestBudget.Snapshot b = client.budget().snapshot();
            PlectoClient.RequestCounts c = client.counts();
            Map<String, Long> requests = new LinkedHashMap<>();
            requests.put("ok", c.ok.get());
            requests.put("throttled", c.throttled.get());
            requests.put("failed", c.failed.get());
            requests.put("timeouts", c.timeouts.get());
            requests.put("refused", c.refused.get());
            List<SourcePush> sources = plecto.settings().dataSources().entrySet().stream().map(e -> {
                Map<String, Long> outcomes = new LinkedHashMap<>();
                sink.outcomes().getOrDefault(e.getKey(), Map.of()).forEach((k, v) -> outcomes.put(k, v.get()));
                return new SourcePush(e.getKey(), e.getValue(), counts.getOrDefault(e.getKey(), 0L), outcomes);
            }).toList();
            return new PlectoView(plecto.settings().baseUrl().toString(), plecto.settings().username(),
                    new BudgetView(b.limit(), b.period().toSeconds(), b.usedInPeriod(), b.waiting(), b.waitingUntil(),
                            b.waits(), b.waited().toMillis() / 1000.0, b.heldAfter429Until()),
                    requests, sources);
        }).subscribeOn(storeScheduler);
    }
}
