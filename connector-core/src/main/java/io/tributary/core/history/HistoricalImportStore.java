package io.tributary.core.history;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Where historical imports keep their progress, so that an import interrupted by a crash resumes at its first
 * unfinished chunk. Saved after every chunk.
 */
public interface HistoricalImportStore {

    /** Inserts or replaces the import's record. */
    Mono<Void> save(HistoricalImport state);

    /** The import, or empty when there is none with this id. */
    Mono<HistoricalImport> find(String id);

    /** Imports still {@link ImportStatus#RUNNING}, oldest first: the ones to resume at start-up. */
    Flux<HistoricalImport> unfinished();
}
