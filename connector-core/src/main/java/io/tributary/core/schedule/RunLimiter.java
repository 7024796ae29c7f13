package io.tributary.core.schedule;

import java.util.function.Supplier;

import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Bounds how many runs execute at once across all sources of one {@link io.tributary.core.Tributary}: a run waits
 * for a free slot without holding a thread. Runs start in the order they asked.
 */
public final class RunLimiter implements Disposable {

    private record Job(Sinks.Empty<Void> started, Sinks.Empty<Void> done) {
    }

    private final int maxConcurrent;
    private final Sinks.Many<Job> queue = Sinks.many().unicast().onBackpressureBuffer();
    private final Disposable worker;

    public RunLimiter(int maxConcurrent) {
        if (maxConcurrent < 1) {
            throw new IllegalArgumentException("maxConcurrent >= 1 required but it was " + maxConcurrent);
        }
        this.maxConcurrent = maxConcurrent;
        this.worker = queue.asFlux()
                .flatMap(job -> {
                    job.started().tryEmitEmpty();
                    return job.done().asMono();
                }, maxConcurrent, 1)
                .subscribe();
    }

    public int maxConcurrent() {
        return maxConcurrent;
    }

    /** Runs {@code work} once a slot is free, and frees the slot when it ends, fails or is cancelled. */
    public <T> Mono<T> run(Supplier<Mono<T>> work) {
        return Mono.defer(() -> {
            Sinks.Empty<Void> started = Sinks.empty();
            Sinks.Empty<Void> done = Sinks.empty();
            synchronized (queue) {
                queue.tryEmitNext(new Job(started, done));
            }
            return started.asMono()
                    .then(Mono.defer(work::get))
                    .doFinally(signal -> done.tryEmitEmpty());
        });
    }

    @Override
    public void dispose() {
        worker.dispose();
    }

    @Override
    public boolean isDisposed() {
        return worker.isDisposed();
    }
}
