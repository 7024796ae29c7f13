package io.tributary.core.schedule;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import io.tributary.core.sink.RunKind;
import io.tributary.core.window.Window;

/**
 * A request for one run of a source: from the poll loop, an operator, or a historical import.
 *
 * @param window    the window to read, or {@code null} to read from the checkpoint to the source's clock
 * @param plannedAt when the run should start: the poll loop's planned time, or when an operator asked; how late
 *                  runs really start (waiting for a free slot) is measured against it
 */
public record RunRequest(RunKind kind, @Nullable Window window, Instant plannedAt) {

    public RunRequest {
        requireNonNull(kind, "kind must not be null");
        requireNonNull(plannedAt, "plannedAt must not be null");
        if (kind == RunKind.HISTORICAL && window == null) {
            throw new IllegalArgumentException("a historical run needs a window");
        }
    }

    public static RunRequest automatic(Instant plannedAt) {
        return new RunRequest(RunKind.AUTOMATIC, null, plannedAt);
    }

    public static RunRequest manual(Instant requestedAt) {
        return new RunRequest(RunKind.MANUAL, null, requestedAt);
    }

    public static RunRequest historical(Window window, Instant requestedAt) {
        return new RunRequest(RunKind.HISTORICAL, requireNonNull(window, "window must not be null"), requestedAt);
    }

    public Optional<Window> explicitWindow() {
        return Optional.ofNullable(window);
    }
}
