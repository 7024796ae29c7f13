package io.tributary.core.event;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * Fans {@link ImportEvent}s out to whoever listens (SSE clients, metrics, logs). Publishing never blocks a
 * pipeline: a subscriber that cannot keep up misses events rather than slowing imports down.
 */
public final class EventBus {

    private final Sinks.Many<ImportEvent> sink = Sinks.many().multicast().directBestEffort();

    /** Publishes from any thread. */
    public void publish(ImportEvent event) {
        synchronized (sink) {
            sink.tryEmitNext(event);
        }
    }

    /** Events from now on. */
    public Flux<ImportEvent> events() {
        return sink.asFlux();
    }

    public void close() {
        synchronized (sink) {
            sink.tryEmitComplete();
        }
    }
}
