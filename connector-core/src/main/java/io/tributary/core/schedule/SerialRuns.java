package io.tributary.core.schedule;

import java.util.function.Function;

import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;

/**
 * Runs the requests of one source one after another, whoever submits them (poll loop, "run now", historical
 * imports, CLI), so that runs of one source never overlap.
 */
public final class SerialRuns<T> implements Disposable {

    private record Job<T>(RunRequest request, Sinks.One<T> result) {
    }

    private final Sinks.Many<Job<T>> queue = Sinks.many().unicast().onBackpressureBuffer();
    private final Disposable worker;

    private final Scheduler delivery;

    /**
     * @param runner   runs one request
     * @param delivery where results are handed to whoever submitted: never inline on the thread that finished the
     *                 run, which may hold the global limiter's lock while the submitter queues its next run here
     */
    public SerialRuns(Function<RunRequest, Mono<T>> runner, Scheduler delivery) {
        this.delivery = delivery;
        this.worker = queue.asFlux()
                .concatMap(job -> runner.apply(job.request())
                        .doOnNext(job.result()::tryEmitValue)
                        .doOnError(job.result()::tryEmitError)
                        .doOnCancel(() -> job.result().tryEmitEmpty())
                        .onErrorResume(e -> Mono.empty())
                        // concatMap keeps the last inner's subscription until the next job: without this, the
                        // finished run's chain (its ImportRun, record and operators) stays in memory between runs
                        .onTerminateDetach(), 0)
                .subscribe();
    }

    /** Queues a run; the returned {@code Mono} completes with its result when it has run. */
    public Mono<T> submit(RunRequest request) {
        return Mono.defer(() -> {
            Sinks.One<T> result = Sinks.one();
            Sinks.EmitResult emitted;
            synchronized (queue) {
                emitted = queue.tryEmitNext(new Job<>(request, result));
            }
            if (emitted.isFailure()) {
                return Mono.error(new IllegalStateException("runs of this source are stopped (" + emitted + ")"));
            }
            return result.asMono().publishOn(delivery);
        });
    }

    @Override
    public void dispose() {
        synchronized (queue) {
            queue.tryEmitComplete();
        }
        worker.dispose();
    }

    @Override
    public boolean isDisposed() {
        return worker.isDisposed();
    }
}
