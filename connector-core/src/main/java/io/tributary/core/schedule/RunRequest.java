package io.tributary.core.schedule;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

import org.jspecify.annotations.Nullable;

import io.tributary.core.sink.RunKind;
import io.tributary.core.window.Window;

/**
 * A request for one run of a source: from the poll loop, an operator, or a historical import.
 *
 * @param window the window to read, or {@code null} to read from the checkpoint to the source's clock
 */
public record RunRequest(RunKind kind, @Nullable Window window) {

    public RunRequest {
        requireNonNull(kind, "kind must not be null");
        if (kind == RunKind.HISTORICAL && window == null) {
            throw new IllegalArgumentException("a historical run needs a window");
        }
    }

    public static RunRequest automatic() {
        return new RunRequest(RunKind.AUTOMATIC, null);
    }

    public static RunRequest manual() {
        return new RunRequest(RunKind.MANUAL, null);
    }

    public static RunRequest historical(Window window) {
        return new RunRequest(RunKind.HISTORICAL, requireNonNull(window, "window must not be null"));
    }

    public Optional<Window> explicitWindow() {
        return Optional.ofNullable(window);
    }
}
