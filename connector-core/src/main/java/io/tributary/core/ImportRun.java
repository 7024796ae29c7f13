package io.tributary.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

import io.tributary.core.event.ImportEvent;
import io.tributary.core.mapping.MappedRow;
import io.tributary.core.mapping.MissingColumnsException;
import io.tributary.core.mapping.Registration;
import io.tributary.core.mapping.RegistrationMapper;
import io.tributary.core.mapping.Rejection;
import io.tributary.core.mapping.RecentReferences;
import io.tributary.core.sink.RegistrationSink;
import io.tributary.core.sink.RunKind;
import io.tributary.core.sink.RunRecord;
import io.tributary.core.sink.RunStatus;
import io.tributary.core.sink.SinkBatch;
import io.tributary.core.sink.WriteResult;
import io.tributary.core.template.RenderedStatement;
import io.tributary.core.window.RowCap;
import io.tributary.core.window.WindowPlanner;
import io.tributary.core.window.Window;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SynchronousSink;

/**
 * One run of one source over one window: stream, map, batch, write, then (for runs that move it) the checkpoint.
 * Holds the run's counters; one instance per run. Longer than most classes on purpose: the run's whole flow is kept
 * in one place, so that the order of its effects (read, cap, hold repeats, write in lanes, split a refused batch,
 * commit, record) reads top to bottom.
 */
final class ImportRun {

    private static final Logger log = LoggerFactory.getLogger(ImportRun.class);

    /** Rejections kept with the run's record; the count is always exact. */
    static final int REJECTION_SAMPLE = 100;

    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(1);

    private final PipelineContext ctx;
    private final long runId;
    private final RunKind kind;
    private final Window window;
    private final Instant startedAt;
    private final RegistrationMapper mapper;
    private final RowCap cap;
    private final @Nullable Planned planned;
    private final Instant plannedAt;
    private final Duration interval;
    private final RegistrationSink sink;
    private volatile List<String> columns = List.of();
    private final List<Rejection> rejections = new ArrayList<>();
    /** Rows pulled from the source, numbering them for rejection reasons; one more than read when the cap stops a run. */
    private final AtomicLong pulled = new AtomicLong();
    /** Rows the run took: the row at which the cap stopped it is read again by the next run, so it is not counted here. */
    private final AtomicLong read = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    // lanes acknowledge batches concurrently: counts are added atomically
    private final AtomicReference<WriteResult> written = new AtomicReference<>(WriteResult.NONE);
    private volatile long lastProgress;
    private volatile @Nullable String note;
    private volatile boolean backlog;
    private volatile boolean complete;
    private volatile @Nullable Instant checkpointAfter;
    private volatile @Nullable Throwable failure;

    /**
     * @param cap      the row cap of this run, over its window
     * @param planned  for a run that moves the checkpoint: its planner, its plan and the checkpoint before it;
     *                 {@code null} for a historical chunk
     * @param interval the source's poll interval in force when the run started
     * @param sink     where the registrations go: the source's sink, or a {@link DryRunSink} for a test query
     */
    ImportRun(PipelineContext ctx, long runId, RunKind kind, Instant startedAt, RowCap cap, @Nullable Planned planned,
            Instant plannedAt, Duration interval, RegistrationSink sink) {
        this.ctx = ctx;
        this.runId = runId;
        this.kind = kind;
        this.window = cap.window();
        this.startedAt = startedAt;
        this.lastProgress = startedAt.toEpochMilli();
        this.mapper = new RegistrationMapper(ctx.definition().timezone());
        this.cap = cap;
        this.planned = planned;
        this.plannedAt = plannedAt;
        this.interval = interval;
        this.sink = sink;
    }

    /** The columns of the result (of the first row, or those found when a standard column was missing). */
    List<String> columns() {
        return columns;
    }

    /**
     * What a run that moves the checkpoint needs to decide where it moves.
     *
     * @param previous the checkpoint before the run; it never moves back past it
     */
    record Planned(WindowPlanner planner, WindowPlanner.Plan plan, @Nullable Instant previous) {
    }

    /** Runs to the end; never errors: a failure becomes a FAILED record. */
    Mono<RunOutcome> execute() {
        SourceDefinition def = ctx.definition();
        RenderedStatement statement = ctx.template().render(ctx.dialect().bindMarkers());
        List<Object> binds = ctx.binds(statement, window);
        ctx.events().publish(new ImportEvent.RunStarted(def.id(), startedAt, runId, kind, window, plannedAt));
        // most automatic runs of a caught-up source find nothing: their line at the end says all this one does
        log.atLevel(kind == RunKind.AUTOMATIC ? Level.DEBUG : Level.INFO)
                .log("source {}: run {} ({}) reading {}", def.id(), runId, kind, window);

        SourceTime sourceTime = new SourceTime(ctx.scheduler());
        return IdleTimeout.of(ctx.client().stream(statement, binds, def.fetchSize()), def.queryTimeout(), ctx.scheduler())
                .transform(sourceTime::measure)
                .onErrorMap(TimeoutException.class, e -> new ConnectorException.Transient("the source sent no row for "
                        + def.queryTimeout() + " (the query timeout); the run was cancelled", e))
                .map(row -> {
                    if (columns.isEmpty()) {
                        columns = row.columns().names();
                    }
                    return mapper.map(row, pulled.incrementAndGet());
                })
                // past the cap the source is cancelled: rows not read now are read by the next run
                .takeWhile(mapped -> cap.offer(mapped instanceof MappedRow.Mapped m ? m.registration().date() : null))
                .handle(this::account)
                .transform(this::holdRepeats)
                .transform(this::writeInLanes)
                .then(Mono.defer(this::commit))
                .then(Mono.fromSupplier(() -> record(RunStatus.SUCCEEDED, null)))
                .onErrorResume(e -> {
                    failure = e;
                    if (e instanceof MissingColumnsException missing && columns.isEmpty()) {
                        columns = missing.found();
                    }
                    return Mono.just(record(RunStatus.FAILED, ctx.describe(e)));
                })
                .flatMap(r -> ctx.importLog().finished(r).thenReturn(r))
                .doOnNext(this::announce)
                .map(r -> new RunOutcome(r, failure, r.succeeded() && backlog, r.succeeded() && cap.stopped(),
                        r.succeeded() && cap.stopped() ? cap.splitPoint().orElse(null) : null, sourceTime.spent(), null));
    }

    /**
     * Batches and writes the registrations. concatMap keeps one lane's batches in order (the last of duplicate
     * references wins) while its next batch is already being read: reading and writing overlap. A sink that takes
     * several writes at once gets as many lanes, split by reference so that a reference always takes the same lane;
     * so each lane counts its own duplicates, off the thread that reads, in a share of the bounded memory that
     * {@link RecentReferences} allows a run.
     */
    private Flux<WriteResult> writeInLanes(Flux<Registration> registrations) {
        SourceDefinition def = ctx.definition();
        int lanes = Math.max(1, sink.concurrentWrites());
        int generation = RecentReferences.DEFAULT_GENERATION / lanes;
        if (lanes == 1) {
            RecentReferences seen = new RecentReferences(generation);
            return registrations.bufferTimeout(def.batchSize(), ctx.maxBatchLatency(), true)
                    .concatMap(batch -> write(batch, seen), 1);
        }
        return registrations.groupBy(r -> Math.floorMod(r.reference().hashCode(), lanes))
                .flatMap(lane -> {
                    RecentReferences seen = new RecentReferences(generation);
                    return lane.bufferTimeout(def.batchSize(), ctx.maxBatchLatency(), true)
                            .concatMap(batch -> write(batch, seen), 1);
                }, lanes);
    }

    /**
     * Rows of references that earlier runs returned more than once are held back to the end of the stream, and only
     * the last version of each is written (see {@link RepeatedReferences}).
     */
    private Flux<Registration> holdRepeats(Flux<Registration> registrations) {
        Map<String, Registration> held = new LinkedHashMap<>();
        return registrations.filter(r -> {
            if (!ctx.repeated().contains(r.reference())) {
                return true;
            }
            if (held.remove(r.reference()) != null) {
                duplicates.incrementAndGet();
            }
            held.put(r.reference(), r);
            return false;
        }).concatWith(Flux.defer(() -> Flux.fromIterable(new ArrayList<>(held.values()))));
    }

    private void account(MappedRow mapped, SynchronousSink<Registration> out) {
        read.incrementAndGet();
        if (mapped instanceof MappedRow.Mapped m) {
            out.next(m.registration());
        } else if (mapped instanceof MappedRow.Rejected r) {
            rejected.incrementAndGet();
            synchronized (rejections) {
                if (rejections.size() < REJECTION_SAMPLE) {
                    rejections.add(r.rejection());
                }
            }
            if (log.isTraceEnabled()) {
                log.trace("source {}: {}", ctx.definition().id(), r.rejection().reason());
            }
        }
        progress();
    }

    /**
     * @param seen the references of this batch's lane so far; a lane's batches come one after the other, and its
     *             generations turn between batches so that every repeat inside a batch is found
     */
    private Mono<WriteResult> write(List<Registration> batch, RecentReferences seen) {
        seen.rotateIfFull();
        boolean repeats = false;
        for (Registration r : batch) {
            if (!seen.add(r.reference())) {
                duplicates.incrementAndGet();
                repeats = true;
                ctx.repeated().remember(r.reference());
            }
        }
        return writeOrSplit(repeats ? lastWins(batch) : batch).doOnNext(result -> {
            written.accumulateAndGet(result, WriteResult::plus);
            progress();
        });
    }

    /**
     * Writes a batch; when the sink refuses it for its data (a value the store cannot hold), writes its halves one
     * after the other instead, down to the single row, which is rejected with the sink's reason. One bad row costs
     * about twice the logarithm of the batch size in writes, and never the rest of its batch.
     */
    private Mono<WriteResult> writeOrSplit(List<Registration> batch) {
        SinkBatch sinkBatch = new SinkBatch(ctx.definition().id(), ctx.definition().memberIdSource(), runId, batch);
        return sink.write(sinkBatch).onErrorResume(Failures::isDataError, e -> {
            if (batch.size() == 1) {
                Registration bad = batch.get(0);
                String reason = ctx.definition().password().redact(Failures.dataErrorMessage(e));
                rejected.incrementAndGet();
                synchronized (rejections) {
                    if (rejections.size() < REJECTION_SAMPLE) {
                        rejections.add(new Rejection(0, bad.reference(), reason));
                    }
                }
                log.debug("source {}: reference {} rejected by the store: {}", ctx.definition().id(), bad.reference(), reason);
                return Mono.just(WriteResult.NONE);
            }
            int half = batch.size() / 2;
            return writeOrSplit(batch.subList(0, half))
                    .zipWith(Mono.defer(() -> writeOrSplit(batch.subList(half, batch.size()))), WriteResult::plus);
        });
    }

    /** A batch must not hold one reference twice (an upsert could not tell which wins): keep the last. */
    static List<Registration> lastWins(List<Registration> batch) {
        Map<String, Registration> byReference = new LinkedHashMap<>(batch.size() * 2);
        for (Registration r : batch) {
            byReference.remove(r.reference());
            byReference.put(r.reference(), r);
        }
        return byReference.size() == batch.size() ? batch : new ArrayList<>(byReference.values());
    }

    private Mono<Void> commit() {
        Planned p = planned;
        if (p == null) {
            complete = !cap.stopped();
            if (cap.stopped()) {
                note = "stopped at the cap of " + cap.maxRows() + " rows, leaving rows of the window unread: the historical "
                        + "import reads it again in smaller chunks";
            }
            return Mono.empty();
        }
        WindowPlanner.Step step = p.planner().succeeded(p.plan(), cap);
        complete = step.complete();
        note = step.note();
        backlog = step.again();
        Instant target = step.checkpoint();
        checkpointAfter = p.previous();
        if (target == null || (p.previous() != null && !target.isAfter(p.previous()))) {
            // nothing to move, or the source's clock went back (or settle grew): never move the checkpoint backwards
            return Mono.empty();
        }
        return ctx.checkpoints().save(ctx.definition().id(), target).then(Mono.fromRunnable(() -> checkpointAfter = target));
    }

    private void progress() {
        long now = ctx.clock().millis();
        if (now - lastProgress >= PROGRESS_EVERY.toMillis()) {
            lastProgress = now;
            WriteResult w = written.get();
            ctx.events().publish(new ImportEvent.RunProgress(ctx.definition().id(), Instant.ofEpochMilli(now), runId,
                    read.get(), w.total() + w.deleted(), rejected.get()));
        }
    }

    private RunRecord record(RunStatus status, @Nullable String error) {
        WriteResult w = written.get();
        Duration took = Duration.between(startedAt, ctx.clock().instant());
        return new RunRecord(runId, ctx.definition().id(), kind, window, startedAt, took, status, read.get(),
                w.inserted(), w.updated(), w.unchanged(), w.deleted(), rejected.get(), duplicates.get(),
                sampledRejections(), error, error == null ? note : null, error == null && complete,
                planned == null ? null : error == null ? checkpointAfter : planned.previous(), interval);
    }

    private List<Rejection> sampledRejections() {
        synchronized (rejections) {
            return List.copyOf(rejections);
        }
    }

    private void announce(RunRecord r) {
        Clock clock = ctx.clock();
        if (r.succeeded()) {
            // an idle poll is in the import log's summary row and the event stream; at INFO, 10,000 sources polled
            // every minute would write 14 million lines a day
            Level level = r.idle() ? Level.DEBUG : Level.INFO;
            if (log.isEnabledForLevel(level)) {
                log.atLevel(level).log("source {}: run {} ({}) over {} succeeded in {} ms: read {}, inserted {}, "
                        + "updated {}, unchanged {}, rejected {}, duplicates {}{}", r.sourceId(), r.runId(), r.kind(),
                        r.window(), r.duration().toMillis(), r.read(), r.inserted(), r.updated(), r.unchanged(),
                        r.rejected(), r.duplicates(), r.note() == null ? "" : "; " + r.note());
            }
            ctx.events().publish(new ImportEvent.RunFinished(r.sourceId(), clock.instant(), r));
        } else {
            log.warn("source {}: run {} ({}) over {} failed after {} ms, checkpoint not moved: {}", r.sourceId(), r.runId(),
                    r.kind(), r.window(), r.duration().toMillis(), r.error());
            ctx.events().publish(new ImportEvent.RunFailed(r.sourceId(), clock.instant(), r,
                    failure != null && Failures.isTransient(failure)));
        }
    }
}
