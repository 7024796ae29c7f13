package io.tributary.app.metrics;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.tributary.app.store.JdbcCheckpoints;
import io.tributary.core.SourcePipeline;
import io.tributary.core.Tributary;
import io.tributary.core.event.ImportEvent;
import io.tributary.core.sink.RunKind;
import io.tributary.core.sink.RunRecord;
import reactor.core.Disposable;

/**
 * Turns import events into Micrometer meters (the core knows nothing of Micrometer):
 * {@code tributary_run_duration_seconds{source,kind,outcome}}, {@code tributary_rows_total{source,outcome}},
 * {@code tributary_runs_active}, {@code tributary_effective_interval_seconds{source}} and
 * {@code tributary_checkpoint_lag_seconds{source}} (now minus the checkpoint: how far behind the store is) and
 * {@code tributary_run_start_delay_seconds{kind}} (a histogram of how late runs start against their plan). Gauges
 * read memory only, never the store, so a scrape cannot block. Test queries count in the run timer only.
 */
@Component
class ImportMetrics implements DisposableBean {

    private final MeterRegistry registry;
    private final Clock clock;
    private final AtomicInteger active = new AtomicInteger();
    private final Map<String, Instant> checkpoints = new ConcurrentHashMap<>();
    private final Disposable subscription;
    private final Map<RunKind, Timer> startDelay = new ConcurrentHashMap<>();
    private final Map<RunTimerKey, Timer> durations = new ConcurrentHashMap<>();

    /** The tags of one run-duration timer. */
    private record RunTimerKey(String source, RunKind kind, String outcome) {
    }

    ImportMetrics(MeterRegistry registry, Tributary tributary, JdbcCheckpoints store, Clock clock) {
        this.registry = registry;
        this.clock = clock;
        Gauge.builder("tributary.runs.active", active, AtomicInteger::get).description("Runs in progress").register(registry);
        for (SourcePipeline p : tributary.pipelines()) {
            List<Tag> source = List.of(Tag.of("source", p.id()));
            Gauge.builder("tributary.effective.interval.seconds", p, pipeline -> pipeline.status().effectiveInterval().toSeconds())
                    .description("The poll interval in force").tags(source).register(registry);
            Instant checkpoint = store.current(p.id());
            if (checkpoint != null) {
                checkpoints.put(p.id(), checkpoint);
            }
            Gauge.builder("tributary.checkpoint.lag.seconds", p.id(), this::lagSeconds)
                    .description("Now minus the source's checkpoint; NaN before its first successful run").tags(source)
                    .register(registry);
        }
        this.subscription = tributary.events().subscribe(this::record);
    }

    private double lagSeconds(String source) {
        Instant checkpoint = checkpoints.get(source);
        return checkpoint == null ? Double.NaN : Duration.between(checkpoint, clock.instant()).toMillis() / 1000.0;
    }

    private void record(ImportEvent event) {
        if (event instanceof ImportEvent.RunStarted e) {
            active.incrementAndGet();
            // how late runs start against their plan: the cost of the concurrency limit and of a busy instance
            Duration late = Duration.between(e.plannedAt(), e.at());
            startDelay.computeIfAbsent(e.kind(), kind -> Timer.builder("tributary.run.start.delay")
                    .description("How late runs start against their planned time")
                    .tag("kind", kind.name().toLowerCase(Locale.ROOT))
                    .publishPercentileHistogram().register(registry))
                    .record(late.isNegative() ? Duration.ZERO : late);
        } else if (event instanceof ImportEvent.RunFinished e) {
            finished(e.record(), "success");
            // the checkpoint the run left, which for a run stopped at the cap is not its window's upper bound
            Instant after = e.record().checkpoint();
            if (after != null) {
                checkpoints.put(e.sourceId(), after);
            }
        } else if (event instanceof ImportEvent.RunFailed e) {
            finished(e.record(), "failure");
        }
    }

    private void finished(RunRecord r, String outcome) {
        active.updateAndGet(n -> Math.max(0, n - 1));
        // looked up, not registered again: a registration builds and sorts the meter's tags, every run of every source
        durations.computeIfAbsent(new RunTimerKey(r.sourceId(), r.kind(), outcome), key -> Timer.builder("tributary.run.duration")
                .description("Duration of import runs").tag("source", key.source())
                .tag("kind", key.kind().name().toLowerCase(Locale.ROOT)).tag("outcome", key.outcome())
                .register(registry)).record(r.duration());
        if (r.kind() == RunKind.TEST) {
            // a test query imports nothing: its rows are not rows imported
            return;
        }
        rows(r.sourceId(), "read", r.read());
        rows(r.sourceId(), "inserted", r.inserted());
        rows(r.sourceId(), "updated", r.updated());
        rows(r.sourceId(), "unchanged", r.unchanged());
        rows(r.sourceId(), "deleted", r.deleted());
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
