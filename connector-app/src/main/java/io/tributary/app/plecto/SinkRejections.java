package io.tributary.app.plecto;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.tributary.core.mapping.Rejection;
import io.tributary.core.sink.ImportLog;
import io.tributary.core.sink.RunKind;
import io.tributary.core.sink.RunRecord;
import io.tributary.core.window.Window;
import reactor.core.publisher.Mono;

/**
 * The registrations Plecto refused, per run, added to the run's record when the import log records how it ended:
 * the core's sink interface reports counts only, so the Plecto sink hands its rejections to this decorator of the
 * import log. The run's {@code rejected} count grows by them and they join its sample (up to {@value #SAMPLE} in
 * all). The run-finished event and the source's last run in memory are the core's record, without them.
 */
final class SinkRejections implements ImportLog {

    /** As many rejections as the core keeps per run. */
    static final int SAMPLE = 100;

    private final ImportLog log;
    private final Map<Long, Collected> byRun = new ConcurrentHashMap<>();

    SinkRejections(ImportLog log) {
        this.log = log;
    }

    private static final class Collected {
        long count;
        final List<Rejection> sample = new ArrayList<>();
    }

    /** Plecto refused a registration of run {@code runId}. */
    void add(long runId, String reference, String reason) {
        Collected c = byRun.computeIfAbsent(runId, k -> new Collected());
        synchronized (c) {
            c.count++;
            if (c.sample.size() < SAMPLE) {
                c.sample.add(new Rejection(0, reference, reason));
            }
        }
    }

    @Override
    public Mono<Long> started(String sourceId, RunKind kind, Window window, Instant startedAt) {
        return log.started(sourceId, kind, window, startedAt);
    }

    @Override
    public Mono<Void> finished(RunRecord r) {
        Collected c = byRun.remove(r.runId());
        if (c == null) {
            return log.finished(r);
        }
        List<Rejection> rejections;
        long count;
        synchronized (c) {
            rejections = new ArrayList<>(r.rejections());
            for (Rejection rejection : c.sample) {
                if (rejections.size() < SAMPLE) {
                    rejections.add(rejection);
                }
            }
            count = c.count;
        }
        return log.finished(new RunRecord(r.runId(), r.sourceId(), r.kind(), r.window(), r.startedAt(), r.duration(),
                r.status(), r.read(), r.inserted(), r.updated(), r.unchanged(), r.deleted(), r.rejected() + count,
                r.duplicates(), rejections, r.error(), r.note(), r.complete(), r.checkpoint(), r.interval()));
    }
}
