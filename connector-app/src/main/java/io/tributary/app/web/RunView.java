package io.tributary.app.web;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

import io.tributary.core.mapping.Rejection;
import io.tributary.core.sink.RunRecord;

/**
 * One run as the API shows it.
 *
 * @param complete                 the run read its whole window; {@code false} when it stopped at the row cap (its
 *                                 source is catching up)
 * @param checkpoint               the source's checkpoint after the run ({@code null} for historical and test runs)
 * @param effectiveIntervalSeconds the source's poll interval in force when the run started ({@code null} only in
 *                                 records written before Tributary kept it)
 */
public record RunView(long id, String source, String kind, String status, Instant windowFrom, Instant windowTo,
        Instant startedAt, long durationMs, long read, long inserted, long updated, long unchanged, long deleted,
        long rejected, long duplicates, List<Rejection> rejections, String error, String note, boolean complete,
        Instant checkpoint, Long effectiveIntervalSeconds) {

    static RunView of(RunRecord r) {
        return r == null ? null : new RunView(r.runId(), r.sourceId(), r.kind().name().toLowerCase(Locale.ROOT),
                r.status().name().toLowerCase(Locale.ROOT), r.window().lower(), r.window().upper(), r.startedAt(),
                r.duration().toMillis(), r.read(), r.inserted(), r.updated(), r.unchanged(), r.deleted(), r.rejected(),
                r.duplicates(), r.rejections(), r.error(), r.note(), r.complete(), r.checkpoint(),
                r.interval() == null ? null : r.interval().toSeconds());
    }
}
