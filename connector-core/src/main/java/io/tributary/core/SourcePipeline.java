package io.tributary.core;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tributary.core.event.ImportEvent;
import io.tributary.core.schedule.AdaptiveInterval;
import io.tributary.core.schedule.RunLimiter;
import io.tributary.core.schedule.RunRequest;
import io.tributary.core.schedule.SerialRuns;
import io.tributary.core.sink.RunKind;
import io.tributary.core.sink.RunRecord;
import io.tributary.core.sink.RunStatus;
import io.tributary.core.window.RowCap;
import io.tributary.core.template.StatementTemplate;
import io.tributary.core.template.Variable;
import io.tributary.core.window.Window;
import io.tributary.core.window.WindowPlanner;
import reactor.core.publisher.Mono;

/**
 * The pipeline of one source: its poll loop and its serialised runs. Every kind of run (automatic, manual,
 * historical) goes through the same queue, so runs of one source never overlap.
 * <p>
 * The poll loop runs, then waits the effective interval ({@link AdaptiveInterval}), counted from the end of the
 * run. A transient failure is retried with exponential backoff and jitter, capped at the interval; a permanent one
 * (bad password, unknown table) pauses automatic runs until an operator asks for a run. A run that stopped at the
 * row cap is followed by the next at once.
 */
public final class SourcePipeline {

    private static final Logger log = LoggerFactory.getLogger(SourcePipeline.class);

    private final PipelineContext ctx;
    private final RunLimiter limiter;
    private final SerialRuns<RunOutcome> runs;
    private final AdaptiveInterval interval;
    private volatile Duration effectiveInterval;
    private final PollLoop pollLoop;
    private volatile @Nullable RunRecord lastRun;
    private volatile boolean running;
    private final WindowPlanner planner;
    /** While catching up: from the checkpoint to the source's clock as the last run saw it. */
    private volatile @Nullable Window remaining;
    private volatile boolean stalled;

    SourcePipeline(PipelineContext ctx, RunLimiter limiter) {
        this.ctx = ctx;
        this.limiter = limiter;
        this.interval = new AdaptiveInterval(ctx.definition().updateFrequency());
        this.effectiveInterval = interval.current();
        SourceDefinition def = ctx.definition();
        this.planner = new WindowPlanner(def.start(), def.lookback(), def.settle(),
                ctx.template().uses(Variable.UPPER_DATE_LIMIT));
        this.runs = new SerialRuns<>(request -> limiter.run(() -> runOnce(request)), ctx.scheduler());
        this.pollLoop = new PollLoop(ctx, planned -> runs.submit(RunRequest.automatic(planned)), () -> effectiveInterval,
                this::unrecordedFailure);
    }

    public String id() {
        return ctx.definition().id();
    }

    /** The definition; its password prints as {@code ******}. */
    public SourceDefinition definition() {
        return ctx.definition();
    }

    public SourceStatus status() {
        RunRecord last = lastRun;
        Window behind = remaining;
        String state = running ? "running" : pollLoop.pausedBecause() != null ? "paused"
                : last != null && !last.succeeded() ? "failing" : stalled ? "stalled" : behind != null ? "catching-up" : "idle";
        return new SourceStatus(state, last, effectiveInterval, pollLoop.nextRunAt(), behind);
    }

    /** Why automatic runs are paused after a permanent failure, if they are. */
    public Optional<String> pausedBecause() {
        return Optional.ofNullable(pollLoop.pausedBecause());
    }

    /**
     * Runs now from the checkpoint, queued behind a run in progress; moves the checkpoint on success. An operator's
     * run also lifts a pause after a permanent failure when it succeeds.
     */
    public Mono<RunRecord> runNow() {
        return Mono.defer(() -> runs.submit(RunRequest.manual(ctx.clock().instant()))).doOnNext(o -> {
            if (o.record().succeeded()) {
                pollLoop.resume();
            }
        }).map(RunOutcome::record);
    }

    /** Imports one window whole, however many rows it holds, without moving the checkpoint. */
    public Mono<RunRecord> importWindow(Window window) {
        return Mono.defer(() -> runs.submit(RunRequest.historical(window, ctx.clock().instant()))).map(RunOutcome::record);
    }

    /**
     * Imports one chunk of a historical import without moving the checkpoint, reading at most about
     * {@code maxRows} rows: past the cap (and the rows that share the date of the row at the cap) the source's
     * stream is cancelled and the result says so. {@link RunRequest#NO_CAP} reads the whole window.
     */
    public Mono<ChunkRun> importChunk(Window window, long maxRows) {
        return Mono.defer(() -> runs.submit(RunRequest.historical(window, ctx.clock().instant(), maxRows)))
                .map(o -> new ChunkRun(o.record(), o.stopped(), o.split()));
    }

    /** The source's statement as parsed. */
    public StatementTemplate template() {
        return ctx.template();
    }

    /**
     * Whether a smaller window returns fewer rows: the statement binds {@code {{ upper_date_limit }}}. Historical
     * imports of a statement that does not read their range in one chunk.
     */
    public boolean narrowsByUpperBound() {
        return ctx.template().uses(Variable.UPPER_DATE_LIMIT);
    }

    /** Starts the poll loop: a run, then a delay computed after it, and again; never a fixed tick. */
    public void startPolling(Duration initialDelay) {
        pollLoop.start(initialDelay);
    }

    /**
     * A run that failed where the import log could not record it (the store is down) is still a failure an operator
     * must see: the source's last run and a run-failed event, with run id 0 (no record).
     */
    private void unrecordedFailure(Throwable cause) {
        Instant now = ctx.clock().instant();
        RunRecord r = new RunRecord(0, id(), RunKind.AUTOMATIC, new Window(now, now), now, Duration.ZERO, RunStatus.FAILED,
                0, 0, 0, 0, 0, 0, 0, List.of(), ctx.describe(cause), null, false, null, effectiveInterval);
        lastRun = r;
        ctx.events().publish(new ImportEvent.RunFailed(id(), now, r, Failures.isTransient(cause)));
    }

    /** Stops polling and refuses further runs; a run in progress is cancelled. */
    public void stop() {
        pollLoop.stop();
        runs.dispose();
    }

    void closeClient() {
        ctx.client().close().onErrorResume(e -> Mono.empty()).block(Duration.ofSeconds(10));
    }

    private Mono<RunOutcome> runOnce(RunRequest request) {
        return Mono.defer(() -> {
            running = true;
            Instant startedAt = ctx.clock().instant();
            Window explicit = request.window();
            if (request.kind() == RunKind.TEST) {
                return dryRun(request, requireNonNull(explicit), startedAt);
            }
            if (explicit != null) {
                // every row of an explicit window counts toward its cap: there is no previous checkpoint to re-read
                RowCap cap = new RowCap(request.maxRows(), explicit, explicit.lower(), declaresOrder());
                return started(request, startedAt, cap, null, effectiveInterval);
            }
            SourceDefinition def = ctx.definition();
            Duration inForce = effectiveInterval;
            return ctx.checkpoints().load(id()).map(Optional::of).defaultIfEmpty(Optional.empty())
                    .flatMap(checkpoint -> ctx.client().now().timeout(def.queryTimeout(), ctx.scheduler())
                            .map(now -> planner.plan(checkpoint.orElse(null), now, def.maxRows(inForce)))
                            .flatMap(plan -> started(request, startedAt, plan.cap(declaresOrder()),
                                    new ImportRun.Planned(planner, plan, checkpoint.orElse(null)), inForce)
                                    .doOnNext(outcome -> afterPlannedRun(plan, outcome)))
                            .onErrorResume(e -> {
                                Instant at = checkpoint.orElse(def.start());
                                return failedBeforeStart(request.kind(), new Window(at, at), startedAt, e);
                            }));
        }).doOnNext(this::afterRun).doFinally(s -> running = false);
    }

    /** Whether the statement declares that its rows come in ascending date order. */
    private boolean declaresOrder() {
        return ctx.template().declaresOrder();
    }

    private Mono<RunOutcome> started(RunRequest request, Instant startedAt, RowCap cap,
            ImportRun.@Nullable Planned planned, Duration inForce) {
        return ctx.importLog().started(id(), request.kind(), cap.window(), startedAt)
                .flatMap(runId -> new ImportRun(ctx, runId, request.kind(), startedAt, cap, planned, request.plannedAt(),
                        inForce, ctx.sink()).execute());
    }

    /**
     * A test query: the same run as any other over its window, uncapped, into a sink that writes nothing and keeps a
     * sample; only its TEST record reaches the import log.
     */
    private Mono<RunOutcome> dryRun(RunRequest request, Window window, Instant startedAt) {
        DryRunSink sink = new DryRunSink();
        return ctx.importLog().started(id(), RunKind.TEST, window, startedAt).flatMap(runId -> {
            ImportRun run = new ImportRun(ctx, runId, RunKind.TEST, startedAt, RowCap.none(window), null,
                    request.plannedAt(), effectiveInterval, sink);
            return run.execute().map(outcome -> {
                RunRecord r = outcome.record();
                return outcome.withPreview(new TestQueryResult(r.runId(), id(), window, r.duration(), r.read(),
                        r.read() - r.rejected(), r.rejected(), r.duplicates(), run.columns(), sink.sample(),
                        r.rejections(), r.error()));
            });
        });
    }

    /** Catching up or caught up, and whether the source is stalled, after a run from the checkpoint. */
    private void afterPlannedRun(WindowPlanner.Plan plan, RunOutcome outcome) {
        RunRecord r = outcome.record();
        if (!r.succeeded()) {
            return;
        }
        Instant checkpoint = r.checkpoint();
        remaining = outcome.backlog() ? new Window(checkpoint != null && checkpoint.isBefore(plan.head()) ? checkpoint
                : plan.head(), plan.head()) : null;
        if (planner.stalled() && !stalled) {
            stalled = true;
            String reason = "the checkpoint has not moved for " + planner.runsWithoutProgress() + " runs in a row; last "
                    + "run's note: " + r.note();
            log.error("source {}: not making progress: {}", id(), reason);
            ctx.events().publish(new ImportEvent.Stalled(id(), ctx.clock().instant(), planner.runsWithoutProgress(),
                    checkpoint, reason));
        } else if (stalled && !planner.stalled()) {
            stalled = false;
            log.info("source {}: the checkpoint moves again", id());
        }
    }

    /** Feeds the run's timing to the adaptive interval. Runs are serialised, so this is too. */
    private void afterRun(RunOutcome outcome) {
        RunRecord r = outcome.record();
        if (r.kind() == RunKind.TEST) {
            // a test query says nothing about the source's state or speed
            return;
        }
        lastRun = r;
        if (!r.succeeded() || r.kind() == RunKind.HISTORICAL) {
            return;
        }
        // the source's time, not the run's: waits on Tributary's own store must not slow the source down
        interval.onRun(outcome.sourceTime()).ifPresent(change -> {
            effectiveInterval = change.to();
            if (change.warning()) {
                log.warn("source {}: {}", id(), change.reason());
            } else {
                log.info("source {}: {}", id(), change.reason());
            }
            if (!change.from().equals(change.to())) {
                ctx.events().publish(new ImportEvent.IntervalChanged(id(), ctx.clock().instant(), change.from(),
                        change.to(), change.reason()));
            }
        });
    }

    /** The source could not even be asked for its clock: record the run as failed all the same. */
    private Mono<RunOutcome> failedBeforeStart(RunKind kind, Window window, Instant startedAt, Throwable cause) {
        String error = ctx.describe(cause);
        boolean transientFailure = Failures.isTransient(cause);
        return ctx.importLog().started(id(), kind, window, startedAt)
                .map(runId -> new RunRecord(runId, id(), kind, window, startedAt,
                        Duration.between(startedAt, ctx.clock().instant()), RunStatus.FAILED, 0, 0, 0, 0, 0, 0, 0,
                        List.of(), error, null, false, null, effectiveInterval))
                .flatMap(r -> ctx.importLog().finished(r).thenReturn(r))
                .doOnNext(r -> {
                    log.warn("source {}: run {} failed before reading, checkpoint not moved: {}", id(), r.runId(), error);
                    ctx.events().publish(new ImportEvent.RunFailed(id(), ctx.clock().instant(), r, transientFailure));
                })
                .map(r -> new RunOutcome(r, cause));
    }

    /**
     * Runs the statement over {@code window} and reports what it found without writing anything but a TEST run in
     * the import log. Queued with the source's other runs, so it never overlaps one. Streams the whole result to
     * count it, keeping only {@link TestQueryResult#SAMPLE_SIZE} registrations in memory. A failing statement is an
     * answer ({@link TestQueryResult#error()}), not an error.
     */
    public Mono<TestQueryResult> testQuery(Window window) {
        java.util.Objects.requireNonNull(window, "window must not be null");
        return Mono.defer(() -> runs.submit(new RunRequest(RunKind.TEST, window, ctx.clock().instant())))
                .map(outcome -> java.util.Objects.requireNonNull(outcome.preview(), "a test run has a preview"))
                .switchIfEmpty(Mono.error(() -> new IllegalStateException("source " + id() + " was stopped")));
    }

    /** Publishes an event of this source, such as a historical import's progress, to the event stream. */
    public void publish(ImportEvent event) {
        if (!event.sourceId().equals(id())) {
            throw new IllegalArgumentException("an event of source " + event.sourceId() + " published on " + id());
        }
        ctx.events().publish(event);
    }

}
