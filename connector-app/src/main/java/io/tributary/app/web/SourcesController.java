package io.tributary.app.web;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

import io.tributary.app.imports.HistoricalImports;
import io.tributary.app.plecto.PlectoPush;
import io.tributary.app.store.JdbcCheckpoints;
import io.tributary.app.store.JdbcImportLog;
import io.tributary.app.store.RegistrationStore;
import io.tributary.app.store.StoreReads;
import io.tributary.core.SourceDefinition;
import io.tributary.core.SourcePipeline;
import io.tributary.core.SourceStatus;
import io.tributary.core.Tributary;
import io.tributary.core.sink.RunKind;
import io.tributary.core.sink.RunStatus;
import io.tributary.core.window.Window;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * Sources, their status, import logs, test queries, runs now and historical imports. Store reads are blocking, so
 * they run on the store's scheduler.
 */
@RestController
@RequestMapping("/api/sources")
class SourcesController {

    static final int MAX_POINTS = 5_000;
    private static final String WINDOW_BODY = "send a JSON body like {\"from\": \"2024-01-01\", \"to\": \"2024-02-01T00:00:00Z\"}";

    /** Says that an answer came from memory because the store could not be read. */
    static final String STORE_HEADER = "X-Tributary-Store";

    private static final Logger log = LoggerFactory.getLogger(SourcesController.class);

    private final Tributary tributary;
    private final RegistrationStore store;
    private final JdbcCheckpoints checkpoints;
    private final JdbcImportLog importLog;
    private final HistoricalImports imports;
    private final Scheduler storeScheduler;
    private final IntervalChanges intervalChanges;
    private final Clock clock;
    private final PlectoPush plecto;

    SourcesController(Tributary tributary, StoreReads reads, HistoricalImports imports, IntervalChanges intervalChanges,
            Clock clock, PlectoPush plecto) {
        this.tributary = tributary;
        this.store = reads.registrations();
        this.checkpoints = reads.checkpoints();
        this.importLog = reads.importLog();
        this.imports = imports;
        this.storeScheduler = reads.scheduler();
        this.intervalChanges = intervalChanges;
        this.clock = clock;
        this.plecto = plecto;
    }

    /**
     * Every source. With the store unreachable, the answer comes from memory (state, interval, last run of this
     * process, next run) without checkpoint and registration count, and the header {@value #STORE_HEADER} says
     * {@code unavailable}.
     */
    @GetMapping
    Mono<ResponseEntity<List<SourceView>>> sources() {
        return Mono.fromCallable(() -> {
            Map<String, Long> counts = counts();
            return ResponseEntity.ok(tributary.pipelines().stream().map(p -> view(p, counts)).toList());
        }).subscribeOn(storeScheduler).onErrorResume(DataAccessException.class, e -> Mono.just(
                fromMemory(e, tributary.pipelines().stream().map(this::memoryView).toList())));
    }

    @GetMapping("/{id}")
    Mono<ResponseEntity<SourceView>> source(@PathVariable String id) {
        SourcePipeline p = pipeline(id);
        return Mono.fromCallable(() -> ResponseEntity.ok(view(p, counts()))).subscribeOn(storeScheduler)
                .onErrorResume(DataAccessException.class, e -> Mono.just(fromMemory(e, memoryView(p))));
    }

    private static <T> ResponseEntity<T> fromMemory(DataAccessException e, T body) {
        log.debug("the store could not be read, answering from memory: {}", ApiErrors.storeReason(e));
        return ResponseEntity.ok().header(STORE_HEADER, "unavailable").body(body);
    }

    /** What this process knows without the store: no checkpoint, no count. */
    private SourceView memoryView(SourcePipeline p) {
        return view(p, p.status(), RunView.of(p.status().lastRun()), null, null);
    }

    /** The import log, newest first, filtered by status and kind (comma-separated), with the total in a header. */
    @GetMapping("/{id}/runs")
    Mono<ResponseEntity<List<RunView>>> runs(@PathVariable String id, @RequestParam(defaultValue = "20") int limit,
            @RequestParam(defaultValue = "0") int offset, @RequestParam(required = false) String status,
            @RequestParam(required = false) String kind) {
        pipeline(id);
        if (limit < 1 || limit > 500 || offset < 0) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "limit must be 1 to 500 and offset >= 0");
        }
        Set<RunStatus> statuses = values(RunStatus.class, "status", status);
        Set<RunKind> kinds = values(RunKind.class, "kind", kind);
        return Mono.fromCallable(() -> {
            List<RunView> runs = importLog.runs(id, statuses, kinds, limit, offset).stream().map(RunView::of).toList();
            long total = importLog.count(id, statuses, kinds);
            return ResponseEntity.ok().header("X-Total-Count", Long.toString(total)).body(runs);
        }).subscribeOn(storeScheduler);
    }

    /**
     * The runs started in the last {@code hours} (default 24, at most 90 days), oldest first, as points for plots:
     * start, duration, rows read, status and the interval in force; at most {@value #MAX_POINTS}, the newest kept.
     */
    @GetMapping("/{id}/runs/points")
    Mono<List<RunPointView>> points(@PathVariable String id, @RequestParam(defaultValue = "24") int hours,
            @RequestParam(required = false) String kind) {
        pipeline(id);
        if (hours < 1 || hours > 24 * 90) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "hours must be 1 to 2160 (90 days) but it was " + hours);
        }
        Set<RunKind> kinds = values(RunKind.class, "kind", kind);
        Instant from = clock.instant().minus(Duration.ofHours(hours));
        return Mono.fromCallable(() -> importLog.points(id, from, kinds, MAX_POINTS).stream()
                .map(RunPointView::of).toList()).subscribeOn(storeScheduler);
    }

    /** Runs the source now (after a run in progress) and answers with that run's record. */
    @PostMapping("/{id}/run")
    Mono<RunView> runNow(@PathVariable String id) {
        SourcePipeline p = pipeline(id);
        return p.runNow().map(RunView::of);
    }

    /** Runs the statement over a window and says what it found; writes nothing but a TEST run in the log. */
    @PostMapping("/{id}/test-query")
    Mono<TestQueryView> testQuery(@PathVariable String id, @RequestBody(required = false) WindowRequest body) {
        SourcePipeline p = pipeline(id);
        Window window = window(body);
        return p.testQuery(window).map(TestQueryView::of);
    }

    /** Starts a historical import of a range, split into chunks; answers 202 with its id at once. */
    @PostMapping("/{id}/imports")
    Mono<ResponseEntity<ImportView>> startImport(@PathVariable String id, @RequestBody(required = false) WindowRequest body) {
        SourcePipeline p = pipeline(id);
        Window range = window(body);
        return imports.start(p, range).map(ImportView::of)
                .map(v -> ResponseEntity.status(HttpStatus.ACCEPTED).header("Location", "/api/imports/" + v.id()).body(v));
    }

    private static Window window(WindowRequest body) {
        if (body == null) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "the request has no body; " + WINDOW_BODY);
        }
        try {
            return WindowInput.parse("from", body.from(), "to", body.to());
        } catch (IllegalArgumentException e) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, e.getMessage());
        }
    }

    /** Comma-separated, case-insensitive enum names; an unknown one is a 400 that lists the known ones. */
    static <E extends Enum<E>> Set<E> values(Class<E> type, String parameter, String text) {
        Set<E> set = EnumSet.noneOf(type);
        if (text == null || text.isBlank()) {
            return set;
        }
        for (String part : text.split(",")) {
            String name = part.strip().toUpperCase(Locale.ROOT);
            try {
                set.add(Enum.valueOf(type, name));
            } catch (IllegalArgumentException e) {
                throw new ResponseStatusException(HttpStatus.BAD_REQUEST, parameter + " '" + part.strip()
                        + "' is unknown; use one or more of " + EnumSet.allOf(type).stream()
                                .map(v -> v.name().toLowerCase(Locale.ROOT)).toList() + ", separated by commas");
            }
        }
        return set;
    }

    /** Registrations per source: in the store, or for a source that pushes to Plecto, those Plecto holds. */
    private Map<String, Long> counts() {
        Map<String, Long> counts = store.countsBySource();
        counts.putAll(plecto.pushedCounts());
        return counts;
    }

    private SourcePipeline pipeline(String id) {
        return tributary.pipeline(id).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND,
                "no source '" + id + "'; known: " + tributary.pipelines().stream().map(SourcePipeline::id).toList()));
    }

    private SourceView view(SourcePipeline p, Map<String, Long> counts) {
        SourceStatus status = p.status();
        RunView last = status.lastRun() != null ? RunView.of(status.lastRun()) : RunView.of(importLog.lastFinished(p.id()));
        return view(p, status, last, checkpoints.current(p.id()), counts.getOrDefault(p.id(), 0L));
    }

    private SourceView view(SourcePipeline p, SourceStatus status, RunView last, Instant checkpoint, Long registrations) {
        SourceDefinition d = p.definition();
        String state = status.lastRun() == null && last != null && !"succeeded".equals(last.status()) ? "failing" : status.state();
        Long lag = checkpoint == null ? null : Duration.between(checkpoint, clock.instant()).toSeconds();
        Window remaining = status.remaining();
        return new SourceView(d.id(), d.url(), d.username(), d.memberIdSource(), d.timezone().getId(),
                d.updateFrequency().toSeconds(), status.effectiveInterval().toSeconds(), state,
                checkpoint, status.nextRunAt(), registrations, last, lag,
                intervalChanges.last(d.id()).orElse(null), p.pausedBecause().orElse(null),
                SourceView.Settings.of(d, status.effectiveInterval()), remaining == null ? null : remaining.lower(),
                remaining == null ? null : remaining.upper(), Tributary.statementWarnings(p.template()));
    }
}
