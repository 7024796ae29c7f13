package io.tributary.core;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Setting values as users write them, parsed one way for every front end (environment variables, Kafka Connect
 * properties): each caller says in its own words which setting was wrong.
 */
public final class SettingValues {

    private static final Pattern SIMPLE = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

    private SettingValues() {
    }

    /**
     * {@code 90s}, {@code 5m}, {@code 1h}, {@code 2d}, {@code 500ms} or ISO-8601 ({@code PT5M}); never negative.
     *
     * @return empty when {@code value} is not such a duration
     */
    public static Optional<Duration> duration(String value) {
        String v = value.strip().toLowerCase(Locale.ROOT);
        Matcher m = SIMPLE.matcher(v);
        try {
            if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                return Optional.of(switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                });
            }
            if (v.startsWith("p")) {
                Duration d = Duration.parse(v.toUpperCase(Locale.ROOT));
                return d.isNegative() ? Optional.empty() : Optional.of(d);
            }
        } catch (DateTimeParseException | ArithmeticException | NumberFormatException e) {
            // not a duration (or too long to be one): empty
        }
        return Optional.empty();
    }

    /**
     * An ISO instant ({@code 2024-01-01T00:00:00Z}), or a date ({@code 2024-01-01}) read as its start of day in
     * {@code zone}.
     *
     * @return empty when {@code value} is neither
     */
    public static Optional<Instant> instant(String value, ZoneId zone) {
        String v = value.strip();
        try {
            return Optional.of(OffsetDateTime.parse(v).toInstant());
        } catch (DateTimeParseException notInstant) {
            try {
                return Optional.of(LocalDate.parse(v).atStartOfDay(zone).toInstant());
            } catch (DateTimeParseException notDate) {
                return Optional.empty();
            }
        }
    }
}
