package io.tributary.app.web;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

import io.tributary.core.mapping.Rejection;
import io.tributary.core.sink.RunRecord;

/**
 * One run as the API shows it.
 *
 * @param effectiveIntervalSeconds the source's poll interval in force when the run started
 */
public record RunView(long id, String source, String kind, String status, Instant windowFrom, Instant windowTo,
        Instant startedAt, long durationMs, long read, long inserted, long updated, long unchanged, long deleted,
        long rejected, long duplicates, List<Rejection> rejections, String error, String note,
        Long effectiveIntervalSeconds) {

    static RunView of(RunRecord r, Long effectiveIntervalSeconds) {
        return r == null ? null : new RunView(r.runId(), r.sourceId(), r.kind().name().toLowerCase(Locale.ROOT),
                r.status().name().toLowerCase(Locale.ROOT), r.window().lower(), r.window().upper(), r.startedAt(),
                r.duration().toMillis(), r.read(), r.inserted(), r.updated(), r.unchanged(), r.deleted(), r.rejected(),
                r.duplicates(), r.rejections(), r.error(), r.note(), effectiveIntervalSeconds);
    }
}
