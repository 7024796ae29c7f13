package io.tributary.app.plecto;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;

/**
 * A request of a source to Plecto had to wait: for the account's request budget ({@code budget}) or for a 429's
 * {@code Retry-After} ({@code retry-after}). Published at most once per source and reason per
 * {@link RequestBudget#LOG_EVERY} (or per budget period, when longer), as the Server-Sent Event {@code plecto-wait}.
 *
 * @param delay how long this request waits
 * @param until when it goes out
 */
public record PlectoWait(String sourceId, Instant at, Duration delay, Instant until, String reason) {
    public PlectoWait {
        requireNonNull(sourceId, "sourceId must not be null");
        requireNonNull(at, "at must not be null");
        requireNonNull(delay, "delay must not be null");
        requireNonNull(until, "until must not be null");
        requireNonNull(reason, "reason must not be null");
    }

    /** The SSE event name. */
    public String type() {
        return "plecto-wait";
    }
}
