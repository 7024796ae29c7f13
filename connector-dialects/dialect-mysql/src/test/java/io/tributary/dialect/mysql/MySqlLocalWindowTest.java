package io.tributary.dialect.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Europe/Copenhagen in 2025: the clocks go forward at 2025-03-30T01:00:00Z (local 02:00 becomes 03:00: 02:00-03:00
 * does not exist) and back at 2025-10-26T01:00:00Z (local 03:00 becomes 02:00: 02:00-03:00 happens twice).
 */
class MySqlLocalWindowTest {

    private static final ZoneId COPENHAGEN = ZoneId.of("Europe/Copenhagen");
    private static final Instant FORWARD = Instant.parse("2025-03-30T01:00:00Z");
    private static final Instant BACK = Instant.parse("2025-10-26T01:00:00Z");
    private static final ZoneOffset CET = ZoneOffset.ofHours(1);
    private static final ZoneOffset CEST = ZoneOffset.ofHours(2);

    @Test
    @DisplayName("the 2025 transitions are where these tests take them, in this JDK's zone rules")
    void transitionsOf2025() {
        assertThat(COPENHAGEN.getRules().nextTransition(Instant.parse("2025-01-01T00:00:00Z")).getInstant()).isEqualTo(FORWARD);
        assertThat(COPENHAGEN.getRules().nextTransition(FORWARD).getInstant()).isEqualTo(BACK);
    }

    @Test
    @DisplayName("away from a transition: the zone's offset and the local times of the bounds")
    void ordinaryWindowsAreExact() {
        assertThat(window("2025-07-01T10:00:00Z", "2025-07-01T12:00:00Z"))
                .isEqualTo(new MySqlLocalWindow(CEST, local("2025-07-01T12:00"), local("2025-07-01T14:00")));
        assertThat(window("2025-01-15T10:00:00Z", "2025-01-15T10:00:01Z"))
                .isEqualTo(new MySqlLocalWindow(CET, local("2025-01-15T11:00"), local("2025-01-15T11:00:01")));
    }

    @Test
    @DisplayName("fixed zones: their offset, exact; bounds truncated to microseconds")
    void fixedZones() {
        MySqlLocalWindow utc = MySqlLocalWindow.of(ZoneOffset.UTC, Instant.parse("2024-07-01T10:00:00.123456789Z"),
                Instant.parse("2024-07-01T11:00:00Z"));
        MySqlLocalWindow india = MySqlLocalWindow.of(ZoneId.of("Asia/Kolkata"), Instant.parse("2024-07-01T10:00:00Z"),
                Instant.parse("2024-07-01T11:00:00Z"));

        assertThat(utc).isEqualTo(new MySqlLocalWindow(ZoneOffset.UTC, local("2024-07-01T10:00:00.123456"),
                local("2024-07-01T11:00")));
        assertThat(india).isEqualTo(new MySqlLocalWindow(ZoneOffset.of("+05:30"), local("2024-07-01T15:30"),
                local("2024-07-01T16:30")));
    }

    @Test
    @DisplayName("a window ending where the clocks go forward reaches past the skipped hour (02:00-03:00 local)")
    void windowEndingAtTheGap() {
        assertThat(window("2025-03-30T00:00:00Z", "2025-03-30T01:00:00Z"))
                .isEqualTo(new MySqlLocalWindow(CEST, local("2025-03-30T01:00"), local("2025-03-30T03:00")));
    }

    @Test
    @DisplayName("a window starting where the clocks go forward starts at the skipped hour (02:00 local)")
    void windowStartingAtTheGap() {
        assertThat(window("2025-03-30T01:00:00Z", "2025-03-30T02:00:00Z"))
                .isEqualTo(new MySqlLocalWindow(CEST, local("2025-03-30T02:00"), local("2025-03-30T04:00")));
    }

    @Test
    @DisplayName("a window across the clocks going back starts at the repeated hour and ends at the upper bound in summer time")
    void windowAcrossTheOverlap() {
        // 00:30Z is 02:30 summer time, 01:30Z is 02:30 winter time
        assertThat(window("2025-10-26T00:30:00Z", "2025-10-26T01:30:00Z"))
                .isEqualTo(new MySqlLocalWindow(CEST, local("2025-10-26T02:00"), local("2025-10-26T03:30")));
        // ending where the clocks go back: every summer-time local time of the window is below 03:00
        assertThat(window("2025-10-26T00:00:00Z", "2025-10-26T01:00:00Z"))
                .isEqualTo(new MySqlLocalWindow(CEST, local("2025-10-26T02:00"), local("2025-10-26T03:00")));
        // wholly in the second 02:00-03:00: exact
        assertThat(window("2025-10-26T01:00:00Z", "2025-10-26T01:30:00Z"))
                .isEqualTo(new MySqlLocalWindow(CET, local("2025-10-26T02:00"), local("2025-10-26T02:30")));
    }

    @Test
    @DisplayName("offsets with seconds (local mean time before 1894) are rounded up to whole minutes, which MySQL takes")
    void localMeanTimeIsRoundedUp() {
        int mean = COPENHAGEN.getRules().getOffset(Instant.parse("1890-01-01T00:00:00Z")).getTotalSeconds();
        MySqlLocalWindow window = window("1890-01-01T00:00:00Z", "1890-01-02T00:00:00Z");

        assertThat(mean % 60).as("local mean time has seconds").isNotZero();
        assertThat(window.sessionOffset().getTotalSeconds()).isEqualTo((mean / 60 + 1) * 60);
    }

    /**
     * The rule that matters: a row written at instant t (a DATETIME holding t's local time, a TIMESTAMP holding t)
     * is read by a run that starts after it was written, for every chain of windows across both transitions, with
     * bounds anywhere, inside the skipped and the repeated hour included. A run is taken to start at its upper bound.
     */
    @Test
    @DisplayName("windows of any length across the 2025 transitions of zones east and west, with 30-minute and 2-hour "
            + "changes: every row written before a run is read by a run")
    void noRowIsLostAcrossTransitions() {
        for (ZoneId zone : List.of(COPENHAGEN, ZoneId.of("America/New_York"), ZoneId.of("Australia/Lord_Howe"),
                ZoneId.of("Antarctica/Troll"))) {
            Instant first = zone.getRules().nextTransition(Instant.parse("2025-01-01T00:00:00Z")).getInstant();
            Instant second = zone.getRules().nextTransition(first).getInstant();
            assertThat(second).isBefore(Instant.parse("2026-01-01T00:00:00Z"));
            for (Instant transition : List.of(first, second)) {
                chainLosesNoRow(zone, transition);
            }
        }
    }

    private static void chainLosesNoRow(ZoneId zone, Instant transition) {
        for (int stepMinutes : List.of(1, 7, 15, 25, 30, 60, 90, 180)) {
            List<Instant> bounds = new ArrayList<>();
            for (Instant b = transition.minus(Duration.ofHours(4)); !b.isAfter(transition.plus(Duration.ofHours(4)));
                    b = b.plus(Duration.ofMinutes(stepMinutes))) {
                bounds.add(b);
            }
            List<MySqlLocalWindow> chain = new ArrayList<>();
            for (int i = 1; i < bounds.size(); i++) {
                chain.add(MySqlLocalWindow.of(zone, bounds.get(i - 1), bounds.get(i)));
            }
            Instant last = bounds.get(bounds.size() - 1);
            for (Instant t = bounds.get(0); t.isBefore(last); t = t.plusSeconds(60)) {
                assertThat(readAfterWritten(zone, chain, bounds, t))
                        .as("%s: row written at %s, windows of %d min", zone, t, stepMinutes)
                        .isTrue();
            }
        }
    }

    @Test
    @DisplayName("the local times of the skipped hour, which no instant has, fall in a window")
    void skippedHourIsCovered() {
        List<Instant> bounds = List.of(Instant.parse("2025-03-29T23:00:00Z"), FORWARD, Instant.parse("2025-03-30T03:00:00Z"));
        for (LocalDateTime x = local("2025-03-30T02:00"); x.isBefore(local("2025-03-30T03:00")); x = x.plusMinutes(1)) {
            LocalDateTime value = x;
            assertThat(List.of(MySqlLocalWindow.of(COPENHAGEN, bounds.get(0), bounds.get(1)),
                    MySqlLocalWindow.of(COPENHAGEN, bounds.get(1), bounds.get(2))))
                    .as(value.toString()).anyMatch(w -> !value.isBefore(w.lower()) && value.isBefore(w.upper()));
        }
    }

    @Test
    @DisplayName("regression: the bounds' own local times would lose a row written in the repeated hour")
    void boundsOwnLocalTimesWouldLoseARow() {
        // runs at 00:55Z (02:55 summer time) and 01:15Z (02:15 winter time); a row written at 01:10Z holds 02:10
        Instant first = Instant.parse("2025-10-26T00:55:00Z");
        Instant second = Instant.parse("2025-10-26T01:15:00Z");
        LocalDateTime row = LocalDateTime.ofInstant(Instant.parse("2025-10-26T01:10:00Z"), COPENHAGEN);

        LocalDateTime naiveLower = LocalDateTime.ofInstant(first, COPENHAGEN);
        LocalDateTime naiveUpper = LocalDateTime.ofInstant(second, COPENHAGEN);
        MySqlLocalWindow window = MySqlLocalWindow.of(COPENHAGEN, first, second);

        assertThat(!row.isBefore(naiveLower) && row.isBefore(naiveUpper)).as("naive [02:55, 02:15)").isFalse();
        assertThat(!row.isBefore(window.lower()) && row.isBefore(window.upper())).as("window " + window).isTrue();
    }

    /** Whether a run of the chain that starts after {@code t} reads the DATETIME and the TIMESTAMP written at t. */
    private static boolean readAfterWritten(ZoneId zone, List<MySqlLocalWindow> chain, List<Instant> bounds, Instant t) {
        LocalDateTime datetime = LocalDateTime.ofInstant(t, zone);
        boolean datetimeRead = false;
        boolean timestampRead = false;
        for (int i = 0; i < chain.size(); i++) {
            MySqlLocalWindow w = chain.get(i);
            if (!bounds.get(i + 1).isAfter(t)) {
                continue; // this run started before the row was written
            }
            datetimeRead |= !datetime.isBefore(w.lower()) && datetime.isBefore(w.upper());
            // a TIMESTAMP compared in the session: its wall time at the session's offset
            LocalDateTime wall = LocalDateTime.ofInstant(t, w.sessionOffset());
            timestampRead |= !wall.isBefore(w.lower()) && wall.isBefore(w.upper());
        }
        return datetimeRead && timestampRead;
    }

    private static MySqlLocalWindow window(String lower, String upper) {
        return MySqlLocalWindow.of(COPENHAGEN, Instant.parse(lower), Instant.parse(upper));
    }

    private static LocalDateTime local(String text) {
        return LocalDateTime.parse(text);
    }
}
