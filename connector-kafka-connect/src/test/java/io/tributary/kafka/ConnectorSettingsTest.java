package io.tributary.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import io.tributary.core.SourceDefinition;

class ConnectorSettingsTest {

    private static final String STATEMENT = "SELECT id AS reference, member AS member_id, created_at AS date FROM sales "
            + "WHERE created_at >= {{ last_update_time }} AND created_at < {{ upper_date_limit }} ORDER BY created_at";

    private static Map<String, String> oneSource() {
        Map<String, String> p = new HashMap<>();
        p.put("sources", "sales");
        p.put("sources.sales.url", "postgresql://db.internal:5432/shop");
        p.put("sources.sales.username", "reader");
        p.put("sources.sales.password", "s3cret-pw");
        p.put("sources.sales.statement", STATEMENT);
        return p;
    }

    @Test
    @DisplayName("defaults mirror the app's environment settings")
    void defaults() {
        ConnectorSettings settings = ConnectorSettings.read(oneSource());

        assertThat(settings.errors()).isEmpty();
        ConnectorSettings.Source source = settings.sources().get(0);
        SourceDefinition d = source.definition();
        assertThat(source.topic()).isEqualTo("tributary.registrations");
        assertThat(d.updateFrequency()).isEqualTo(Duration.ofMinutes(1));
        assertThat(d.lookback()).isEqualTo(Duration.ofMinutes(1));
        assertThat(d.settle()).isZero();
        assertThat(d.maxRowsPerMinute()).isEqualTo(10_000);
        assertThat(d.fetchSize()).isEqualTo(1_000);
        assertThat(d.batchSize()).isEqualTo(1_000);
        assertThat(d.queryTimeout()).isEqualTo(Duration.ofMinutes(5));
        assertThat(d.start()).isEqualTo(Instant.EPOCH);
        assertThat(d.memberIdSource()).isEqualTo("sales");
        assertThat(d.password().reveal()).isEqualTo("s3cret-pw");
    }

    @Test
    @DisplayName("each setting is read, and the topic template takes the source id")
    void settings() {
        Map<String, String> p = oneSource();
        p.put("topic", "regs.${source}");
        p.put("sources.sales.update.frequency", "5m");
        p.put("sources.sales.timezone", "Europe/Copenhagen");
        p.put("sources.sales.start", "2024-01-01");
        p.put("sources.sales.max.rows.per.minute", "0");
        p.put("sources.sales.lookback", "PT30S");

        ConnectorSettings.Source source = ConnectorSettings.read(p).sources().get(0);

        assertThat(source.topic()).isEqualTo("regs.sales");
        assertThat(source.definition().updateFrequency()).isEqualTo(Duration.ofMinutes(5));
        assertThat(source.definition().start()).isEqualTo(Instant.parse("2023-12-31T23:00:00Z"));
        assertThat(source.definition().maxRowsPerMinute()).isZero();
        assertThat(source.definition().lookback()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    @DisplayName("every mistake is reported on its own property, with what to write instead")
    void mistakesPerField() {
        Map<String, String> p = oneSource();
        p.put("sources.sales.update.frequency", "5x");
        p.put("sources.sales.timezone", "Mars/Olympus");
        p.put("sources.sales.fetch.size", "0");
        p.put("sources.sales.lokback", "1m");
        p.put("sources.other.url", "postgresql://db/x");

        Map<String, java.util.List<String>> errors = ConnectorSettings.read(p).errors();

        assertThat(errors).containsOnlyKeys("sources.sales.update.frequency", "sources.sales.timezone",
                "sources.sales.fetch.size", "sources.sales.lokback", "sources.other.url");
        assertThat(errors.get("sources.sales.update.frequency")).containsExactly(
                "'5x' is not a duration; write e.g. 30s, 1m, 15m, 1h or PT5M");
        assertThat(errors.get("sources.sales.fetch.size")).containsExactly("'0' is not a whole number from 1 to 1000000");
        assertThat(errors.get("sources.sales.lokback").get(0)).startsWith("unknown setting 'lokback'");
        assertThat(errors.get("sources.other.url").get(0)).contains("not listed in the sources property");
    }

    @Test
    @DisplayName("a password written into the URL is refused without being repeated; the password's value shows as [hidden]")
    void passwordNeverShown() {
        Map<String, String> p = oneSource();
        p.put("sources.sales.url", "postgresql://reader:hunter22@db.internal:5432/shop");

        ConnectorSettings settings = ConnectorSettings.read(p);

        assertThat(settings.errors().get("sources.sales.url").get(0)).contains("the URL holds a password")
                .doesNotContain("hunter22");
        ConfigValue password = settings.configValues().stream()
                .filter(v -> v.name().equals("sources.sales.password")).findFirst().orElseThrow();
        assertThat(String.valueOf(password.value())).isEqualTo("[hidden]");
        assertThat(settings.describeErrors()).doesNotContain("hunter22").doesNotContain("s3cret-pw");
    }

    @Test
    @DisplayName("no sources: the sources property says what to write")
    void noSources() {
        assertThat(ConnectorSettings.read(Map.of()).errors().get("sources").get(0)).startsWith("list at least one source id");
    }
}
