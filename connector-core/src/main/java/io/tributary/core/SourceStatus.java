package io.tributary.core;

import java.time.Duration;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

import io.tributary.core.sink.RunRecord;

/**
 * A source's state as an operator sees it.
 *
 * @param state             {@code idle}, {@code running} or {@code failing} (the last run failed)
 * @param lastRun           the last finished run, or {@code null} before the first
 * @param effectiveInterval the interval the poll loop uses now
 * @param nextRunAt         when the poll loop runs next, {@code null} when not polling
 */
public record SourceStatus(String state, @Nullable RunRecord lastRun, Duration effectiveInterval,
        @Nullable Instant nextRunAt) {
}
