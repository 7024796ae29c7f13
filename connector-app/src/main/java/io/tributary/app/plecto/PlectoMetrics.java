package io.tributary.app.plecto;

import java.util.List;

import org.springframework.stereotype.Component;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;

/**
 * The Plecto sink's meters, registered only when a source pushes to Plecto; they read memory only:
 * {@code tributary_plecto_budget_waiting} (requests waiting for a slot of the request budget now),
 * {@code tributary_plecto_budget_used} (requests in the last period), {@code tributary_plecto_budget_limit},
 * {@code tributary_plecto_budget_wait_seconds_total} (time requests spent waiting, added up),
 * {@code tributary_plecto_requests_total{outcome}} and
 * {@code tributary_plecto_registrations_total{source,outcome}}.
 */
@Component
class PlectoMetrics {

    PlectoMetrics(MeterRegistry registry, PlectoPush plecto) {
        if (plecto.client().isEmpty() || plecto.plectoSink().isEmpty()) {
            return;
        }
        PlectoClient client = plecto.client().get();
        PlectoSink sink = plecto.plectoSink().get();
        RequestBudget budget = client.budget();
        Gauge.builder("tributary.plecto.budget.waiting", budget, b -> b.snapshot().waiting())
                .description("Requests to Plecto waiting for a slot of the account's request budget").register(registry);
        Gauge.builder("tributary.plecto.budget.used", budget, b -> b.snapshot().usedInPeriod())
                .description("Requests to Plecto in the budget's last period").register(registry);
        Gauge.builder("tributary.plecto.budget.limit", budget, b -> b.snapshot().limit())
                .description("Requests to Plecto allowed per period").register(registry);
        FunctionCounter.builder("tributary.plecto.budget.wait.seconds", budget, b -> b.snapshot().waited().toMillis() / 1000.0)
                .description("Time requests to Plecto waited for the request budget, added up").register(registry);
        PlectoClient.RequestCounts c = client.counts();
        requests(registry, "ok", c.ok);
        requests(registry, "throttled", c.throttled);
        requests(registry, "failed", c.failed);
        requests(registry, "timeout", c.timeouts);
        requests(registry, "refused", c.refused);
        for (String source : plecto.settings().dataSources().keySet()) {
            for (String outcome : List.of("inserted", "updated", "unchanged", "rejected", "deleted")) {
                FunctionCounter.builder("tributary.plecto.registrations", sink, s -> {
                    var counts = s.outcomes().get(source);
                    var n = counts == null ? null : counts.get(outcome);
                    return n == null ? 0 : n.get();
                }).tags(List.of(Tag.of("source", source), Tag.of("outcome", outcome)))
                        .description("Registrations of sources that push to Plecto, by outcome").register(registry);
            }
        }
    }

    private static void requests(MeterRegistry registry, String outcome, java.util.concurrent.atomic.AtomicLong n) {
        FunctionCounter.builder("tributary.plecto.requests", n, java.util.concurrent.atomic.AtomicLong::get)
                .tag("outcome", outcome).description("Requests to Plecto by outcome").register(registry);
    }
}
