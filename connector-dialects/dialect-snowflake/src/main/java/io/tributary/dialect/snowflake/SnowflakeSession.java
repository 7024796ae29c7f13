package io.tributary.dialect.snowflake;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The session parameters every connection logs in with (sent with the login, no extra round trip), so that values
 * are read the same way whatever the account's defaults:
 * <ul>
 * <li>{@code TIMEZONE}: the source's zone. {@code TIMESTAMP_NTZ} columns hold local times of that zone, and the
 * window bounds ({@code TIMESTAMP_LTZ}) compare with them through it.</li>
 * <li>{@code CLIENT_TIMESTAMP_TYPE_MAPPING=TIMESTAMP_LTZ}: a bound {@code java.sql.Timestamp} is an instant.</li>
 * <li>{@code JDBC_QUERY_RESULT_FORMAT=JSON}: results in JSON rather than Arrow. The driver's shaded Arrow needs
 * {@code --add-opens=java.base/java.nio=ALL-UNNAMED} on Java 17 and fails without it; JSON works in any JVM, and
 * Tributary reads every value as text anyway. May be overridden in the URL for a JVM started with that flag.</li>
 * <li>the output formats of timestamps, dates and times: ISO-8601 with nanoseconds and, for {@code TIMESTAMP_LTZ}
 * and {@code TIMESTAMP_TZ}, the offset, so that the text the driver hands out parses exactly;</li>
 * <li>{@code QUERY_TAG}: {@code tributary:<source>}, to find the runs in the query history (may be overridden);</li>
 * <li>{@code CLIENT_PREFETCH_THREADS=2} and {@code CLIENT_MEMORY_LIMIT=512} (MB): the driver downloads result chunks
 * ahead of the reader, by default with 4 threads into up to 1.5 GB per connection; a source's stream needs far less
 * (may be overridden).</li>
 * </ul>
 */
final class SnowflakeSession {

    static final String NTZ_FORMAT = "YYYY-MM-DD\"T\"HH24:MI:SS.FF9";
    static final String OFFSET_FORMAT = "YYYY-MM-DD\"T\"HH24:MI:SS.FF9TZH:TZM";

    /** Parameters Tributary's reading depends on: a URL may not change them. */
    static final Set<String> FIXED = Set.of("TIMEZONE", "CLIENT_TIMESTAMP_TYPE_MAPPING", "TIMESTAMP_NTZ_OUTPUT_FORMAT",
            "TIMESTAMP_LTZ_OUTPUT_FORMAT", "TIMESTAMP_TZ_OUTPUT_FORMAT", "TIMESTAMP_OUTPUT_FORMAT", "DATE_OUTPUT_FORMAT",
            "TIME_OUTPUT_FORMAT", "BINARY_OUTPUT_FORMAT", "JDBC_TREAT_TIMESTAMP_NTZ_AS_UTC", "JDBC_USE_SESSION_TIMEZONE");

    private SnowflakeSession() {
    }

    /** The parameters for a source in {@code zone}, tagged with its id. */
    static Map<String, String> parameters(ZoneId zone, String sourceId) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("TIMEZONE", timezone(zone));
        p.put("CLIENT_TIMESTAMP_TYPE_MAPPING", "TIMESTAMP_LTZ");
        p.put("TIMESTAMP_NTZ_OUTPUT_FORMAT", NTZ_FORMAT);
        p.put("TIMESTAMP_LTZ_OUTPUT_FORMAT", OFFSET_FORMAT);
        p.put("TIMESTAMP_TZ_OUTPUT_FORMAT", OFFSET_FORMAT);
        p.put("DATE_OUTPUT_FORMAT", "YYYY-MM-DD");
        p.put("TIME_OUTPUT_FORMAT", "HH24:MI:SS.FF9");
        p.put("BINARY_OUTPUT_FORMAT", "HEX");
        p.put("JDBC_QUERY_RESULT_FORMAT", "JSON");
        p.put("QUERY_TAG", "tributary:" + sourceId);
        p.put("CLIENT_PREFETCH_THREADS", "2");
        p.put("CLIENT_MEMORY_LIMIT", "512");
        return p;
    }

    /**
     * Snowflake's name for the zone: a region as it is ({@code Europe/Copenhagen}, {@code UTC}); a whole-hour offset
     * as {@code Etc/GMT-2} (the IANA sign is inverted), since the parameter takes zone names only.
     *
     * @throws IllegalArgumentException for an offset of a fraction of an hour
     */
    static String timezone(ZoneId zone) {
        if (!(zone instanceof ZoneOffset offset)) {
            return zone.getId();
        }
        int seconds = offset.getTotalSeconds();
        if (seconds == 0) {
            return "UTC";
        }
        if (seconds % 3600 != 0) {
            throw new IllegalArgumentException("Snowflake's TIMEZONE takes zone names; the offset " + offset.getId()
                    + " has none: set the source's TIMEZONE to a region such as Asia/Kolkata");
        }
        int hours = seconds / 3600;
        return "Etc/GMT" + (hours > 0 ? "-" : "+") + Math.abs(hours);
    }
}
