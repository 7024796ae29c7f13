package io.tributary.dialect.mysql;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;

/**
 * One run's window as MySQL is given it without the server's time zone tables: the session's fixed-offset
 * {@code time_zone} and the two bounds as zone-less {@code DATETIME} values, computed with java.time's rules for the
 * source's zone. Chosen so that neither a {@code DATETIME} column holding local times of the zone nor a
 * {@code TIMESTAMP} column loses a row, whatever the window holds (a daylight saving transition, a bound inside the
 * skipped or the repeated hour):
 * <ul>
 * <li>{@code lower} is the earliest local time the zone shows in {@code [lower, upper)}: the local time of the lower
 *     bound, or the start of the repeated hour when the clocks go back inside the window, or the start of the skipped
 *     hour when the lower bound is the instant the clocks go forward;</li>
 * <li>{@code sessionOffset} is the largest of the zone's offsets at the lower bound and just before and at the upper
 *     bound, in whole minutes (the form MySQL takes);</li>
 * <li>{@code upper} is the upper bound at the session offset.</li>
 * </ul>
 * A {@code TIMESTAMP} compared in that session then starts at the lower bound or earlier and stops exactly at the
 * upper bound; a {@code DATETIME} range starts at or before every local time of the window and ends at or after
 * it, and the next window starts at or before where this one ended. Away from a transition the three are exact: the
 * zone's offset and the local times of the bounds.
 *
 * @param sessionOffset the session's {@code time_zone} for this run
 * @param lower         the lower bound as a local time
 * @param upper         the upper bound as a local time
 */
record MySqlLocalWindow(ZoneOffset sessionOffset, LocalDateTime lower, LocalDateTime upper) {

    MySqlLocalWindow {
        requireNonNull(sessionOffset, "sessionOffset must not be null");
        requireNonNull(lower, "lower must not be null");
        requireNonNull(upper, "upper must not be null");
    }

    /**
     * The window {@code [lower, upper)} in {@code zone}; both bounds are truncated to microseconds, MySQL's finest
     * precision, so that the server never rounds a bound up past a row. A statement without one of the two variables
     * passes the other bound twice.
     */
    static MySqlLocalWindow of(ZoneId zone, Instant lower, Instant upper) {
        requireNonNull(zone, "zone must not be null");
        Instant from = requireNonNull(lower, "lower must not be null").truncatedTo(ChronoUnit.MICROS);
        Instant to = requireNonNull(upper, "upper must not be null").truncatedTo(ChronoUnit.MICROS);
        ZoneRules rules = zone.getRules();
        ZoneOffset session = max(rules.getOffset(from), max(rules.getOffset(to), rules.getOffset(to.minusNanos(1))));
        session = wholeMinutesUp(session);
        // the left limit too: when the clocks go forward at the lower bound, the skipped hour's local times belong here
        LocalDateTime earliest = min(LocalDateTime.ofInstant(from, rules.getOffset(from)),
                LocalDateTime.ofInstant(from, rules.getOffset(from.minusNanos(1))));
        for (ZoneOffsetTransition t = rules.nextTransition(from); t != null && t.getInstant().isBefore(to);
                t = rules.nextTransition(t.getInstant())) {
            // clocks going back inside the window: the repeated hour starts below the lower bound's local time
            earliest = min(earliest, t.getDateTimeAfter());
        }
        return new MySqlLocalWindow(session, earliest, LocalDateTime.ofInstant(to, session));
    }

    private static ZoneOffset max(ZoneOffset a, ZoneOffset b) {
        return a.getTotalSeconds() >= b.getTotalSeconds() ? a : b;
    }

    private static LocalDateTime min(LocalDateTime a, LocalDateTime b) {
        return a.isAfter(b) ? b : a;
    }

    /** Historical local mean time offsets have seconds ({@code +00:50:20}); MySQL takes hours and minutes only. */
    private static ZoneOffset wholeMinutesUp(ZoneOffset offset) {
        int seconds = offset.getTotalSeconds();
        int rounded = Math.floorDiv(seconds + 59, 60) * 60;
        return ZoneOffset.ofTotalSeconds(rounded);
    }
}
