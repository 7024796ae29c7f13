package io.tributary.app.config;

import java.time.Duration;
import java.util.Locale;

import io.tributary.core.SettingValues;

/** Durations as users write them in environment variables: {@code 90s}, {@code 5m}, {@code 1h}, {@code PT5M}. */
final class Durations {

    private Durations() {
    }

    static Duration parse(String variable, String value) {
        String v = value.strip().toLowerCase(Locale.ROOT);
        if (v.startsWith("-") || v.startsWith("p-") || v.startsWith("pt-")) {
            throw new ConfigurationException(variable + "='" + value + "' is negative; it must be 0 or more");
        }
        return SettingValues.duration(value).orElseThrow(() -> new ConfigurationException(variable + "='" + value
                + "' is not a duration; write e.g. 30s, 1m, 15m, 1h or PT5M"));
    }
}
