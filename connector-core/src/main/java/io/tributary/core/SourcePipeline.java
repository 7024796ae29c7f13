package io.tributary.core;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tributary.core.event.ImportEvent;
import io.tributary.core.schedule.RunRequest;
import io.tributary.core.schedule.SerialRuns;
import io.tributary.core.sink.RunKind;
import io.tributary.core.sink.RunRecord;
import io.tributary.core.sink.RunStatus;
import io.tributary.core.window.Window;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

/**
 * The pipeline of one source: its poll loop and its serialised runs. Every kind of run (automatic, manual,
 * historical) goes through the same queue, so runs of one source never overlap.
 */
public final class SourcePipeline {

    private static final Logger log = LoggerFactory.getLogger(SourcePipeline.class);

    private final PipelineContext ctx;
    private final SerialRuns runs;
    private volatile @Nullable Disposable pollLoop;
    private volatile @Nullable RunRecord lastRun;
    private volatile boolean running;
    private volatile @Nullable Instant nextRunAt;
    /** Test queries waiting in the run queue, keyed by their request's identity (records compare by value). */
    private final Map<RunRequest, TestQuery> pendingTests = Collections.synchronizedMap(new IdentityHashMap<>());

    SourcePipeline(PipelineContext ctx) {
        this.ctx = ctx;
        this.runs = new SerialRuns(this::dispatch);
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
        String state = running ? "running" : last != null && !last.succeeded() ? "failing" : "idle";
        return new SourceStatus(state, last, effectiveInterval(), nextRunAt);
    }

    /** Runs now from the checkpoint, queued behind a run in progress; moves the checkpoint on success. */
    public Mono<RunRecord> runNow() {
        return runs.submit(RunRequest.manual());
    }

    /** Imports one window without moving the checkpoint (historical import, CLI). */
    public Mono<RunRecord> importWindow(Window window) {
        return runs.submit(RunRequest.historical(window));
    }

    /** Starts the poll loop: a run, then a delay computed after it, and again; never a fixed tick. */
    public synchronized void startPolling(Duration initialDelay) {
        if (pollLoop != null) {
            return;
        }
        nextRunAt = ctx.clock().instant().plus(initialDelay);
        pollLoop = Mono.delay(initialDelay, ctx.scheduler())
                .then(Mono.defer(() -> runs.submit(RunRequest.automatic())))
                .onErrorResume(e -> {
                    // a failure to record the run (store down) must not end polling
                    log.error("source {}: run could not be completed: {}", id(), ctx.describe(e));
                    return Mono.empty();
                })
                .then(Mono.defer(() -> {
                    Duration delay = effectiveInterval();
                    nextRunAt = ctx.clock().instant().plus(delay);
                    return Mono.delay(delay, ctx.scheduler());
                }))
                .repeat()
                .subscribe();
        log.info("source {}: polling every {}", id(), effectiveInterval());
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

    private Duration effectiveInterval() {
        return ctx.definition().updateFrequency();
    }

    private Mono<RunRecord> runOnce(RunRequest request) {
        return Mono.defer(() -> {
            running = true;
            Instant startedAt = ctx.clock().instant();
            Window explicit = request.window();
            Mono<Instant> lower = explicit != null ? Mono.just(explicit.lower())
                    : ctx.checkpoints().load(id()).defaultIfEmpty(ctx.definition().start());
            return lower.flatMap(lo -> upperBound(explicit, lo)
                    .flatMap(window -> ctx.importLog().started(id(), request.kind(), window, startedAt)
                            .flatMap(runId -> new ImportRun(ctx, runId, request.kind(), window, startedAt).execute()))
                    .onErrorResume(e -> failedBeforeStart(request.kind(),
                            explicit != null ? explicit : new Window(lo, lo), startedAt, e)));
        }).doOnNext(r -> lastRun = r).doFinally(s -> running = false);
    }

    /** Up to the source database's clock, or the explicit window's upper bound. */
    private Mono<Window> upperBound(@Nullable Window explicit, Instant lower) {
        if (explicit != null) {
            return Mono.just(explicit);
        }
        return ctx.client().now().map(upper -> new Window(lower, upper.isBefore(lower) ? lower : upper));
    }

    /** The source could not even be asked for its clock: record the run as failed all the same. */
    private Mono<RunRecord> failedBeforeStart(RunKind kind, Window window, Instant startedAt, Throwable cause) {
        String error = ctx.describe(cause);
        return ctx.importLog().started(id(), kind, window, startedAt)
                .map(runId -> new RunRecord(runId, id(), kind, window, startedAt,
                        Duration.between(startedAt, ctx.clock().instant()), RunStatus.FAILED, 0, 0, 0, 0, 0, 0, 0,
                        List.of(), error))
                .flatMap(r -> ctx.importLog().finished(r).thenReturn(r))
                .doOnNext(r -> {
                    log.warn("source {}: run {} failed before reading, checkpoint not moved: {}", id(), r.runId(), error);
                    ctx.events().publish(new ImportEvent.RunFailed(id(), ctx.clock().instant(), r, false));
                });
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
            RunRequest request = new RunRequest(RunKind.TEST, window);
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
    private Mono<RunRecord> dispatch(RunRequest request) {
        if (request.kind() != RunKind.TEST) {
            return runOnce(request);
        }
        TestQuery test = pendingTests.remove(request);
        // the caller went away while the query was queued: nothing to run, and a TEST run must never write
        return test == null ? Mono.empty() : test.execute();
    }
}
