package io.tributary.core.schedule;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import io.tributary.core.sink.RunKind;
import io.tributary.core.window.RowCap;
import io.tributary.core.window.Window;

/**
 * A request for one run of a source: from the poll loop, an operator, or a historical import.
 *
 * @param window    the window to read, or {@code null} to read from the checkpoint to the source's clock
 * @param plannedAt when the run should start: the poll loop's planned time, or when an operator asked; how late
 *                  runs really start (waiting for a free slot) is measured against it
 * @param maxRows   the row cap of a run of an explicit window, {@link #NO_CAP} for none; a run from the checkpoint
 *                  takes the source's own cap instead
 */
public record RunRequest(RunKind kind, @Nullable Window window, Instant plannedAt, long maxRows) {

    /** No row cap. */
    public static final long NO_CAP = Long.MAX_VALUE;

    public RunRequest {
        requireNonNull(kind, "kind must not be null");
        requireNonNull(plannedAt, "plannedAt must not be null");
        if (kind == RunKind.HISTORICAL && window == null) {
            throw new IllegalArgumentException("a historical run needs a window");
        }
        if (maxRows < 1) {
            throw new IllegalArgumentException("maxRows >= 1 required but it was " + maxRows);
        }
        if (window == null && maxRows != NO_CAP) {
            throw new IllegalArgumentException("a run from the checkpoint takes the source's cap, not maxRows " + maxRows);
        }
    }

    /** A request without a cap of its own. */
    public RunRequest(RunKind kind, @Nullable Window window, Instant plannedAt) {
        this(kind, window, plannedAt, NO_CAP);
    }

    public static RunRequest automatic(Instant plannedAt) {
        return new RunRequest(RunKind.AUTOMATIC, null, plannedAt);
    }

    public static RunRequest manual(Instant requestedAt) {
        return new RunRequest(RunKind.MANUAL, null, requestedAt);
    }

    public static RunRequest historical(Window window, Instant requestedAt) {
        return historical(window, requestedAt, NO_CAP);
    }

    /** A historical run that stops reading at a cap of {@code maxRows} rows (the rules of {@link RowCap}). */
    public static RunRequest historical(Window window, Instant requestedAt, long maxRows) {
        return new RunRequest(RunKind.HISTORICAL, requireNonNull(window, "window must not be null"), requestedAt, maxRows);
    }

    public Optional<Window> explicitWindow() {
        return Optional.ofNullable(window);
    }
}
