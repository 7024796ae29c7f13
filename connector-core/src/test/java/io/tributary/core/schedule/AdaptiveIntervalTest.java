package io.tributary.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AdaptiveIntervalTest {

    private static Duration ms(long millis) {
        return Duration.ofMillis(millis);
    }

    @ParameterizedTest(name = "f = 1 min, a run of {0} ms: every {1} s")
    @CsvSource({
            "29900, 60", "30000, 300", "119900, 300", "120000, 900", "179900, 900", "180000, 3600",
            "359900, 3600", "360000, 3600"})
    @DisplayName("every boundary of the product's slow-down steps, from a 1-minute frequency")
    void boundaries(long runMillis, long expectedSeconds) {
        AdaptiveInterval interval = new AdaptiveInterval(Duration.ofMinutes(1));
        interval.onRun(ms(runMillis));
        assertThat(interval.current()).isEqualTo(Duration.ofSeconds(expectedSeconds));
    }

    @Test
    void aRunOfSixMinutesWarns() {
        AdaptiveInterval interval = new AdaptiveInterval(Duration.ofMinutes(1));
        assertThat(interval.onRun(ms(359_900))).get().extracting(AdaptiveInterval.Change::warning).isEqualTo(false);
        Optional<AdaptiveInterval.Change> warning = interval.onRun(ms(360_000));
        assertThat(warning).get().extracting(AdaptiveInterval.Change::warning).isEqualTo(true);
        assertThat(warning.get().reason()).contains("runs of 6 minutes or more cannot keep up");
        assertThat(interval.current()).isEqualTo(Duration.ofHours(1));
    }

    @Test
    @DisplayName("a step applies only to frequencies up to its limit: 5 min is not slowed by a 40 s run, 20 min never")
    void stepsDependOnTheConfiguredFrequency() {
        AdaptiveInterval five = new AdaptiveInterval(Duration.ofMinutes(5));
        assertThat(five.onRun(ms(40_000))).isEmpty();
        assertThat(five.current()).isEqualTo(Duration.ofMinutes(5));
        five.onRun(ms(130_000));
        assertThat(five.current()).isEqualTo(Duration.ofMinutes(15));

        AdaptiveInterval fifteen = new AdaptiveInterval(Duration.ofMinutes(15));
        fifteen.onRun(ms(150_000));
        assertThat(fifteen.current()).isEqualTo(Duration.ofMinutes(15));
        fifteen.onRun(ms(200_000));
        assertThat(fifteen.current()).isEqualTo(Duration.ofHours(1));

        AdaptiveInterval twenty = new AdaptiveInterval(Duration.ofMinutes(20));
        assertThat(twenty.onRun(ms(500_000))).get().extracting(AdaptiveInterval.Change::to).isEqualTo(Duration.ofMinutes(20));
        assertThat(twenty.current()).isEqualTo(Duration.ofMinutes(20));
    }

    @Test
    @DisplayName("three fast runs in a row step back one level at a time toward the configured frequency")
    void stepBack() {
        AdaptiveInterval interval = new AdaptiveInterval(Duration.ofMinutes(1));
        interval.onRun(ms(200_000));
        assertThat(interval.current()).isEqualTo(Duration.ofHours(1));

        assertThat(interval.onRun(ms(1_000))).isEmpty();
        assertThat(interval.onRun(ms(1_000))).isEmpty();
        Optional<AdaptiveInterval.Change> back = interval.onRun(ms(1_000));
        assertThat(back).get().satisfies(c -> {
            assertThat(c.from()).isEqualTo(Duration.ofHours(1));
            assertThat(c.to()).isEqualTo(Duration.ofMinutes(15));
            assertThat(c.reason()).isEqualTo("3 runs in a row took less than 180 s: stepping back to polling every 15 min");
        });
        for (int i = 0; i < 3; i++) {
            interval.onRun(ms(1_000));
        }
        assertThat(interval.current()).isEqualTo(Duration.ofMinutes(5));
        for (int i = 0; i < 3; i++) {
            interval.onRun(ms(1_000));
        }
        assertThat(interval.current()).isEqualTo(Duration.ofMinutes(1));
        for (int i = 0; i < 5; i++) {
            assertThat(interval.onRun(ms(1_000))).isEmpty();
        }
    }

    @Test
    @DisplayName("a run at the current step's bound breaks a series of fast runs")
    void slowRunResetsTheSeries() {
        AdaptiveInterval interval = new AdaptiveInterval(Duration.ofMinutes(1));
        interval.onRun(ms(30_000));
        interval.onRun(ms(29_900));
        interval.onRun(ms(29_900));
        interval.onRun(ms(30_000));
        interval.onRun(ms(29_900));
        interval.onRun(ms(29_900));
        assertThat(interval.current()).isEqualTo(Duration.ofMinutes(5));
        interval.onRun(ms(29_900));
        assertThat(interval.current()).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    @DisplayName("stepping back skips levels that do not apply: 3 min goes from 15 min straight back to 3 min")
    void stepBackSkipsLevelsThatDoNotApply() {
        AdaptiveInterval interval = new AdaptiveInterval(Duration.ofMinutes(3));
        interval.onRun(ms(150_000));
        assertThat(interval.current()).isEqualTo(Duration.ofMinutes(15));
        for (int i = 0; i < 3; i++) {
            interval.onRun(ms(60_000));
        }
        assertThat(interval.current()).isEqualTo(Duration.ofMinutes(3));
    }
}
