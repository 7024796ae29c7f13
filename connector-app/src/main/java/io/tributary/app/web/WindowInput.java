package io.tributary.app.web;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

import io.tributary.core.window.Window;

/**
 * A window typed by a person ({@code from}/{@code to} in the API, {@code --from}/{@code --to} in the CLI): an ISO
 * timestamp with a zone ({@code 2024-01-01T00:00:00Z}, {@code 2024-01-01T01:00:00+01:00}) or a date, read as the
 * start of that day in UTC. Every mistake is an {@link IllegalArgumentException} whose message says what to write.
 */
public final class WindowInput {

    /** The longest range accepted at once: a hundred years, so a typo like 0024 or 9999 is caught. */
    public static final Duration MAX_RANGE = Duration.ofDays(36_525);

    private WindowInput() {
    }

    /**
     * @param fromName how the lower bound is called where the user typed it ({@code from}, {@code --from})
     * @param toName   how the upper bound is called
     */
    public static Window parse(String fromName, String from, String toName, String to) {
        if (from == null || from.isBlank()) {
            throw new IllegalArgumentException(fromName + " is missing; write e.g. 2024-01-01 or 2024-01-01T00:00:00Z");
        }
        if (to == null || to.isBlank()) {
            throw new IllegalArgumentException(toName + " is missing; write e.g. 2024-02-01 or 2024-02-01T00:00:00Z");
        }
        Instant lower = instant(fromName, from);
        Instant upper = instant(toName, to);
        if (!upper.isAfter(lower)) {
            throw new IllegalArgumentException(toName + " (" + upper + ") must be after " + fromName + " (" + lower + ")");
        }
        Duration range = Duration.between(lower, upper);
        if (range.compareTo(MAX_RANGE) > 0) {
            throw new IllegalArgumentException("the range " + lower + " to " + upper + " spans " + range.toDays()
                    + " days; at most " + MAX_RANGE.toDays() + " days (100 years) are accepted at once");
        }
        return new Window(lower, upper);
    }

    static Instant instant(String name, String value) {
        String v = value.strip();
        try {
            return OffsetDateTime.parse(v).toInstant();
        } catch (DateTimeParseException notTimestamp) {
            try {
                return LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException notDate) {
                try {
                    LocalDateTime.parse(v);
                    throw new IllegalArgumentException(name + " '" + shorten(v) + "' has no zone; add one, e.g. "
                            + v + "Z for UTC");
                } catch (DateTimeParseException notLocal) {
                    throw new IllegalArgumentException(name + " '" + shorten(v)
                            + "' is not an ISO date or timestamp; write e.g. 2024-01-01 or 2024-01-01T00:00:00Z");
                }
            }
        }
    }

    private static String shorten(String v) {
        return v.length() > 40 ? v.substring(0, 40) + "..." : v;
    }
}
