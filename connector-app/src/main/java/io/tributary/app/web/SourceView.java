package io.tributary.app.web;

import java.time.Instant;

/**
 * One source as the API shows it. The URL is shown without its password (passwords are kept apart from it at
 * start-up), and the password itself never. {@code checkpoint} and {@code registrations} are {@code null} when the
 * store could not be read (the answer then comes from memory).
 */
public record SourceView(String id, String url, String username, String memberIdSource, String timezone,
        long updateFrequencySeconds, long effectiveIntervalSeconds, String state, Instant checkpoint, Instant nextRunAt,
        Long registrations, RunView lastRun) {
}
