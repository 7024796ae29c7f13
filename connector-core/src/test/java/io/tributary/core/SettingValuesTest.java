package io.tributary.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;

import org.junit.jupiter.api.Test;

class SettingValuesTest {

    @Test
    void durationsAsUsersWriteThem() {
        assertThat(SettingValues.duration("90s")).contains(Duration.ofSeconds(90));
        assertThat(SettingValues.duration(" 5m ")).contains(Duration.ofMinutes(5));
        assertThat(SettingValues.duration("1H")).contains(Duration.ofHours(1));
        assertThat(SettingValues.duration("500ms")).contains(Duration.ofMillis(500));
        assertThat(SettingValues.duration("PT15M")).contains(Duration.ofMinutes(15));
        assertThat(SettingValues.duration("0s")).contains(Duration.ZERO);
    }

    @Test
    void notDurations() {
        assertThat(SettingValues.duration("5 minutes")).isEmpty();
        assertThat(SettingValues.duration("-5s")).isEmpty();
        assertThat(SettingValues.duration("PT-5S")).as("negative, e.g. a negative SETTLE").isEmpty();
        assertThat(SettingValues.duration("99999999999999999999d")).isEmpty();
    }

    @Test
    void instantsAndDates() {
        ZoneId cph = ZoneId.of("Europe/Copenhagen");
        assertThat(SettingValues.instant("2024-01-01T00:00:00Z", cph)).contains(Instant.parse("2024-01-01T00:00:00Z"));
        assertThat(SettingValues.instant("2024-07-01", cph)).contains(Instant.parse("2024-06-30T22:00:00Z"));
        assertThat(SettingValues.instant("yesterday", cph)).isEmpty();
    }
}
