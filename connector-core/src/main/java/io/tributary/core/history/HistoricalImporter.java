package io.tributary.core.history;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tributary.core.ChunkRun;
import io.tributary.core.SourcePipeline;
import io.tributary.core.event.ImportEvent;
import io.tributary.core.schedule.RunRequest;
import io.tributary.core.sink.RunRecord;
import io.tributary.core.window.Window;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * Runs historical imports: the range is split into chunks that run in order through the source's serialised
 * pipeline ({@link SourcePipeline#importChunk}), so they queue with the poll loop's runs and never overlap them.
 * Progress is saved after every chunk and published as {@link ImportEvent.ImportProgress}. A chunk stops reading at
 * the row cap ({@link SourcePipeline#importChunk}) and is then halved and run again: it costs about the cap in rows,
 * not its whole window, and the rows it wrote are found unchanged by the smaller chunks (the upsert is idempotent).
 * A chunk of the smallest size is read whole. A failed chunk is retried {@value #RETRIES} times with a growing delay
 * before the import fails. Cancelling takes effect between chunks.
 */
public final class HistoricalImporter {

    private static final Logger log = LoggerFactory.getLogger(HistoricalImporter.class);

    static final int RETRIES = 3;
    private static final List<Duration> BACKOFF = List.of(Duration.ofSeconds(2), Duration.ofSeconds(10), Duration.ofSeconds(60));

    private final HistoricalImportStore store;
    private final Clock clock;
    private final Scheduler scheduler;
    private final Map<String, AtomicBoolean> active = new ConcurrentHashMap<>();
    private volatile boolean closed;

    public HistoricalImporter(HistoricalImportStore store, Clock clock, Scheduler scheduler) {
        this.store = requireNonNull(store, "store must not be null");
        this.clock = requireNonNull(clock, "clock must not be null");
        this.scheduler = requireNonNull(scheduler, "scheduler must not be null");
    }

    /** Records a new import of {@code range} (nothing runs yet; see {@link #run}). */
    public Mono<HistoricalImport> create(SourcePipeline pipeline, Window range, ChunkPolicy policy) {
        requireNonNull(range, "range must not be null");
        return Mono.defer(() -> {
            HistoricalImport created = HistoricalImport.create(UUID.randomUUID().toString(), pipeline.id(), range,
                    policy, clock.instant());
            log.info("source {}: historical import {} of {} created, cap {} rows per chunk, first chunk {}",
                    pipeline.id(), created.id(), range, policy.rowCap(), created.chunkSize());
            return saveAndPublish(pipeline, created);
        });
    }

    /**
     * Runs the import's remaining chunks; completes with its last state. It stays {@link ImportStatus#RUNNING} when
     * the pipeline was stopped (Tributary is shutting down): the next start resumes it.
     */
    public Mono<HistoricalImport> run(SourcePipeline pipeline, HistoricalImport start) {
        requireNonNull(pipeline, "pipeline must not be null");
        requireNonNull(start, "start must not be null");
        if (!pipeline.id().equals(start.sourceId())) {
            throw new IllegalArgumentException("import " + start.id() + " belongs to source " + start.sourceId()
                    + ", not " + pipeline.id());
        }
        return Mono.defer(() -> {
            AtomicBoolean cancelled = new AtomicBoolean();
            if (active.putIfAbsent(start.id(), cancelled) != null) {
                return Mono.error(new IllegalStateException("historical import " + start.id() + " is already running"));
            }
            ChunkPolicy policy = ChunkPolicy.withCap(start.rowCap());
            return Mono.just(start)
                    .expand(state -> step(pipeline, policy, state, cancelled))
                    .last()
                    .doFinally(s -> active.remove(start.id(), cancelled));
        });
    }

    /** Continues an import that was running when Tributary stopped, at its first unfinished chunk. */
    public Mono<HistoricalImport> resume(SourcePipeline pipeline, HistoricalImport interrupted) {
        return Mono.defer(() -> {
            HistoricalImport resumed = interrupted.resumed(clock.instant());
            log.info("source {}: historical import {} resumes at chunk {} of about {} ({} of {} done, from {})",
                    pipeline.id(), resumed.id(), resumed.chunksDone() + 1, resumed.estimatedChunks(),
                    resumed.percent() + "%", resumed.range(), resumed.cursor());
            return saveAndPublish(pipeline, resumed).flatMap(s -> run(pipeline, s));
        });
    }

    /**
     * Asks a running import to stop before its next chunk.
     *
     * @return {@code false} when no import with this id runs in this process
     */
    public boolean cancel(String id) {
        AtomicBoolean flag = active.get(id);
        if (flag == null) {
            return false;
        }
        flag.set(true);
        return true;
    }

    public boolean isRunning(String id) {
        return active.containsKey(id);
    }

    /** Stops starting chunks: imports in progress stay RUNNING in the store, to be resumed at the next start. */
    public void close() {
        closed = true;
    }

    /** One step: the next chunk, or the end. Empty ends the loop without another save (shutdown). */
    private Mono<HistoricalImport> step(SourcePipeline pipeline, ChunkPolicy policy, HistoricalImport state,
            AtomicBoolean cancelled) {
        if (state.finished() || closed) {
            return Mono.empty();
        }
        if (cancelled.get()) {
            log.info("source {}: historical import {} cancelled after {} chunk(s), {} rows", pipeline.id(), state.id(),
                    state.chunksDone(), state.rows().read());
            return saveAndPublish(pipeline, state.ended(ImportStatus.CANCELLED, null, clock.instant()));
        }
        // a statement that does not bind {{ upper_date_limit }} returns the same rows for any smaller chunk: read the
        // rest of the range at once; a chunk that cannot be narrowed any more is read whole, however many rows it holds
        boolean narrows = pipeline.narrowsByUpperBound();
        Window chunk = narrows ? state.nextChunk() : state.rest();
        long maxRows = narrows && policy.canHalve(Duration.between(state.cursor(), chunk.upper())) ? policy.rowCap()
                : RunRequest.NO_CAP;
        Instant began = clock.instant();
        return pipeline.importChunk(chunk, maxRows)
                .flatMap(run -> afterChunk(pipeline, policy, state, run, Duration.between(began, clock.instant())))
                .onErrorResume(e -> {
                    if (closed) {
                        return Mono.empty();
                    }
                    // the run could not even be recorded (the store is down): retried like a failed run
                    String reason = pipeline.definition().password().redact(String.valueOf(e.getMessage()));
                    return failed(pipeline, state, chunk, reason, Duration.between(began, clock.instant()));
                });
    }

    private Mono<HistoricalImport> afterChunk(SourcePipeline pipeline, ChunkPolicy policy, HistoricalImport state,
            ChunkRun chunk, Duration took) {
        Instant now = clock.instant();
        RunRecord run = chunk.record();
        if (!run.succeeded()) {
            return failed(pipeline, state, run.window(), run.error(), took);
        }
        if (chunk.stopped()) {
            // never go on from where it stopped: rows that came in date order do not prove that no earlier row is
            // left unread (a scan can start inside the window), only a chunk read to its end does.
            // Narrow it where the rows it read suggest (the planner's split point); rows sharing one instant are read
            // whole as the smallest chunk.
            Instant split = chunk.split();
            Duration smaller = split == null ? policy.smallest() : policy.narrowed(state.cursor(), split);
            HistoricalImport halved = state.halved(smaller, took, now);
            log.info("source {}: historical import {}: chunk {} stopped at the cap of {} rows; running it again as {}",
                    pipeline.id(), state.id(), run.window(), policy.rowCap(), smaller);
            return store.save(halved).thenReturn(halved);
        }
        HistoricalImport next = state.advanced(run, policy.next(state.chunkSize(), run.read()), took, now);
        if (next.finished()) {
            log.info("source {}: historical import {} of {} succeeded: {} chunks, {} halved, {} rows read, {} inserted, "
                    + "{} updated, {} unchanged, {} rejected", pipeline.id(), next.id(), next.range(), next.chunksDone(),
                    next.halvings(), next.rows().read(), next.rows().inserted(), next.rows().updated(),
                    next.rows().unchanged(), next.rows().rejected());
        } else if (log.isDebugEnabled()) {
            log.debug("source {}: historical import {}: chunk {} of about {} done ({}%)", pipeline.id(), next.id(),
                    next.chunksDone(), next.estimatedChunks(), next.percent());
        }
        return saveAndPublish(pipeline, next);
    }

    private Mono<HistoricalImport> failed(SourcePipeline pipeline, HistoricalImport state, Window chunk,
            @org.jspecify.annotations.Nullable String error, Duration took) {
        HistoricalImport attempt = state.failedAttempt(took, clock.instant());
        if (attempt.failures() > RETRIES) {
            String reason = "chunk " + chunk + " failed " + attempt.failures() + " times; last error: " + error;
            log.warn("source {}: historical import {} failed after {} chunk(s): {}", pipeline.id(), state.id(),
                    state.chunksDone(), reason);
            return saveAndPublish(pipeline, attempt.ended(ImportStatus.FAILED, reason, clock.instant()));
        }
        Duration delay = BACKOFF.get(Math.min(attempt.failures(), BACKOFF.size()) - 1);
        log.warn("source {}: historical import {}: chunk {} failed (attempt {} of {}), again in {}: {}", pipeline.id(),
                state.id(), chunk, attempt.failures(), RETRIES + 1, delay, error);
        return store.save(attempt).then(Mono.delay(delay, scheduler)).thenReturn(attempt);
    }

    private static Duration length(Window window) {
        return Duration.between(window.lower(), window.upper());
    }

    private Mono<HistoricalImport> saveAndPublish(SourcePipeline pipeline, HistoricalImport state) {
        return store.save(state).then(Mono.fromSupplier(() -> {
            pipeline.publish(new ImportEvent.ImportProgress(state.sourceId(), clock.instant(), state.id(),
                    state.status().label(), state.chunksDone(), state.estimatedChunks(), state.rows().read(),
                    state.percent(), state.eta()));
            return state;
        }));
    }
}
