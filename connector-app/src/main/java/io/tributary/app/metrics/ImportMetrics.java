package io.tributary.app.metrics;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.tributary.core.SourcePipeline;
import io.tributary.core.Tributary;
import io.tributary.core.event.ImportEvent;
import io.tributary.core.sink.RunRecord;
import reactor.core.Disposable;

/**
 * Turns import events into Micrometer meters (the core knows nothing of Micrometer):
 * {@code tributary_run_duration_seconds{source,kind,outcome}}, {@code tributary_rows_total{source,outcome}},
 * {@code tributary_runs_active}, {@code tributary_effective_interval_seconds{source}} and
 * {@code tributary_run_start_delay_seconds{kind}} (a histogram of how late runs start against their plan).
 */
@Component
class ImportMetrics implements DisposableBean {

    private final MeterRegistry registry;
    private final AtomicInteger active = new AtomicInteger();
    private final Disposable subscription;

    ImportMetrics(MeterRegistry registry, Tributary tributary) {
        this.registry = registry;
        registry.gauge("tributary.runs.active", active);
        for (SourcePipeline p : tributary.pipelines()) {
            registry.gauge("tributary.effective.interval.seconds",
                    java.util.List.of(io.micrometer.core.instrument.Tag.of("source", p.id())), p,
                    pipeline -> pipeline.status().effectiveInterval().toSeconds());
        }
        this.subscription = tributary.events().subscribe(this::record);
    }

    private void record(ImportEvent event) {
        if (event instanceof ImportEvent.RunStarted e) {
            active.incrementAndGet();
            // how late runs start against their plan: the cost of the concurrency limit and of a busy instance
            Duration late = Duration.between(e.plannedAt(), e.at());
            Timer.builder("tributary.run.start.delay").description("How late runs start against their planned time")
                    .tag("kind", e.kind().name().toLowerCase(Locale.ROOT))
                    .publishPercentileHistogram().register(registry)
                    .record(late.isNegative() ? Duration.ZERO : late);
        } else if (event instanceof ImportEvent.RunFinished e) {
            finished(e.record(), "success");
        } else if (event instanceof ImportEvent.RunFailed e) {
            finished(e.record(), "failure");
        }
    }

    private void finished(RunRecord r, String outcome) {
        active.updateAndGet(n -> Math.max(0, n - 1));
        Timer.builder("tributary.run.duration").description("Duration of import runs")
                .tag("source", r.sourceId()).tag("kind", r.kind().name().toLowerCase(Locale.ROOT)).tag("outcome", outcome)
                .register(registry).record(r.duration());
        rows(r.sourceId(), "read", r.read());
        rows(r.sourceId(), "inserted", r.inserted());
        rows(r.sourceId(), "updated", r.updated());
        rows(r.sourceId(), "unchanged", r.unchanged());
        rows(r.sourceId(), "rejected", r.rejected());
        rows(r.sourceId(), "duplicate", r.duplicates());
    }

    private void rows(String source, String outcome, long n) {
        if (n > 0) {
            Counter.builder("tributary.rows").description("Rows by outcome").tag("source", source).tag("outcome", outcome)
                    .register(registry).increment(n);
        }
    }

    @Override
    public void destroy() {
        subscription.dispose();
    }
}
