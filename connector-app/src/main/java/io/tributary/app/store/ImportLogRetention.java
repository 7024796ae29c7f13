package io.tributary.app.store;

import java.time.Clock;
import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Keeps the import log from growing forever: once a minute after start-up and then every hour, finished runs older
 * than the retention ({@code TRIBUTARY_IMPORT_LOG_RETENTION}) are deleted, with their rejections. Each source's newest
 * run stays whatever its age. A retention of zero keeps everything.
 */
public final class ImportLogRetention implements AutoCloseable {

    static final Duration FIRST_SWEEP = Duration.ofMinutes(1);
    static final Duration EVERY = Duration.ofHours(1);

    private static final Logger log = LoggerFactory.getLogger(ImportLogRetention.class);

    private final JdbcImportLog importLog;
    private final Duration retention;
    private final Clock clock;
    private final Disposable loop;

    public ImportLogRetention(JdbcImportLog importLog, Duration retention, Clock clock, Scheduler scheduler) {
        this.importLog = importLog;
        this.retention = retention;
        this.clock = clock;
        if (retention.isZero()) {
            log.info("import log: kept forever (TRIBUTARY_IMPORT_LOG_RETENTION=0)");
            this.loop = null;
            return;
        }
        // a deferred sweep, then a delay computed after it: never a fixed tick
        // timers on Reactor's parallel scheduler, the sweep itself on the store's threads (which keep no timers)
        this.loop = Mono.delay(FIRST_SWEEP, Schedulers.parallel())
                .then(Mono.fromRunnable(this::sweepQuietly).subscribeOn(scheduler)
                        .then(Mono.delay(EVERY, Schedulers.parallel())).repeat().then())
                .subscribe();
    }

    /** Whether the periodic sweep is scheduled (not with a retention of zero, nor after {@link #close}). */
    boolean scheduled() {
        return loop != null && !loop.isDisposed();
    }

    /** Deletes what is past the retention now; returns how many runs went (none with a retention of zero). */
    public int sweep() {
        if (retention.isZero()) {
            return 0;
        }
        int deleted = importLog.deleteFinishedBefore(clock.instant().minus(retention));
        if (deleted > 0) {
            log.info("import log: {} run(s) older than {} deleted", deleted, retention);
        }
        return deleted;
    }

    private void sweepQuietly() {
        try {
            sweep();
        } catch (RuntimeException e) {
            // the store may be down for a while; the next sweep tries again
            log.warn("import log: the retention sweep failed: {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        if (loop != null) {
            loop.dispose();
        }
    }
}
