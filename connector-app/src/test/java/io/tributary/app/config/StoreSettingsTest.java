package io.tributary.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

class StoreSettingsTest {

    @Test
    void embeddedH2ByDefault() {
        StoreSettings s = StoreSettings.read(Map.of());
        assertThat(s.embedded()).isTrue();
        assertThat(s.vendor()).isEqualTo("h2");
        assertThat(s.jdbcUrl()).startsWith("jdbc:h2:file:./data/tributary-store");
        assertThat(StoreSettings.read(Map.of("TRIBUTARY_DATA_DIR", "/var/lib/tributary")).jdbcUrl())
                .startsWith("jdbc:h2:file:/var/lib/tributary/tributary-store");
    }

    @Test
    void postgresUrlForms() {
        StoreSettings s = StoreSettings.read(Map.of("TRIBUTARY_STORE_URL", "postgresql://app:pw@db:5432/tributary"));
        assertThat(s.jdbcUrl()).isEqualTo("jdbc:postgresql://db:5432/tributary");
        assertThat(s.username()).isEqualTo("app");
        assertThat(s.password()).isEqualTo("pw");
        assertThat(s.schema()).isEqualTo("tributary");
        assertThat(s.toString()).doesNotContain("pw");
        assertThat(StoreSettings.read(Map.of("TRIBUTARY_STORE_URL", "jdbc:postgresql://db/t", "TRIBUTARY_STORE_SCHEMA", "imports"))
                .schema()).isEqualTo("imports");
    }

    @Test
    @org.junit.jupiter.api.DisplayName("issue 19: the JDBC form ?user=...&password=... is accepted, its password never printed")
    void jdbcUserAndPasswordParameters() {
        StoreSettings s = StoreSettings.read(Map.of("TRIBUTARY_STORE_URL",
                "jdbc:postgresql://db:5432/tributary?user=app&password=p%26w&sslmode=require"));
        assertThat(s.jdbcUrl()).isEqualTo("jdbc:postgresql://db:5432/tributary?sslmode=require");
        assertThat(s.username()).isEqualTo("app");
        assertThat(s.password()).isEqualTo("p&w");
        assertThat(s.toString()).doesNotContain("p&w").doesNotContain("password");
    }

    @Test
    void otherDatabasesAreRefusedClearly() {
        assertThatThrownBy(() -> StoreSettings.read(Map.of("TRIBUTARY_STORE_URL", "mysql://u:secret@h/db")))
                .hasMessageContaining("TRIBUTARY_STORE_URL must point at PostgreSQL").hasMessageContaining("'mysql:'")
                .hasMessageNotContaining("secret");
        assertThatThrownBy(() -> StoreSettings.read(Map.of("TRIBUTARY_STORE_URL", "jdbc:postgresql://h/d",
                "TRIBUTARY_STORE_SCHEMA", "Drop;Table"))).hasMessageContaining("TRIBUTARY_STORE_SCHEMA");
    }
}
