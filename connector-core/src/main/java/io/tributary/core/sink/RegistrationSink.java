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
}
