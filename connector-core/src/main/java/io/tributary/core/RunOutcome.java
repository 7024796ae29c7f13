package io.tributary.core;

import org.jspecify.annotations.Nullable;

import io.tributary.core.sink.RunRecord;

/**
 * A run's record plus what the poll loop needs to decide what comes next.
 *
 * @param failure  why it failed, for classifying transient and permanent failures; {@code null} on success
 * @param backlog  it stopped at the row cap and moved the checkpoint: more rows wait, run again at once
 */
record RunOutcome(RunRecord record, @Nullable Throwable failure, boolean backlog) {

    boolean failedTransiently() {
        return failure != null && Failures.isTransient(failure);
    }

    boolean failedPermanently() {
        return failure != null && !Failures.isTransient(failure);
    }
}
