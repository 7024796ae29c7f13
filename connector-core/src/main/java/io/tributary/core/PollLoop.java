package io.tributary.core;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * One source's poll loop: an automatic run, then a wait computed after it, and again; never a fixed tick. A run
 * that did not catch up is followed at once. A transient failure is retried with exponential backoff and jitter,
 * capped at the interval; a permanent one pauses the loop until an operator's run succeeds.
 */
final class PollLoop {

    private static final Logger log = LoggerFactory.getLogger(PollLoop.class);

    /** First retry delay after a transient failure; doubles up to the interval. */
    static final Duration FIRST_RETRY = Duration.ofSeconds(1);

    private final PipelineContext ctx;
    private final Function<Instant, Mono<RunOutcome>> automaticRun;
    private final Supplier<Duration> interval;
    private final Consumer<Throwable> unrecorded;
    private volatile @Nullable Disposable loop;
    private volatile @Nullable Instant nextRunAt;
    private volatile @Nullable String pausedBecause;

    /**
     * @param automaticRun submits an automatic run planned for the given time, queued with the source's other runs
     * @param interval     the effective interval in force
     * @param unrecorded   told of a run that could not even be recorded (the store is down)
     */
    PollLoop(PipelineContext ctx, Function<Instant, Mono<RunOutcome>> automaticRun, Supplier<Duration> interval,
            Consumer<Throwable> unrecorded) {
        this.ctx = ctx;
        this.automaticRun = automaticRun;
        this.interval = interval;
        this.unrecorded = unrecorded;
    }

    synchronized void start(Duration initialDelay) {
        if (loop != null) {
            return;
        }
        nextRunAt = ctx.clock().instant().plus(initialDelay);
        loop = Mono.delay(initialDelay, ctx.scheduler())
                .then(Mono.defer(this::cycle).repeat().then())
                .subscribe();
        log.info("source {}: polling every {}", id(), interval.get());
    }

    synchronized void stop() {
        Disposable running = loop;
        if (running != null) {
            running.dispose();
            loop = null;
        }
        nextRunAt = null;
    }

    @Nullable Instant nextRunAt() {
        return nextRunAt;
    }

    @Nullable String pausedBecause() {
        return pausedBecause;
    }

    /** An operator's run succeeded: automatic runs resume. */
    void resume() {
        if (pausedBecause != null) {
            log.info("source {}: a manual run succeeded, automatic runs resume", id());
            pausedBecause = null;
        }
    }

    /** One automatic run (with its retries), then the wait before the next. */
    private Mono<Void> cycle() {
        if (pausedBecause != null) {
            return waitFor(interval.get());
        }
        return withRetries()
                .map(outcome -> {
                    if (outcome.failedPermanently()) {
                        pausedBecause = outcome.record().error();
                        log.warn("source {}: automatic runs are paused until the configuration is fixed or an operator "
                                + "asks for a run (POST /api/sources/{}/run): {}", id(), id(), pausedBecause);
                    }
                    return outcome.backlog() ? Duration.ZERO : interval.get();
                })
                .onErrorResume(e -> {
                    // a failure to record the run (store down for good) must not end polling
                    log.error("source {}: run could not be completed: {}", id(), ctx.describe(e));
                    unrecorded.accept(e);
                    return Mono.just(interval.get());
                })
                // the wait would otherwise hold the finished run's submission (retries, result sink, operators) until
                // the next run; with 10,000 sources nearly all of them are waiting at any time
                .onTerminateDetach()
                .flatMap(this::waitFor);
    }

    private Mono<RunOutcome> withRetries() {
        Duration cap = interval.get();
        return Mono.defer(() -> {
                    Instant planned = nextRunAt;
                    return automaticRun.apply(planned != null ? planned : ctx.clock().instant());
                })
                .flatMap(o -> o.failedTransiently() ? Mono.error(new RetryableRun(o)) : Mono.just(o))
                .retryWhen(Retry.backoff(Long.MAX_VALUE, FIRST_RETRY)
                        .maxBackoff(cap.compareTo(FIRST_RETRY) < 0 ? FIRST_RETRY : cap)
                        .jitter(0.5)
                        .scheduler(ctx.scheduler())
                        .filter(RetryableRun.class::isInstance)
                        .doBeforeRetry(signal -> {
                            RetryableRun failed = (RetryableRun) signal.failure();
                            nextRunAt = null;
                            log.info("source {}: retry {} after a transient failure: {}", id(),
                                    signal.totalRetries() + 1, failed.outcome.record().error());
                        }));
    }

    private Mono<Void> waitFor(Duration delay) {
        nextRunAt = ctx.clock().instant().plus(delay);
        return Mono.delay(delay, ctx.scheduler()).then();
    }

    private String id() {
        return ctx.definition().id();
    }

    /** Carries a transiently failed run through Reactor's retry. */
    private static final class RetryableRun extends RuntimeException {
        private final transient RunOutcome outcome;

        RetryableRun(RunOutcome outcome) {
            super(outcome.record().error(), null, false, false);
            this.outcome = outcome;
        }
    }
}
