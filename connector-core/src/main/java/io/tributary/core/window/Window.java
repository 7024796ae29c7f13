package io.tributary.core.window;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * The half-open time range {@code [lower, upper)} one run reads: {@code lower} is bound to
 * {@code {{ last_update_time }}}, {@code upper} to {@code {{ upper_date_limit }}}.
 */
public record Window(Instant lower, Instant upper) {
    public Window {
        requireNonNull(lower, "lower must not be null");
        requireNonNull(upper, "upper must not be null");
        if (upper.isBefore(lower)) {
            throw new IllegalArgumentException("window upper >= lower required but it was [" + lower + ", " + upper + ")");
        }
    }

    @Override
    public String toString() {
        return "[" + lower + ", " + upper + ")";
    }
}
