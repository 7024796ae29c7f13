package io.tributary.testkit;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import io.tributary.core.history.HistoricalImport;
import io.tributary.core.history.HistoricalImportStore;
import io.tributary.core.history.ImportStatus;
import io.tributary.core.mapping.Registration;
import io.tributary.core.sink.CheckpointStore;
import io.tributary.core.sink.ImportLog;
import io.tributary.core.sink.RegistrationSink;
import io.tributary.core.sink.RunKind;
import io.tributary.core.sink.RunRecord;
import io.tributary.core.sink.SinkBatch;
import io.tributary.core.sink.WriteResult;
import io.tributary.core.window.Window;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Sink, checkpoint store and import log in memory, with the same upsert semantics as the real store: keyed by
 * (source, reference), unchanged rows counted and not rewritten; historical imports' progress too. For tests of
 * the core and of dialects.
 */
public final class InMemoryStore implements RegistrationSink, CheckpointStore, ImportLog, HistoricalImportStore {

    private final Map<String, Map<String, Registration>> registrations = new ConcurrentHashMap<>();
    private final Map<String, Instant> checkpoints = new ConcurrentHashMap<>();
    private final List<RunRecord> runs = new CopyOnWriteArrayList<>();
    private final List<SinkBatch> batches = new CopyOnWriteArrayList<>();
    private final AtomicLong runIds = new AtomicLong();
    private final Map<String, HistoricalImport> imports = new ConcurrentHashMap<>();
    private final List<HistoricalImport> importSaves = new CopyOnWriteArrayList<>();
    private volatile RuntimeException failWrites;

    @Override
    public Mono<WriteResult> write(SinkBatch batch) {
        return Mono.fromCallable(() -> {
            RuntimeException failure = failWrites;
            if (failure != null) {
                throw failure;
            }
            batches.add(batch);
            Map<String, Registration> bySource = registrations.computeIfAbsent(batch.sourceId(), k -> new ConcurrentHashMap<>());
            long inserted = 0;
            long updated = 0;
            long unchanged = 0;
            long deleted = 0;
            for (Registration r : batch.registrations()) {
                Registration before = bySource.put(r.reference(), r);
                if (before == null) {
                    inserted++;
                } else if (before.equals(r)) {
                    unchanged++;
                } else {
                    updated++;
                }
                deleted += r.deleted() && !r.equals(before) ? 1 : 0;
            }
            return new WriteResult(inserted, updated, unchanged, deleted);
        });
    }

    @Override
    public Mono<Instant> load(String sourceId) {
        return Mono.justOrEmpty(checkpoints.get(sourceId));
    }

    @Override
    public Mono<Void> save(String sourceId, Instant checkpoint) {
        return Mono.fromRunnable(() -> checkpoints.put(sourceId, checkpoint));
    }

    @Override
    public Mono<Long> started(String sourceId, RunKind kind, Window window, Instant startedAt) {
        return Mono.fromSupplier(runIds::incrementAndGet);
    }

    @Override
    public Mono<Void> finished(RunRecord record) {
        return Mono.fromRunnable(() -> runs.add(record));
    }

    /** Makes every following write fail with {@code failure}; {@code null} heals. */
    public void failWrites(RuntimeException failure) {
        this.failWrites = failure;
    }

    public Map<String, Registration> registrations(String sourceId) {
        return Map.copyOf(registrations.getOrDefault(sourceId, Map.of()));
    }

    public Optional<Instant> checkpoint(String sourceId) {
        return Optional.ofNullable(checkpoints.get(sourceId));
    }

    public List<RunRecord> runs() {
        return new ArrayList<>(runs);
    }

    public RunRecord lastRun() {
        if (runs.isEmpty()) {
            throw new AssertionError("no run was recorded");
        }
        return runs.get(runs.size() - 1);
    }

    public List<SinkBatch> batches() {
        return new ArrayList<>(batches);
    }

    @Override
    public Mono<Void> save(HistoricalImport state) {
        return Mono.fromRunnable(() -> {
            imports.put(state.id(), state);
            importSaves.add(state);
        });
    }

    @Override
    public Mono<HistoricalImport> find(String id) {
        return Mono.justOrEmpty(imports.get(id));
    }

    @Override
    public Flux<HistoricalImport> unfinished() {
        return Flux.fromStream(() -> imports.values().stream().filter(i -> i.status() == ImportStatus.RUNNING));
    }

    /** Every state saved, in order. */
    public List<HistoricalImport> importSaves() {
        return new ArrayList<>(importSaves);
    }
}
