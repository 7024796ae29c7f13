package io.tributary.core;

import java.time.Duration;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

import io.tributary.core.sink.RunRecord;

/**
 * A run's record plus what the poll loop and historical imports need to decide what comes next.
 *
 * @param failure  why it failed, for classifying transient and permanent failures; {@code null} on success
 * @param backlog  it stopped at the row cap and moved the checkpoint: more rows wait, run again at once
 * @param stopped  it stopped at the row cap and left rows of its window unread
 * @param split    for a stopped run: where its window may be narrowed ({@link io.tributary.core.window.RowCap#splitPoint()}),
 *                 {@code null} when it cannot be split and must be read whole
 * @param sourceTime how long the run waited for its source, not for its sink: what the adaptive interval is fed
 * @param preview    what a test query found, {@code null} for other runs
 */
record RunOutcome(RunRecord record, @Nullable Throwable failure, boolean backlog, boolean stopped, @Nullable Instant split,
        Duration sourceTime, @Nullable TestQueryResult preview) {

    RunOutcome(RunRecord record, @Nullable Throwable failure) {
        this(record, failure, false, false, null, record.duration(), null);
    }

    RunOutcome withPreview(TestQueryResult found) {
        return new RunOutcome(record, failure, backlog, stopped, split, sourceTime, found);
    }

    boolean failedTransiently() {
        return failure != null && Failures.isTransient(failure);
    }

    boolean failedPermanently() {
        return failure != null && !Failures.isTransient(failure);
    }
}
