package io.tributary.app.web;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

import io.tributary.app.store.JdbcImportLog;
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
 * @param polls                    how many runs the row stands for: 1, or for consecutive idle automatic runs of the
 *                                 source (succeeded, read nothing) kept as one row, how many there were; then
 *                                 {@code id}, {@code startedAt} and {@code windowFrom} are the first run's,
 *                                 {@code windowTo}, {@code checkpoint} and the interval the last one's, and
 *                                 {@code durationMs} the longest
 * @param lastStartedAt            when the last of those runs started ({@code startedAt} for a single run)
 */
public record RunView(long id, String source, String kind, String status, Instant windowFrom, Instant windowTo,
        Instant startedAt, long durationMs, long read, long inserted, long updated, long unchanged, long deleted,
        long rejected, long duplicates, List<Rejection> rejections, String error, String note, boolean complete,
        Instant checkpoint, Long effectiveIntervalSeconds, long polls, Instant lastStartedAt) {

    static RunView of(RunRecord r) {
        return r == null ? null : of(r, 1, r.startedAt());
    }

    static RunView of(JdbcImportLog.LoggedRun logged) {
        return logged == null ? null : of(logged.run(), logged.polls(), logged.lastStartedAt());
    }

    private static RunView of(RunRecord r, long polls, Instant lastStartedAt) {
        return new RunView(r.runId(), r.sourceId(), r.kind().name().toLowerCase(Locale.ROOT),
                r.status().name().toLowerCase(Locale.ROOT), r.window().lower(), r.window().upper(), r.startedAt(),
                r.duration().toMillis(), r.read(), r.inserted(), r.updated(), r.unchanged(), r.deleted(), r.rejected(),
                r.duplicates(), r.rejections(), r.error(), r.note(), r.complete(), r.checkpoint(),
                r.interval() == null ? null : r.interval().toSeconds(), polls, lastStartedAt);
    }
}
