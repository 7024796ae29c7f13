package io.tributary.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlectoSettingsTest {

    private static Map<String, String> source(String... more) {
        Map<String, String> env = new HashMap<>();
        env.put("TRIBUTARY_SOURCES_SALES_URL", "postgresql://db/shop");
        env.put("TRIBUTARY_SOURCES_SALES_STATEMENT", "SELECT 1 WHERE a >= {{ last_update_time }} AND a < {{ upper_date_limit }}");
        for (int i = 0; i < more.length; i += 2) {
            env.put(more[i], more[i + 1]);
        }
        return env;
    }

    @Test
    @DisplayName("without a PLECTO_DATA_SOURCE nothing is pushed and no account is needed")
    void offByDefault() {
        PlectoSettings s = AppSettings.read(source()).plecto();
        assertThat(s.enabled()).isFalse();
        assertThat(s.baseUrl()).isEqualTo(URI.create("https://app.plecto.com/api/v2/"));
        assertThat(s.budgetRequests()).isEqualTo(3600);
        assertThat(s.budgetPeriod()).isEqualTo(Duration.ofHours(1));
        assertThat(s.timeout()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    @DisplayName("a source's PLECTO_DATA_SOURCE sends it to Plecto; the password never shows in toString")
    void dataSourcePerSource() {
        AppSettings settings = AppSettings.read(source("TRIBUTARY_SOURCES_SALES_PLECTO_DATA_SOURCE", "abc-123",
                "TRIBUTARY_PLECTO_USERNAME", "api@example.com", "TRIBUTARY_PLECTO_PASSWORD", "s3cret-pw",
                "TRIBUTARY_PLECTO_URL", "http://127.0.0.1:9/api/v2", "TRIBUTARY_PLECTO_REQUEST_BUDGET", "100/10m"));
        PlectoSettings s = settings.plecto();
        assertThat(s.dataSources()).containsExactly(Map.entry("sales", "abc-123"));
        assertThat(s.baseUrl()).isEqualTo(URI.create("http://127.0.0.1:9/api/v2/"));
        assertThat(s.budgetRequests()).isEqualTo(100);
        assertThat(s.budgetPeriod()).isEqualTo(Duration.ofMinutes(10));
        assertThat(s.password().reveal()).isEqualTo("s3cret-pw");
        assertThat(s.toString()).contains("api@example.com").doesNotContain("s3cret-pw");
        assertThat(settings.sources()).singleElement().satisfies(d -> assertThat(d.id()).isEqualTo("sales"));
    }

    @Test
    @DisplayName("the password may come from a file, its final newline dropped")
    void passwordFile(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("pw"), "from-file\n");
        PlectoSettings s = AppSettings.read(source("TRIBUTARY_SOURCES_SALES_PLECTO_DATA_SOURCE", "abc",
                "TRIBUTARY_PLECTO_USERNAME", "u", "TRIBUTARY_PLECTO_PASSWORD_FILE", file.toString())).plecto();
        assertThat(s.password().reveal()).isEqualTo("from-file");
    }

    @Test
    @DisplayName("mistakes name the variable and what it should hold")
    void mistakes() {
        assertThatThrownBy(() -> AppSettings.read(source("TRIBUTARY_SOURCES_SALES_PLECTO_DATA_SOURCE", "abc")))
                .hasMessage("TRIBUTARY_SOURCES_SALES_PLECTO_DATA_SOURCE is set, so Tributary pushes to Plecto and needs "
                        + "the account: set TRIBUTARY_PLECTO_USERNAME and TRIBUTARY_PLECTO_PASSWORD (or "
                        + "TRIBUTARY_PLECTO_PASSWORD_FILE)");
        assertThatThrownBy(() -> AppSettings.read(source("TRIBUTARY_SOURCES_SALES_PLECTO_DATA_SOURCE", "a/b",
                "TRIBUTARY_PLECTO_USERNAME", "u", "TRIBUTARY_PLECTO_PASSWORD", "p")))
                .hasMessageStartingWith("TRIBUTARY_SOURCES_SALES_PLECTO_DATA_SOURCE='a/b' must be a Plecto data source id");
        assertThatThrownBy(() -> AppSettings.read(source("TRIBUTARY_PLECTO_REQUEST_BUDGET", "3600")))
                .hasMessageStartingWith("TRIBUTARY_PLECTO_REQUEST_BUDGET='3600' must be requests per period");
        assertThatThrownBy(() -> AppSettings.read(source("TRIBUTARY_PLECTO_REQUEST_BUDGET", "10/soon")))
                .hasMessage("TRIBUTARY_PLECTO_REQUEST_BUDGET='10/soon' must be requests per period: a whole number "
                        + "from 1 to 1000000, a '/' and a duration of 1s or more, e.g. 3600/1h (Plecto's limit)");
        assertThatThrownBy(() -> AppSettings.read(source("TRIBUTARY_PLECTO_REQUEST_BUDGET", "10/500ms")))
                .hasMessageStartingWith("TRIBUTARY_PLECTO_REQUEST_BUDGET='10/500ms' must be requests per period");
        assertThatThrownBy(() -> AppSettings.read(source("TRIBUTARY_PLECTO_URL", "https://u:p@app.plecto.com/api/v2/")))
                .hasMessageStartingWith("TRIBUTARY_PLECTO_URL='https://u:p@app.plecto.com/api/v2/' must be an http(s) address");
        assertThatThrownBy(() -> AppSettings.read(source("TRIBUTARY_PLECTO_PASSWORD", "a", "TRIBUTARY_PLECTO_PASSWORD_FILE", "/x")))
                .hasMessage("TRIBUTARY_PLECTO_PASSWORD and TRIBUTARY_PLECTO_PASSWORD_FILE are both set; keep one");
        Map<String, String> orphan = source("TRIBUTARY_SOURCES_CRM_PLECTO_DATA_SOURCE", "abc",
                "TRIBUTARY_PLECTO_USERNAME", "u", "TRIBUTARY_PLECTO_PASSWORD", "p");
        assertThatThrownBy(() -> AppSettings.read(orphan)).hasMessageContaining("TRIBUTARY_SOURCES_CRM_URL is missing");
    }
}
