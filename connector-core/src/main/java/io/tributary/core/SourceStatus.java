package io.tributary.core;

import java.time.Duration;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

import io.tributary.core.sink.RunRecord;
import io.tributary.core.window.Window;

/**
 * A source's state as an operator sees it.
 *
 * @param state             {@code idle} (caught up), {@code running}, {@code catching-up} (runs follow at once until the
 *                          checkpoint reaches the source's clock), {@code failing} (the last run failed), {@code paused}
 *                          (after a permanent failure) or {@code stalled} (many runs without moving the checkpoint)
 * @param lastRun           the last finished run, or {@code null} before the first
 * @param effectiveInterval the interval the poll loop uses now
 * @param nextRunAt         when the poll loop runs next, {@code null} when not polling
 * @param remaining         while catching up: from the checkpoint to the source's clock (less the settle time) as seen
 *                          by the last run; {@code null} when caught up
 */
public record SourceStatus(String state, @Nullable RunRecord lastRun, Duration effectiveInterval,
        @Nullable Instant nextRunAt, @Nullable Window remaining) {
}
