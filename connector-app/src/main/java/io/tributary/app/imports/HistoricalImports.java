package io.tributary.app.imports;

import java.time.Clock;
import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tributary.app.store.JdbcHistoricalImports;
import io.tributary.core.SourcePipeline;
import io.tributary.core.Tributary;
import io.tributary.core.history.ChunkPolicy;
import io.tributary.core.history.HistoricalImport;
import io.tributary.core.history.HistoricalImporter;
import io.tributary.core.history.ImportStatus;
import io.tributary.core.window.Window;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The app's historical imports: the API starts them in the background, the CLI runs one to its end, and start-up
 * resumes those a stopped process left unfinished. All go through the core's {@link HistoricalImporter}, so they
 * share one code path.
 */
public final class HistoricalImports implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HistoricalImports.class);

    private final Tributary tributary;
    private final JdbcHistoricalImports store;
    private final HistoricalImporter importer;
    private final Clock clock;
    private final Disposable.Composite running = Disposables.composite();

    public HistoricalImports(Tributary tributary, JdbcHistoricalImports store, Clock clock) {
        this.tributary = tributary;
        this.store = store;
        this.clock = clock;
        this.importer = new HistoricalImporter(store, clock, Schedulers.parallel());
    }

    /** How a cancellation went. */
    public enum Cancelled {
        /** Running here: it stops before its next chunk. */
        REQUESTED,
        /** Not running in this process (its source is gone): marked cancelled at once. */
        MARKED,
        /** It had already ended. */
        ALREADY_FINISHED,
        NOT_FOUND
    }

    /** Records the import and starts it in the background; completes with its first record. */
    public Mono<HistoricalImport> start(SourcePipeline pipeline, Window range) {
        return importer.create(pipeline, range, ChunkPolicy.forSource(pipeline.definition()))
                .doOnNext(created -> launch(pipeline, importer.run(pipeline, created)));
    }

    /** Records the import and runs it to its end (the CLI). */
    public Mono<HistoricalImport> runToEnd(SourcePipeline pipeline, Window range) {
        return importer.create(pipeline, range, ChunkPolicy.forSource(pipeline.definition()))
                .flatMap(created -> importer.run(pipeline, created));
    }

    /** Continues every import a stopped process left running, at its first unfinished chunk. */
    public void resumeUnfinished() {
        List<HistoricalImport> unfinished = store.unfinished().collectList().block();
        for (HistoricalImport i : unfinished == null ? List.<HistoricalImport>of() : unfinished) {
            Optional<SourcePipeline> pipeline = tributary.pipeline(i.sourceId());
            if (pipeline.isEmpty()) {
                log.warn("historical import {} of source {} is unfinished but the source is no longer configured; "
                        + "it stays as it is (cancel it with DELETE /api/imports/{})", i.id(), i.sourceId(), i.id());
                continue;
            }
            launch(pipeline.get(), importer.resume(pipeline.get(), i));
        }
    }

    public Optional<HistoricalImport> find(String id) {
        return store.findBlocking(id);
    }

    public List<HistoricalImport> list(@Nullable String sourceId, int limit) {
        return store.list(sourceId, limit);
    }

    public boolean isRunning(String id) {
        return importer.isRunning(id);
    }

    /** Cancels between chunks; blocking. */
    public Cancelled cancel(String id) {
        if (importer.cancel(id)) {
            return Cancelled.REQUESTED;
        }
        Optional<HistoricalImport> found = store.findBlocking(id);
        if (found.isEmpty()) {
            return Cancelled.NOT_FOUND;
        }
        if (found.get().finished()) {
            return Cancelled.ALREADY_FINISHED;
        }
        store.save(found.get().ended(ImportStatus.CANCELLED, null, clock.instant())).block();
        return Cancelled.MARKED;
    }

    private void launch(SourcePipeline pipeline, Mono<HistoricalImport> work) {
        running.add(work.subscribe(done -> { }, e -> log.error("source {}: historical import stopped: {}", pipeline.id(),
                pipeline.definition().password().redact(String.valueOf(e.getMessage())))));
    }

    /** Stops starting chunks; imports in progress stay RUNNING and resume at the next start. */
    @Override
    public void close() {
        importer.close();
        running.dispose();
    }
}
