package io.tributary.app.web;

import java.time.Instant;
import java.util.List;

/**
 * One source as the API shows it. The URL is shown without its password (passwords are kept apart from it at
 * start-up), and the password itself never.
 *
 * @param state         {@code idle} (caught up), {@code running}, {@code catching-up}, {@code failing}, {@code paused}
 *                      or {@code stalled}
 * @param catchingUpFrom while catching up: the checkpoint; {@code null} when caught up
 * @param catchingUpTo   while catching up: the source's clock (less the settle time) as the last run saw it
 * @param warnings      what the statement gets wrong about the window, as logged at start-up
 */
public record SourceView(String id, String url, String username, String memberIdSource, String timezone,
        long updateFrequencySeconds, long effectiveIntervalSeconds, String state, Instant checkpoint, Instant nextRunAt,
        long registrations, RunView lastRun, Instant catchingUpFrom, Instant catchingUpTo, List<String> warnings) {
}
