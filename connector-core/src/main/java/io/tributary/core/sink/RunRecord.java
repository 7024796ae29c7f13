package io.tributary.core.sink;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

import io.tributary.core.mapping.Rejection;
import io.tributary.core.window.Window;

/**
 * The import log's record of one run.
 *
 * @param rejections a bounded sample of the rejected rows with reasons; {@code rejected} has the full count
 * @param error      why the run failed, without secrets; {@code null} when it succeeded
 * @param note       what an operator should know about a run that did not fail: it stopped at the row cap, the
 *                   checkpoint could not move; {@code null} when there is nothing to say
 * @param complete   the run read its whole window; {@code false} when it stopped at the row cap
 * @param checkpoint the source's checkpoint after the run ({@code null} when it has none, and for runs that never
 *                   move it: historical and test runs)
 * @param interval   the poll interval in force when the run started ({@code null} when not known)
 */
public record RunRecord(
        long runId,
        String sourceId,
        RunKind kind,
        Window window,
        Instant startedAt,
        Duration duration,
        RunStatus status,
        long read,
        long inserted,
        long updated,
        long unchanged,
        long deleted,
        long rejected,
        long duplicates,
        List<Rejection> rejections,
        @Nullable String error,
        @Nullable String note,
        boolean complete,
        @Nullable Instant checkpoint,
        @Nullable Duration interval) {

    public RunRecord {
        requireNonNull(sourceId, "sourceId must not be null");
        requireNonNull(kind, "kind must not be null");
        requireNonNull(window, "window must not be null");
        requireNonNull(startedAt, "startedAt must not be null");
        requireNonNull(duration, "duration must not be null");
        requireNonNull(status, "status must not be null");
        rejections = List.copyOf(requireNonNull(rejections, "rejections must not be null"));
    }

    public boolean succeeded() {
        return status == RunStatus.SUCCEEDED;
    }

    /**
     * An idle poll: an automatic run that succeeded, read its whole window, found nothing and has nothing to say. Most
     * runs of a caught-up source are idle; the import log keeps them as one summary row and the log at DEBUG.
     */
    public boolean idle() {
        return kind == RunKind.AUTOMATIC && succeeded() && complete && note == null && read == 0 && inserted == 0
                && updated == 0 && unchanged == 0 && deleted == 0 && rejected == 0 && duplicates == 0 && rejections.isEmpty();
    }
}
