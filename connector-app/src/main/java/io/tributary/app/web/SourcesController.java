package io.tributary.app.web;

import java.util.List;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

import io.tributary.app.store.JdbcCheckpoints;
import io.tributary.app.store.JdbcImportLog;
import io.tributary.app.store.RegistrationStore;
import io.tributary.core.SourceDefinition;
import io.tributary.core.SourcePipeline;
import io.tributary.core.SourceStatus;
import io.tributary.core.Tributary;
import io.tributary.core.sink.RunRecord;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/** Sources, their status and their import logs. Store reads are blocking, so they run on the store's scheduler. */
@RestController
@RequestMapping("/api/sources")
class SourcesController {

    private final Tributary tributary;
    private final RegistrationStore store;
    private final JdbcCheckpoints checkpoints;
    private final JdbcImportLog importLog;
    private final Scheduler storeScheduler;

    SourcesController(Tributary tributary, RegistrationStore store, JdbcCheckpoints checkpoints, JdbcImportLog importLog,
            Scheduler storeScheduler) {
        this.tributary = tributary;
        this.store = store;
        this.checkpoints = checkpoints;
        this.importLog = importLog;
        this.storeScheduler = storeScheduler;
    }

    @GetMapping
    Mono<List<SourceView>> sources() {
        return Mono.fromCallable(() -> {
            Map<String, Long> counts = store.countsBySource();
            return tributary.pipelines().stream().map(p -> view(p, counts)).toList();
        }).subscribeOn(storeScheduler);
    }

    @GetMapping("/{id}")
    Mono<SourceView> source(@PathVariable String id) {
        SourcePipeline p = pipeline(id);
        return Mono.fromCallable(() -> view(p, store.countsBySource())).subscribeOn(storeScheduler);
    }

    @GetMapping("/{id}/runs")
    Mono<List<RunView>> runs(@PathVariable String id, @RequestParam(defaultValue = "20") int limit,
            @RequestParam(defaultValue = "0") int offset) {
        pipeline(id);
        if (limit < 1 || limit > 500 || offset < 0) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "limit must be 1 to 500 and offset >= 0");
        }
        return Mono.fromCallable(() -> importLog.runs(id, limit, offset).stream().map(RunView::of).toList())
                .subscribeOn(storeScheduler);
    }

    /** Runs the source now (after a run in progress) and answers with that run's record. */
    @PostMapping("/{id}/run")
    Mono<RunView> runNow(@PathVariable String id) {
        return pipeline(id).runNow().map(RunView::of);
    }

    private SourcePipeline pipeline(String id) {
        return tributary.pipeline(id).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND,
                "no source '" + id + "'; known: " + tributary.pipelines().stream().map(SourcePipeline::id).toList()));
    }

    private SourceView view(SourcePipeline p, Map<String, Long> counts) {
        SourceDefinition d = p.definition();
        SourceStatus status = p.status();
        RunRecord last = status.lastRun() != null ? status.lastRun() : importLog.lastFinished(d.id());
        String state = status.lastRun() == null && last != null && !last.succeeded() ? "failing" : status.state();
        return new SourceView(d.id(), d.url(), d.username(), d.memberIdSource(), d.timezone().getId(),
                d.updateFrequency().toSeconds(), status.effectiveInterval().toSeconds(), state,
                checkpoints.current(d.id()), status.nextRunAt(), counts.getOrDefault(d.id(), 0L), RunView.of(last));
    }
}
