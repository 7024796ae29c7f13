package io.tributary.core;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;

import io.tributary.core.mapping.Registration;
import io.tributary.core.mapping.Rejection;
import io.tributary.core.window.Window;

/**
 * What a test query found in one window: nothing of it was written anywhere but the import log.
 *
 * @param runId      the TEST run's id in the import log
 * @param rows       rows the statement returned (all of them were streamed and counted)
 * @param mapped     rows that would become registrations
 * @param rejected   rows that would be rejected; {@code rejections} holds a sample with reasons
 * @param duplicates references returned more than once (the last would win)
 * @param columns    the result's columns, in order; empty when the statement returned no row
 * @param sample     the first mapped registrations, at most {@link #SAMPLE_SIZE}
 * @param error      why the query failed, without secrets; {@code null} when it ran
 */
public record TestQueryResult(long runId, String sourceId, Window window, Duration duration, long rows, long mapped,
        long rejected, long duplicates, List<String> columns, List<Registration> sample, List<Rejection> rejections,
        @Nullable String error) {

    /** Mapped rows kept for the answer; the rest are only counted. */
    public static final int SAMPLE_SIZE = 20;

    public TestQueryResult {
        requireNonNull(sourceId, "sourceId must not be null");
        requireNonNull(window, "window must not be null");
        requireNonNull(duration, "duration must not be null");
        columns = List.copyOf(requireNonNull(columns, "columns must not be null"));
        sample = List.copyOf(requireNonNull(sample, "sample must not be null"));
        rejections = List.copyOf(requireNonNull(rejections, "rejections must not be null"));
    }

    public boolean succeeded() {
        return error == null;
    }
}
