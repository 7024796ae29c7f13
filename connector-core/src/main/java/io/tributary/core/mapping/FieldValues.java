package io.tributary.core.mapping;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetTime;
import java.time.format.DateTimeFormatter;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * The value rules every dialect shares: how a Java value read from a source becomes an exact JSON value, and how
 * a date-like value becomes a UTC instant. Dialects first turn driver-specific types into the plain ones handled
 * here (a driver's JSON type into {@link RawJson}, a buffer into {@code byte[]}, an array into a {@code List}).
 * <ul>
 * <li>decimals stay exact ({@code 12.50} stays {@code 12.50}); integers of any size are JSON numbers</li>
 * <li>timestamps are ISO-8601 instants in UTC; a zone-less timestamp is read in the source's zone</li>
 * <li>dates and times of day stay as written ({@code 2024-03-01}, {@code 13:45:00})</li>
 * <li>bytes are base64; JSON columns are nested; NaN and infinities become strings</li>
 * </ul>
 */
public final class FieldValues {

    private FieldValues() {
    }

    /** Appends {@code value} as JSON. */
    public static void appendJson(StringBuilder out, @Nullable Object value, ZoneId zone) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof String s) {
            appendString(out, s);
        } else if (value instanceof Boolean || value instanceof Integer || value instanceof Long
                || value instanceof Short || value instanceof Byte || value instanceof BigInteger) {
            out.append(value);
        } else if (value instanceof BigDecimal d) {
            // toPlainString keeps the scale; a huge exponent would expand into thousands of digits, keep it short
            out.append(Math.abs(d.scale()) > 100 ? d.toString() : d.toPlainString());
        } else if (value instanceof Double d) {
            appendFloating(out, d, Double.toString(d));
        } else if (value instanceof Float f) {
            appendFloating(out, f, Float.toString(f));
        } else if (value instanceof RawJson json) {
            out.append(json.json());
        } else if (value instanceof byte[] bytes) {
            appendString(out, Base64.getEncoder().encodeToString(bytes));
        } else if (value instanceof ByteBuffer buffer) {
            byte[] bytes = new byte[buffer.remaining()];
            buffer.duplicate().get(bytes);
            appendString(out, Base64.getEncoder().encodeToString(bytes));
        } else if (value instanceof Collection<?> list) {
            appendArray(out, list, zone);
        } else if (value instanceof Object[] array) {
            appendArray(out, java.util.Arrays.asList(array), zone);
        } else if (value instanceof Map<?, ?> map) {
            appendObject(out, map, zone);
        } else if (value instanceof LocalTime time) {
            // LocalTime.toString drops zero seconds ("13:45"); a time of day always shows them
            appendString(out, DateTimeFormatter.ISO_LOCAL_TIME.format(time));
        } else if (value instanceof OffsetTime time) {
            appendString(out, DateTimeFormatter.ISO_OFFSET_TIME.format(time));
        } else {
            Optional<Instant> instant = exactInstant(value, zone);
            if (instant.isPresent()) {
                out.append('"');
                appendInstant(out, instant.get());
                out.append('"');
            } else {
                appendString(out, value.toString());
            }
        }
    }

    /** First second of year 0 and of year 10000: between them {@link Instant#toString} writes four-digit years. */
    private static final long YEAR_0 = -62_167_219_200L;
    private static final long YEAR_10000 = 253_402_300_800L;

    /** {@code instant.toString()} without its formatter: same text, ISO-8601 in UTC. */
    public static String isoInstant(Instant instant) {
        StringBuilder sb = new StringBuilder(30);
        appendInstant(sb, instant);
        return sb.toString();
    }

    /** Appends what {@link Instant#toString} returns, without building it through a formatter. */
    public static void appendInstant(StringBuilder out, Instant instant) {
        long seconds = instant.getEpochSecond();
        if (seconds < YEAR_0 || seconds >= YEAR_10000) {
            out.append(instant);
            return;
        }
        long days = Math.floorDiv(seconds, 86_400);
        int secondOfDay = (int) Math.floorMod(seconds, 86_400);
        // days to civil date (Howard Hinnant's algorithm), proleptic Gregorian like java.time
        long z = days + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long dayOfEra = z - era * 146_097;
        long yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
        long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        long mp = (5 * dayOfYear + 2) / 153;
        int day = (int) (dayOfYear - (153 * mp + 2) / 5 + 1);
        int month = (int) (mp < 10 ? mp + 3 : mp - 9);
        int year = (int) (yearOfEra + era * 400 + (month <= 2 ? 1 : 0));
        digits(out, year, 4);
        out.append('-');
        digits(out, month, 2);
        out.append('-');
        digits(out, day, 2);
        out.append('T');
        digits(out, secondOfDay / 3600, 2);
        out.append(':');
        digits(out, secondOfDay / 60 % 60, 2);
        out.append(':');
        digits(out, secondOfDay % 60, 2);
        int nanos = instant.getNano();
        if (nanos != 0) {
            // as java.time does: milliseconds, microseconds or nanoseconds, whichever is exact
            out.append('.');
            if (nanos % 1_000_000 == 0) {
                digits(out, nanos / 1_000_000, 3);
            } else if (nanos % 1000 == 0) {
                digits(out, nanos / 1000, 6);
            } else {
                digits(out, nanos, 9);
            }
        }
        out.append('Z');
    }

    private static void digits(StringBuilder out, int value, int width) {
        int divisor = 1;
        for (int i = 1; i < width; i++) {
            divisor *= 10;
        }
        for (; divisor > 0; divisor /= 10) {
            out.append((char) ('0' + value / divisor % 10));
        }
    }

    /** {@code value} as a JSON text. */
    public static String toJson(@Nullable Object value, ZoneId zone) {
        StringBuilder sb = new StringBuilder();
        appendJson(sb, value, zone);
        return sb.toString();
    }

    /**
     * The instant a date-like value stands for: instants and offset or zoned timestamps as they are, zone-less
     * timestamps in {@code zone}, a date at its start of day in {@code zone}, an ISO-8601 string by its form.
     * Empty when the value is not date-like.
     */
    public static Optional<Instant> toInstant(Object value, ZoneId zone) {
        if (value instanceof LocalDate d) {
            return Optional.of(d.atStartOfDay(zone).toInstant());
        }
        if (value instanceof String s) {
            return parseInstant(s.strip(), zone);
        }
        return exactInstant(value, zone);
    }

    private static Optional<Instant> exactInstant(Object value, ZoneId zone) {
        if (value instanceof Instant i) {
            return Optional.of(i);
        }
        if (value instanceof OffsetDateTime o) {
            return Optional.of(o.toInstant());
        }
        if (value instanceof ZonedDateTime z) {
            return Optional.of(z.toInstant());
        }
        if (value instanceof LocalDateTime l) {
            return Optional.of(l.atZone(zone).toInstant());
        }
        if (value instanceof java.util.Date d) {
            // java.sql.Date has no time part and throws on toInstant
            return Optional.of(value instanceof java.sql.Date sd ? sd.toLocalDate().atStartOfDay(zone).toInstant() : d.toInstant());
        }
        return Optional.empty();
    }

    private static Optional<Instant> parseInstant(String s, ZoneId zone) {
        String iso = s.length() > 10 && s.charAt(10) == ' ' ? s.substring(0, 10) + 'T' + s.substring(11) : s;
        try {
            return Optional.of(OffsetDateTime.parse(iso).toInstant());
        } catch (DateTimeParseException notOffset) {
            // try the zone-less forms next
        }
        try {
            return Optional.of(LocalDateTime.parse(iso).atZone(zone).toInstant());
        } catch (DateTimeParseException notLocal) {
            // try a plain date next
        }
        try {
            return Optional.of(LocalDate.parse(iso).atStartOfDay(zone).toInstant());
        } catch (DateTimeParseException notDate) {
            return Optional.empty();
        }
    }

    private static void appendFloating(StringBuilder out, double d, String text) {
        if (Double.isFinite(d)) {
            out.append(text);
        } else {
            appendString(out, text);
        }
    }

    private static void appendArray(StringBuilder out, Collection<?> values, ZoneId zone) {
        out.append('[');
        boolean first = true;
        for (Object v : values) {
            if (!first) {
                out.append(',');
            }
            appendJson(out, v, zone);
            first = false;
        }
        out.append(']');
    }

    private static void appendObject(StringBuilder out, Map<?, ?> map, ZoneId zone) {
        out.append('{');
        boolean first = true;
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!first) {
                out.append(',');
            }
            appendString(out, String.valueOf(e.getKey()));
            out.append(':');
            appendJson(out, e.getValue(), zone);
            first = false;
        }
        out.append('}');
    }

    /** Appends {@code s} as a JSON string with the escapes RFC 8259 requires. */
    public static void appendString(StringBuilder out, String s) {
        out.append('"');
        int plain = 0;
        while (plain < s.length()) {
            char c = s.charAt(plain);
            if (c < 0x20 || c == '"' || c == '\\') {
                break;
            }
            plain++;
        }
        // most text needs no escape: copied at once
        out.append(s, 0, plain);
        for (int i = plain; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
