package io.tributary.app.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as users write them in environment variables: {@code 90s}, {@code 5m}, {@code 1h}, {@code PT5M}. */
final class Durations {

    private static final Pattern SIMPLE = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

    private Durations() {
    }

    static Duration parse(String variable, String value) {
        String v = value.strip().toLowerCase(Locale.ROOT);
        if (v.startsWith("-") || v.startsWith("p-") || v.startsWith("pt-")) {
            throw new ConfigurationException(variable + "='" + value + "' is negative; it must be 0 or more");
        }
        Matcher m = SIMPLE.matcher(v);
        try {
            if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                return switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                };
            }
            if (v.startsWith("p")) {
                Duration d = Duration.parse(v.toUpperCase(Locale.ROOT));
                if (d.isNegative()) {
                    throw new ConfigurationException(variable + "='" + value + "' is negative; it must be 0 or more");
                }
                return d;
            }
        } catch (DateTimeParseException | ArithmeticException e) {
            // fall through to the message below
        }
        throw new ConfigurationException(variable + "='" + value + "' is not a duration; write e.g. 30s, 1m, 15m, 1h or PT5M");
    }
}
