package io.tributary.kafka;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tributary.core.SourceDefinition;
import io.tributary.core.Tributary;
import io.tributary.core.event.ImportEvent;
import io.tributary.core.mapping.Registration;
import io.tributary.core.sink.CheckpointStore;
import io.tributary.core.sink.ImportLog;
import io.tributary.core.sink.RegistrationSink;
import io.tributary.core.sink.RunKind;
import io.tributary.core.sink.RunRecord;
import io.tributary.core.sink.SinkBatch;
import io.tributary.core.sink.WriteResult;
import io.tributary.core.window.Window;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The one adapter between a Connect task and connector-core: runs the task's sources as core pipelines (statement
 * template, mapping, row cap, adaptive interval, retries, dialects found by ServiceLoader) and turns what they write
 * into an ordered stream of {@link Step}s for {@code poll()}.
 * <p>
 * The sink hands each batch over through a bounded queue (a full queue holds the pipeline back: backpressure up to
 * Kafka's producer); the checkpoint store is the task's view of its Connect offsets: a run's {@code save} is the end
 * of a completed window, which the task turns into the offset (and, with exactly-once, the transaction boundary) of
 * the window's last record. A change to core's run or checkpoint contract lands here only.
 */
final class CorePipelines implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CorePipelines.class);

    /** What the task receives, in the order the pipelines produced it. */
    sealed interface Step {
        String sourceId();
    }

    /** Registrations to send: new or changed since this task last sent them. */
    record Batch(String sourceId, List<Registration> registrations) implements Step {
    }

    /** Every batch of the window before this one was handed over: the source's checkpoint is now {@code checkpoint}. */
    record WindowEnd(String sourceId, Instant checkpoint) implements Step {
    }

    private final Tributary tributary;
    private final BlockingQueue<Step> steps;
    private final Map<String, Instant> checkpoints = new ConcurrentHashMap<>();
    private final Map<String, SentRegistrations> sent = new ConcurrentHashMap<>();
    private final Map<String, Duration> lookbacks = new ConcurrentHashMap<>();
    private final AtomicLong runIds = new AtomicLong();
    private final Disposable failures;
    private volatile boolean closed;
    private volatile @Nullable String permanentFailure;

    /**
     * @param resumeAt the checkpoint of each source that has one, read from Connect's offsets
     * @param capacity steps held for {@code poll()} before the pipelines wait
     */
    CorePipelines(List<SourceDefinition> sources, Map<String, Instant> resumeAt, int capacity) {
        requireNonNull(sources, "sources must not be null");
        this.steps = new ArrayBlockingQueue<>(capacity);
        this.checkpoints.putAll(resumeAt);
        this.tributary = Tributary.builder().sink(new QueueSink()).checkpoints(new OffsetCheckpoints())
                .importLog(new LoggingImportLog()).build();
        this.failures = tributary.events().subscribe(this::onEvent);
        try {
            for (SourceDefinition source : sources) {
                sent.put(source.id(), new SentRegistrations());
                lookbacks.put(source.id(), source.lookback());
                tributary.add(source);
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Starts every source's poll loop. */
    void start() {
        tributary.start();
    }

    /**
     * The steps ready now, at most {@code max}; waits up to {@code wait} for the first one, so that {@code poll()}
     * returns regularly.
     */
    List<Step> take(int max, Duration wait) throws InterruptedException {
        List<Step> out = new ArrayList<>();
        Step first = steps.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
        if (first != null) {
            out.add(first);
            steps.drainTo(out, max - 1);
        }
        return out;
    }

    /** Why a source failed in a way no retry can cure (bad password, unknown table), if one did. */
    @Nullable String permanentFailure() {
        return permanentFailure;
    }

    /** Stops the poll loops (a run in progress is cancelled) and closes the sources' connections. */
    @Override
    public void close() {
        closed = true;
        steps.clear();
        failures.dispose();
        tributary.close();
    }

    private void onEvent(ImportEvent event) {
        if (event instanceof ImportEvent.RunFailed failed && !failed.transientFailure()) {
            String error = failed.record().error();
            permanentFailure = "source " + failed.sourceId() + ": " + (error == null ? "failed" : error);
        }
    }

    /**
     * Waits for room in the queue off the pipeline's threads; gives up when the task stops. {@code queued} runs right
     * after the step is queued, in the same thread: a run cancelled meanwhile (its source failed) cannot separate
     * the two.
     */
    private Mono<Void> put(Step step, Runnable queued) {
        return Mono.<Void>fromCallable(() -> {
            while (!steps.offer(step, 200, TimeUnit.MILLISECONDS)) {
                if (closed) {
                    throw new IllegalStateException("the task is stopping");
                }
            }
            queued.run();
            return null;
        }).subscribeOn(Schedulers.boundedElastic());
    }

    /** Registrations go to the task's queue; rows this task already sent unchanged are counted, not sent again. */
    private final class QueueSink implements RegistrationSink {
        @Override
        public Mono<WriteResult> write(SinkBatch batch) {
            SentRegistrations memory = sent.get(batch.sourceId());
            List<Registration> changed = new ArrayList<>(batch.registrations().size());
            long inserted = 0;
            long updated = 0;
            long unchanged = 0;
            long deleted = 0;
            for (Registration r : batch.registrations()) {
                switch (memory.compare(r)) {
                    case NEW -> {
                        changed.add(r);
                        if (r.deleted()) {
                            deleted++;
                        } else {
                            inserted++;
                        }
                    }
                    case CHANGED -> {
                        changed.add(r);
                        if (r.deleted()) {
                            deleted++;
                        } else {
                            updated++;
                        }
                    }
                    case UNCHANGED -> unchanged++;
                }
            }
            WriteResult result = new WriteResult(inserted, updated, unchanged, deleted);
            if (changed.isEmpty()) {
                return Mono.just(result);
            }
            return put(new Batch(batch.sourceId(), changed), () -> memory.sent(changed)).thenReturn(result);
        }
    }

    /** Checkpoints as this task knows them: from Connect's offsets at start, then from its own completed windows. */
    private final class OffsetCheckpoints implements CheckpointStore {
        @Override
        public Mono<Instant> load(String sourceId) {
            return Mono.justOrEmpty(checkpoints.get(sourceId));
        }

        @Override
        public Mono<Void> save(String sourceId, Instant checkpoint) {
            return put(new WindowEnd(sourceId, checkpoint), () -> {
                checkpoints.put(sourceId, checkpoint);
                // rows dated before the next window's lower bound are not read again: forget them
                sent.get(sourceId).forgetBefore(checkpoint.minus(lookbacks.get(sourceId)));
            });
        }
    }

    /** Runs are numbered per task; each run's summary is logged by core at INFO. */
    private final class LoggingImportLog implements ImportLog {
        @Override
        public Mono<Long> started(String sourceId, RunKind kind, Window window, Instant startedAt) {
            return Mono.just(runIds.incrementAndGet());
        }

        @Override
        public Mono<Void> finished(RunRecord record) {
            if (!record.succeeded()) {
                log.debug("source {}: run {} failed: {}", record.sourceId(), record.runId(), record.error());
            }
            return Mono.empty();
        }
    }
}
