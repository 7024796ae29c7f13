package io.tributary.core;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
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
import io.tributary.core.window.Window;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

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

    /** First retry delay after a transient failure; doubles up to the interval. */
    static final Duration FIRST_RETRY = Duration.ofSeconds(1);

    private final PipelineContext ctx;
    private final RunLimiter limiter;
    private final SerialRuns<RunOutcome> runs;
    private final AdaptiveInterval interval;
    private volatile Duration effectiveInterval;
    private volatile @Nullable Disposable pollLoop;
    private volatile @Nullable RunRecord lastRun;
    private volatile boolean running;
    private volatile @Nullable Instant nextRunAt;
    private volatile @Nullable String pausedBecause;
    /** Test queries waiting in the run queue, keyed by their request's identity (records compare by value). */
    private final Map<RunRequest, TestQuery> pendingTests = Collections.synchronizedMap(new IdentityHashMap<>());

    SourcePipeline(PipelineContext ctx, RunLimiter limiter) {
        this.ctx = ctx;
        this.limiter = limiter;
        this.interval = new AdaptiveInterval(ctx.definition().updateFrequency());
        this.effectiveInterval = interval.current();
        this.runs = new SerialRuns<>(request -> limiter.run(() -> dispatch(request)), ctx.scheduler());
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
        String state = running ? "running" : pausedBecause != null ? "paused"
                : last != null && !last.succeeded() ? "failing" : "idle";
        return new SourceStatus(state, last, effectiveInterval, nextRunAt);
    }

    /** Why automatic runs are paused after a permanent failure, if they are. */
    public Optional<String> pausedBecause() {
        return Optional.ofNullable(pausedBecause);
    }

    /**
     * Runs now from the checkpoint, queued behind a run in progress; moves the checkpoint on success. An operator's
     * run also lifts a pause after a permanent failure when it succeeds.
     */
    public Mono<RunRecord> runNow() {
        return Mono.defer(() -> runs.submit(RunRequest.manual(ctx.clock().instant()))).doOnNext(o -> {
            if (o.record().succeeded() && pausedBecause != null) {
                log.info("source {}: a manual run succeeded, automatic runs resume", id());
                pausedBecause = null;
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
                .map(o -> new ChunkRun(o.record(), o.stopped()));
    }

    /** Starts the poll loop: a run, then a delay computed after it, and again; never a fixed tick. */
    public synchronized void startPolling(Duration initialDelay) {
        if (pollLoop != null) {
            return;
        }
        nextRunAt = ctx.clock().instant().plus(initialDelay);
        pollLoop = Mono.delay(initialDelay, ctx.scheduler())
                .then(Mono.defer(this::cycle).repeat().then())
                .subscribe();
        log.info("source {}: polling every {}", id(), effectiveInterval);
    }

    /** One automatic run (with its retries), then the wait before the next. */
    private Mono<Void> cycle() {
        if (pausedBecause != null) {
            return waitFor(effectiveInterval);
        }
        return automaticRun()
                .map(outcome -> {
                    if (outcome.failedPermanently()) {
                        pausedBecause = outcome.record().error();
                        log.warn("source {}: automatic runs are paused until the configuration is fixed or an operator "
                                + "asks for a run (POST /api/sources/{}/run): {}", id(), id(), pausedBecause);
                    }
                    return outcome.backlog() ? Duration.ZERO : effectiveInterval;
                })
                .onErrorResume(e -> {
                    // a failure to record the run (store down for good) must not end polling
                    String error = ctx.describe(e);
                    log.error("source {}: run could not be completed: {}", id(), error);
                    unrecordedFailure(error, e);
                    return Mono.just(effectiveInterval);
                })
                .flatMap(this::waitFor);
    }

    /**
     * A run that failed where the import log could not record it (the store is down) is still a failure an operator
     * must see: the source's last run and a run-failed event, with run id 0 (no record).
     */
    private void unrecordedFailure(String error, Throwable cause) {
        Instant now = ctx.clock().instant();
        RunRecord r = new RunRecord(0, id(), RunKind.AUTOMATIC, new Window(now, now), now, Duration.ZERO, RunStatus.FAILED,
                0, 0, 0, 0, 0, 0, 0, List.of(), error, null);
        lastRun = r;
        ctx.events().publish(new ImportEvent.RunFailed(id(), now, r, Failures.isTransient(cause)));
    }

    private Mono<RunOutcome> automaticRun() {
        return Mono.defer(() -> {
                    Instant planned = nextRunAt;
                    return runs.submit(RunRequest.automatic(planned != null ? planned : ctx.clock().instant()));
                })
                .flatMap(o -> o.failedTransiently() ? Mono.error(new RetryableRun(o)) : Mono.just(o))
                .retryWhen(Retry.backoff(Long.MAX_VALUE, FIRST_RETRY)
                        .maxBackoff(effectiveInterval.compareTo(FIRST_RETRY) < 0 ? FIRST_RETRY : effectiveInterval)
                        .jitter(0.5)
                        .scheduler(ctx.scheduler())
                        .filter(RetryableRun.class::isInstance)
                        .doBeforeRetry(signal -> {
                            RetryableRun failed = (RetryableRun) signal.failure();
                            nextRunAt = null;
                            log.info("source {}: retry {} after a transient failure: {}", id(),
                                    signal.totalRetries() + 1, failed.outcome.record().error());
                        }));
    }

    private Mono<Void> waitFor(Duration delay) {
        nextRunAt = ctx.clock().instant().plus(delay);
        return Mono.delay(delay, ctx.scheduler()).then();
    }

    /** Stops polling and refuses further runs; a run in progress is cancelled. */
    public synchronized void stop() {
        Disposable loop = pollLoop;
        if (loop != null) {
            loop.dispose();
            pollLoop = null;
        }
        nextRunAt = null;
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
            if (explicit != null) {
                // every row of an explicit window counts toward its cap: there is no previous checkpoint to re-read
                return started(request, explicit, startedAt, new RowCap(request.maxRows(), Instant.MIN), null);
            }
            SourceDefinition def = ctx.definition();
            return ctx.checkpoints().load(id()).map(Optional::of).defaultIfEmpty(Optional.empty())
                    .flatMap(checkpoint -> {
                        // the lookback re-reads the end of the previous window, but never before start
                        Instant lower = checkpoint.map(c -> later(def.start(), c.minus(def.lookback()))).orElse(def.start());
                        Instant countFrom = checkpoint.orElse(def.start());
                        return ctx.client().now().timeout(def.queryTimeout(), ctx.scheduler())
                                .map(now -> now.minus(def.settle()))
                                .map(upper -> new Window(lower, upper.isBefore(lower) ? lower : upper))
                                .flatMap(window -> started(request, window, startedAt,
                                        cap(def.maxRows(effectiveInterval), countFrom), checkpoint.orElse(null)))
                                .onErrorResume(e -> failedBeforeStart(request.kind(), new Window(lower, lower), startedAt, e));
                    });
        }).doOnNext(this::afterRun).doFinally(s -> running = false);
    }

    private RowCap cap(long maxRows, Instant countFrom) {
        RowCap cap = new RowCap(maxRows, countFrom);
        return ctx.template().declaresOrder() ? cap : cap.withoutDeclaredOrder();
    }

    private Mono<RunOutcome> started(RunRequest request, Window window, Instant startedAt, RowCap cap,
            @Nullable Instant previousCheckpoint) {
        return ctx.importLog().started(id(), request.kind(), window, startedAt)
                .flatMap(runId -> new ImportRun(ctx, runId, request.kind(), window, startedAt, cap, previousCheckpoint,
                        request.plannedAt()).execute());
    }

    /** Feeds the run's timing to the adaptive interval. Runs are serialised, so this is too. */
    private void afterRun(RunOutcome outcome) {
        RunRecord r = outcome.record();
        lastRun = r;
        if (!r.succeeded() || r.kind() == RunKind.HISTORICAL || r.kind() == RunKind.TEST) {
            return;
        }
        interval.onRun(r.duration()).ifPresent(change -> {
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
                        List.of(), error, null))
                .flatMap(r -> ctx.importLog().finished(r).thenReturn(r))
                .doOnNext(r -> {
                    log.warn("source {}: run {} failed before reading, checkpoint not moved: {}", id(), r.runId(), error);
                    ctx.events().publish(new ImportEvent.RunFailed(id(), ctx.clock().instant(), r, transientFailure));
                })
                .map(r -> new RunOutcome(r, cause));
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    /** Carries a transiently failed run through Reactor's retry. */
    private static final class RetryableRun extends RuntimeException {
        private final transient RunOutcome outcome;

        RetryableRun(RunOutcome outcome) {
            super(outcome.record().error(), null, false, false);
            this.outcome = outcome;
        }
    }

    /**
     * Runs the statement over {@code window} and reports what it found without writing anything but a TEST run in
     * the import log. Queued with the source's other runs, so it never overlaps one. Streams the whole result to
     * count it, keeping only {@link TestQueryResult#SAMPLE_SIZE} registrations in memory. A failing statement is an
     * answer ({@link TestQueryResult#error()}), not an error.
     */
    public Mono<TestQueryResult> testQuery(Window window) {
        java.util.Objects.requireNonNull(window, "window must not be null");
        return Mono.defer(() -> {
            RunRequest request = new RunRequest(RunKind.TEST, window, ctx.clock().instant());
            TestQuery query = new TestQuery(ctx, window);
            pendingTests.put(request, query);
            return runs.submit(request)
                    .flatMap(run -> query.result())
                    .switchIfEmpty(Mono.error(() -> new IllegalStateException("source " + id() + " was stopped")))
                    .doFinally(s -> pendingTests.remove(request));
        });
    }

    /** Publishes an event of this source, such as a historical import's progress, to the event stream. */
    public void publish(ImportEvent event) {
        if (!event.sourceId().equals(id())) {
            throw new IllegalArgumentException("an event of source " + event.sourceId() + " published on " + id());
        }
        ctx.events().publish(event);
    }

    /** The serial queue's runner: test queries go to their own read-only path, every other run to runOnce. */
    private Mono<RunOutcome> dispatch(RunRequest request) {
        if (request.kind() != RunKind.TEST) {
            return runOnce(request);
        }
        TestQuery test = pendingTests.remove(request);
        // the caller went away while the query was queued: nothing to run, and a TEST run must never write
        return test == null ? Mono.empty() : test.execute().map(r -> new RunOutcome(r, null));
    }
}
