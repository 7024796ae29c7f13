package io.tributary.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** {@code TRIBUTARY_IMPORT_LOG_RETENTION}: a default, a duration, 0 for forever, and clear refusals. */
class ImportLogRetentionSettingTest {

    private static Map<String, String> env(String... more) {
        Map<String, String> env = new HashMap<>();
        env.put("TRIBUTARY_SOURCES_SALES_URL", "postgresql://db/shop");
        env.put("TRIBUTARY_SOURCES_SALES_STATEMENT", "SELECT 1 WHERE a >= {{ last_update_time }} AND a < {{ upper_date_limit }}");
        for (int i = 0; i < more.length; i += 2) {
            env.put(more[i], more[i + 1]);
        }
        return env;
    }

    @Test
    void thirtyDaysByDefault() {
        assertThat(AppSettings.read(env()).importLogRetention()).isEqualTo(Duration.ofDays(30));
    }

    @Test
    void aDurationOrZeroForForever() {
        assertThat(AppSettings.read(env("TRIBUTARY_IMPORT_LOG_RETENTION", "7d")).importLogRetention()).isEqualTo(Duration.ofDays(7));
        assertThat(AppSettings.read(env("TRIBUTARY_IMPORT_LOG_RETENTION", "PT36H")).importLogRetention()).isEqualTo(Duration.ofHours(36));
        assertThat(AppSettings.read(env("TRIBUTARY_IMPORT_LOG_RETENTION", "0")).importLogRetention()).isZero();
    }

    @Test
    void badValuesNameTheVariable() {
        assertThatThrownBy(() -> AppSettings.read(env("TRIBUTARY_IMPORT_LOG_RETENTION", "a month")))
                .hasMessageStartingWith("TRIBUTARY_IMPORT_LOG_RETENTION='a month' is not a duration");
        assertThatThrownBy(() -> AppSettings.read(env("TRIBUTARY_IMPORT_LOG_RETENTION", "10m")))
                .hasMessage("TRIBUTARY_IMPORT_LOG_RETENTION='10m' must be at least 1h (or 0 to keep the import log forever)");
    }
}
