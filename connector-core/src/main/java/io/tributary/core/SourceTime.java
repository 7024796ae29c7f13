package io.tributary.core;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;

/**
 * How long a run waited for its source, as opposed to its sink: the time from the start of the run to the source's
 * last row, less the spans in which the source had no demand because the pipeline was busy writing (a store under
 * a lock, a slow API). The adaptive interval is fed this, so that Tributary's own waits never slow a source down.
 * The clock is read only when demand runs out or comes back, not per row. One per run.
 */
final class SourceTime {

    private final Scheduler clock;
    private final long startedAt;
    private long outstanding;
    private long idleSince = -1;
    private long idle;
    private long endedAt = -1;

    SourceTime(Scheduler clock) {
        this.clock = clock;
        this.startedAt = now();
    }

    <T> Flux<T> measure(Flux<T> rows) {
        return rows.doOnRequest(this::requested).doOnNext(row -> delivered()).doOnTerminate(this::ended)
                .doOnCancel(this::ended);
    }

    private synchronized void requested(long n) {
        outstanding = n == Long.MAX_VALUE || outstanding + n < 0 ? Long.MAX_VALUE : outstanding + n;
        if (idleSince >= 0) {
            idle += now() - idleSince;
            idleSince = -1;
        }
    }

    private synchronized void delivered() {
        if (outstanding != Long.MAX_VALUE && --outstanding == 0) {
            idleSince = now();
        }
    }

    private synchronized void ended() {
        if (endedAt < 0) {
            endedAt = now();
        }
    }

    /** The source's share of the run so far (all of it up to now when the source has not ended). */
    synchronized Duration spent() {
        long end = endedAt >= 0 ? endedAt : now();
        long blocked = idle + (idleSince >= 0 ? Math.max(0, end - idleSince) : 0);
        return Duration.ofMillis(Math.max(0, end - startedAt - blocked));
    }

    private long now() {
        return clock.now(TimeUnit.MILLISECONDS);
    }
}
