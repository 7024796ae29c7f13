package io.tributary.app.web;

import java.util.List;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

import io.tributary.app.imports.HistoricalImports;
import io.tributary.app.store.JdbcHistoricalImports;
import io.tributary.app.store.StoreReads;
import io.tributary.core.history.HistoricalImport;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/** Historical imports: their progress, and cancellation. They are started with {@code POST /api/sources/{id}/imports}. */
@RestController
@RequestMapping("/api/imports")
class ImportsController {

    private final HistoricalImports imports;
    private final JdbcHistoricalImports reads;
    private final Scheduler storeScheduler;

    ImportsController(HistoricalImports imports, StoreReads reads) {
        this.imports = imports;
        this.reads = reads.imports();
        this.storeScheduler = reads.scheduler();
    }

    @GetMapping
    Mono<List<ImportView>> list(@RequestParam(required = false) String source, @RequestParam(defaultValue = "50") int limit) {
        if (limit < 1 || limit > 500) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "limit must be 1 to 500");
        }
        return Mono.fromCallable(() -> reads.list(source, limit).stream().map(ImportView::of).toList())
                .subscribeOn(storeScheduler);
    }

    @GetMapping("/{id}")
    Mono<ImportView> get(@PathVariable String id) {
        return Mono.fromCallable(() -> ImportView.of(reads.findBlocking(id).orElseThrow(() -> notFound(id))))
                .subscribeOn(storeScheduler);
    }

    /** Cancels between chunks: 202 while the running chunk finishes, 200 when it was not running here. */
    @DeleteMapping("/{id}")
    Mono<ResponseEntity<ImportView>> cancel(@PathVariable String id) {
        return Mono.fromCallable(() -> {
            HistoricalImports.Cancelled outcome = imports.cancel(id);
            switch (outcome) {
                case NOT_FOUND:
                    throw notFound(id);
                case ALREADY_FINISHED:
                    throw new ResponseStatusException(HttpStatus.CONFLICT, "import " + id + " has already "
                            + found(id).status().label() + "; there is nothing to cancel");
                case REQUESTED:
                    return ResponseEntity.status(HttpStatus.ACCEPTED).body(ImportView.of(found(id)));
                default:
                    return ResponseEntity.ok(ImportView.of(found(id)));
            }
        }).subscribeOn(storeScheduler);
    }

    private HistoricalImport found(String id) {
        return imports.find(id).orElseThrow(() -> notFound(id));
    }

    private static ResponseStatusException notFound(String id) {
        return new ResponseStatusException(HttpStatus.NOT_FOUND, "no historical import '" + id + "'");
    }
}
