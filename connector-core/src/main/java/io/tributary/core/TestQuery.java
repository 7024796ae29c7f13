package io.tributary.core;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tributary.core.event.ImportEvent;
import io.tributary.core.mapping.MappedRow;
import io.tributary.core.mapping.MissingColumnsException;
import io.tributary.core.mapping.Registration;
import io.tributary.core.mapping.RegistrationMapper;
import io.tributary.core.mapping.Rejection;
import io.tributary.core.mapping.RecentReferences;
import io.tributary.core.mapping.SourceRow;
import io.tributary.core.sink.RunKind;
import io.tributary.core.sink.RunRecord;
import io.tributary.core.sink.RunStatus;
import io.tributary.core.template.RenderedStatement;
import io.tributary.core.window.Window;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * One test query: the source's statement over a window, every row streamed, mapped and counted, the first
 * {@link TestQueryResult#SAMPLE_SIZE} registrations kept, and nothing written but a TEST run in the import log.
 */
final class TestQuery {

    private static final Logger log = LoggerFactory.getLogger(TestQuery.class);

    private final PipelineContext ctx;
    private final Window window;
    private final Sinks.One<TestQueryResult> result = Sinks.one();
    private final RegistrationMapper mapper;
    private final RecentReferences seen = new RecentReferences();
    private final List<Registration> sample = new ArrayList<>();
    private final List<Rejection> rejections = new ArrayList<>();
    private List<String> columns = List.of();
    private long rows;
    private long mapped;
    private long rejected;
    private long duplicates;

    TestQuery(PipelineContext ctx, Window window) {
        this.ctx = ctx;
        this.window = window;
        this.mapper = new RegistrationMapper(ctx.definition().timezone());
    }

    Mono<TestQueryResult> result() {
        return result.asMono();
    }

    /** Runs the query once; completes with the TEST run's record (never an error) and publishes the result. */
    Mono<RunRecord> execute() {
        String id = ctx.definition().id();
        Instant startedAt = ctx.clock().instant();
        return ctx.importLog().started(id, RunKind.TEST, window, startedAt).flatMap(runId -> {
            ctx.events().publish(new ImportEvent.RunStarted(id, startedAt, runId, RunKind.TEST, window, startedAt));
            RenderedStatement statement = ctx.template().render(ctx.dialect().bindMarkers());
            List<Object> binds = ctx.binds(statement, window);
            return ctx.client().stream(statement, binds, ctx.definition().fetchSize())
                    .doOnNext(this::count)
                    .then(Mono.fromSupplier(() -> finish(runId, startedAt, null)))
                    .onErrorResume(e -> Mono.fromSupplier(() -> finish(runId, startedAt, e)))
                    .flatMap(r -> ctx.importLog().finished(r.record).thenReturn(r));
        }).doOnNext(r -> {
            RunRecord rec = r.record;
            if (rec.succeeded()) {
                log.info("source {}: test query {} over {} in {} ms: {} rows, {} would be rejected", id, rec.runId(),
                        window, rec.duration().toMillis(), rec.read(), rec.rejected());
                ctx.events().publish(new ImportEvent.RunFinished(id, ctx.clock().instant(), rec));
            } else {
                log.info("source {}: test query {} over {} failed: {}", id, rec.runId(), window, rec.error());
                ctx.events().publish(new ImportEvent.RunFailed(id, ctx.clock().instant(), rec, false));
            }
            result.tryEmitValue(r.answer);
        }).map(r -> r.record).doOnError(result::tryEmitError);
    }

    private void count(SourceRow row) {
        rows++;
        if (columns.isEmpty()) {
            columns = row.columns().names();
        }
        MappedRow m = mapper.map(row, rows);
        if (m instanceof MappedRow.Mapped ok) {
            mapped++;
            if (!seen.add(ok.registration().reference())) {
                duplicates++;
            }
            seen.rotateIfFull();
            if (sample.size() < TestQueryResult.SAMPLE_SIZE) {
                sample.add(ok.registration());
            }
        } else if (m instanceof MappedRow.Rejected r) {
            rejected++;
            if (rejections.size() < ImportRun.REJECTION_SAMPLE) {
                rejections.add(r.rejection());
            }
        }
    }

    private Outcome finish(long runId, Instant startedAt, @Nullable Throwable failure) {
        String id = ctx.definition().id();
        Duration took = Duration.between(startedAt, ctx.clock().instant());
        String error = failure == null ? null : ctx.describe(failure);
        if (failure instanceof MissingColumnsException missing && columns.isEmpty()) {
            columns = missing.found();
        }
        RunRecord record = new RunRecord(runId, id, RunKind.TEST, window, startedAt, took,
                error == null ? RunStatus.SUCCEEDED : RunStatus.FAILED, rows, 0, 0, 0, 0, rejected, duplicates,
                rejections, error, null);
        TestQueryResult answer = new TestQueryResult(runId, id, window, took, rows, mapped, rejected, duplicates,
                columns, sample, rejections, error);
        return new Outcome(record, answer);
    }

    private record Outcome(RunRecord record, TestQueryResult answer) {
    }
}
