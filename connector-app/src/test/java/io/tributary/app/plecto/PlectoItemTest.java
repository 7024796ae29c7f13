package io.tributary.app.plecto;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import io.tributary.core.mapping.Registration;

class PlectoItemTest {

    private static Registration registration(String memberName, String teamName, String fields) {
        return new Registration("r-1", "42", memberName, Instant.parse("2024-05-01T10:15:30.5Z"), teamName, false, fields);
    }

    @Test
    @DisplayName("standard keys first, NULL member and team names left out, custom fields copied exactly")
    void mapping() {
        PlectoItem item = PlectoItem.of("ds-1", "crm", registration(null, null,
                "{\"amount\": 12.50, \"tags\": [\"a\"], \"meta\": {\"n\": 1}, \"note\": \"say \\\"hi\\\"\"}")).item();
        assertThat(item.json()).isEqualTo("{\"data_source\":\"ds-1\",\"member_api_provider\":\"crm\",\"member_api_id\":\"42\","
                + "\"external_id\":\"r-1\",\"date\":\"2024-05-01T10:15:30.500Z\",\"amount\": 12.50, \"tags\": [\"a\"], "
                + "\"meta\": {\"n\": 1}, \"note\": \"say \\\"hi\\\"\"}");
    }

    @Test
    @DisplayName("names are JSON-escaped, and a registration without custom fields ends after the standard keys")
    void escapingAndNoFields() {
        PlectoItem item = PlectoItem.of("ds-1", "crm", registration("Ann \"Q\" Lee", "Team\n1", "{}")).item();
        assertThat(item.json()).isEqualTo("{\"data_source\":\"ds-1\",\"member_api_provider\":\"crm\",\"member_api_id\":\"42\","
                + "\"member_name\":\"Ann \\\"Q\\\" Lee\",\"external_id\":\"r-1\",\"date\":\"2024-05-01T10:15:30.500Z\","
                + "\"team_name\":\"Team\\n1\"}");
    }

    @Test
    @DisplayName("the hash changes with any field, the Member ID Source and the data source, and only then")
    void hash() {
        long base = PlectoItem.of("ds-1", "crm", registration("Ann", null, "{\"a\": 1}")).item().hash();
        assertThat(PlectoItem.of("ds-1", "crm", registration("Ann", null, "{\"a\": 1}")).item().hash()).isEqualTo(base);
        assertThat(PlectoItem.of("ds-1", "crm", registration("Ann", null, "{\"a\": 2}")).item().hash()).isNotEqualTo(base);
        assertThat(PlectoItem.of("ds-1", "erp", registration("Ann", null, "{\"a\": 1}")).item().hash()).isNotEqualTo(base);
        assertThat(PlectoItem.of("ds-2", "crm", registration("Ann", null, "{\"a\": 1}")).item().hash()).isNotEqualTo(base);
    }

    @Test
    @DisplayName("a custom field named like a key Tributary fills is refused with the reason; a value that only mentions one is not")
    void clash() {
        PlectoItem.Result clash = PlectoItem.of("ds-1", "crm", registration("Ann", null, "{\"external_id\": \"x\"}"));
        assertThat(clash.item()).isNull();
        assertThat(clash.refusal()).startsWith("custom field 'external_id' has the name of a Plecto field Tributary fills itself");
        assertThat(PlectoItem.of("ds-1", "crm", registration("Ann", null, "{\"note\": \"\\\"date\\\"\"}")).item()).isNotNull();
    }
}
