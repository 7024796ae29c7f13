package io.tributary.core.sink;

import java.time.Instant;

import reactor.core.publisher.Mono;

/** Where each source's checkpoint (the upper bound of its last successful run) is kept. */
public interface CheckpointStore {

    /** The checkpoint, or empty before the first successful run. */
    Mono<Instant> load(String sourceId);

    /** Moves the checkpoint; called only after every batch of the run was acknowledged. */
    Mono<Void> save(String sourceId, Instant checkpoint);
}
