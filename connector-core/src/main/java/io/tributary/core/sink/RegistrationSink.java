package io.tributary.core.sink;

import reactor.core.publisher.Mono;

/**
 * Where registrations go: the registration store, an HTTP API, Kafka. A write must be idempotent (an upsert by
 * source and reference): a failed run is re-read and written again.
 */
public interface RegistrationSink {

    /**
     * Writes one batch. The returned {@code Mono} completes only when the batch is durable downstream; the
     * checkpoint moves only after every batch of a run has completed.
     */
    Mono<WriteResult> write(SinkBatch batch);

    /**
     * How many batches of one run this sink takes at once (default 1: one after the other, in order). Above 1, the
     * pipeline splits a run's rows into that many lanes by reference, so that all rows of one reference go to the
     * same lane, in order, and the last of them still wins; each lane writes its batches one after the other.
     */
    default int concurrentWrites() {
        return 1;
    }
}
