package io.tributary.app.web;

import java.time.Instant;
import java.util.Locale;

import io.tributary.app.store.JdbcImportLog;

/**
 * One run on a plot: when it started, how long it took, how many rows it read, how it ended and the poll interval in
 * force (null for runs logged before that was recorded). A row of consecutive idle runs is one point: {@code polls}
 * runs started from {@code startedAt} to {@code lastStartedAt}, {@code durationMs} the longest of them.
 */
public record RunPointView(long id, String kind, String status, Instant startedAt, long durationMs, long read,
        Long effectiveIntervalSeconds, long polls, Instant lastStartedAt) {

    static RunPointView of(JdbcImportLog.RunPoint p) {
        return new RunPointView(p.id(), p.kind().name().toLowerCase(Locale.ROOT), p.status().name().toLowerCase(Locale.ROOT),
                p.startedAt(), p.durationMs(), p.read(), p.effectiveIntervalSeconds(), p.polls(), p.lastStartedAt());
    }
}
