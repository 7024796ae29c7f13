package io.tributary.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tributary.core.SourceDefinition;

class SourceSettingsTest {

    private static Map<String, String> minimal(String id) {
        Map<String, String> env = new HashMap<>();
        env.put("TRIBUTARY_SOURCES_" + id + "_URL", "postgresql://db.example:5432/shop");
        env.put("TRIBUTARY_SOURCES_" + id + "_STATEMENT", "SELECT 1");
        return env;
    }

    @Test
    void readsEverySettingOfASourceWhoseIdHasUnderscores() {
        Map<String, String> env = minimal("EU_SALES");
        env.put("TRIBUTARY_SOURCES_EU_SALES_USERNAME", "reader");
        env.put("TRIBUTARY_SOURCES_EU_SALES_PASSWORD", "s3cret");
        env.put("TRIBUTARY_SOURCES_EU_SALES_UPDATE_FREQUENCY", "5m");
        env.put("TRIBUTARY_SOURCES_EU_SALES_MEMBER_ID_SOURCE", "crm");
        env.put("TRIBUTARY_SOURCES_EU_SALES_TIMEZONE", "Europe/Copenhagen");
        env.put("TRIBUTARY_SOURCES_EU_SALES_START", "2024-01-01");
        env.put("TRIBUTARY_SOURCES_EU_SALES_FETCH_SIZE", "500");
        env.put("TRIBUTARY_SOURCES_EU_SALES_BATCH_SIZE", "2000");
        env.put("TRIBUTARY_SOURCES_EU_SALES_LOOKBACK", "5m");
        env.put("TRIBUTARY_SOURCES_EU_SALES_SETTLE", "10s");
        env.put("TRIBUTARY_SOURCES_EU_SALES_MAX_ROWS_PER_MINUTE", "0");
        env.put("TRIBUTARY_SOURCES_EU_SALES_QUERY_TIMEOUT", "30s");
        env.put("OTHER_VARIABLE", "ignored");

        List<SourceDefinition> sources = SourceSettings.read(env);
        assertThat(sources).hasSize(1);
        SourceDefinition s = sources.get(0);
        assertThat(s.id()).isEqualTo("eu_sales");
        assertThat(s.username()).isEqualTo("reader");
        assertThat(s.password().reveal()).isEqualTo("s3cret");
        assertThat(s.toString()).doesNotContain("s3cret");
        assertThat(s.updateFrequency()).isEqualTo(Duration.ofMinutes(5));
        assertThat(s.memberIdSource()).isEqualTo("crm");
        assertThat(s.timezone()).isEqualTo(ZoneId.of("Europe/Copenhagen"));
        assertThat(s.start()).isEqualTo(Instant.parse("2023-12-31T23:00:00Z"));
        assertThat(s.fetchSize()).isEqualTo(500);
        assertThat(s.batchSize()).isEqualTo(2000);
        assertThat(s.lookback()).isEqualTo(Duration.ofMinutes(5));
        assertThat(s.settle()).isEqualTo(Duration.ofSeconds(10));
        assertThat(s.maxRows(Duration.ofMinutes(5))).isEqualTo(Long.MAX_VALUE);
        assertThat(s.queryTimeout()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void defaults() {
        SourceDefinition s = SourceSettings.read(minimal("SALES")).get(0);
        assertThat(s.updateFrequency()).isEqualTo(Duration.ofMinutes(1));
        assertThat(s.memberIdSource()).isEqualTo("sales");
        assertThat(s.timezone()).isEqualTo(ZoneId.of("UTC"));
        assertThat(s.start()).isEqualTo(Instant.EPOCH);
        assertThat(s.password().isEmpty()).isTrue();
        assertThat(s.lookback()).isEqualTo(Duration.ofMinutes(1));
        assertThat(s.settle()).isZero();
        assertThat(s.maxRows(Duration.ofMinutes(1))).isEqualTo(10_000);
        assertThat(s.maxRows(Duration.ofMinutes(5))).isEqualTo(50_000);
        assertThat(s.queryTimeout()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void passwordAndStatementFromFiles(@TempDir Path dir) throws Exception {
        Path password = Files.writeString(dir.resolve("pw"), "from-file\n");
        Path statement = Files.writeString(dir.resolve("q.sql"), "SELECT *\nFROM sales\n");
        Map<String, String> env = new HashMap<>();
        env.put("TRIBUTARY_SOURCES_S_URL", "postgresql://h/db");
        env.put("TRIBUTARY_SOURCES_S_PASSWORD_FILE", password.toString());
        env.put("TRIBUTARY_SOURCES_S_STATEMENT_FILE", statement.toString());
        SourceDefinition s = SourceSettings.read(env).get(0);
        assertThat(s.password().reveal()).isEqualTo("from-file");
        assertThat(s.statement()).isEqualTo("SELECT *\nFROM sales\n");
    }

    @Test
    void aPasswordInTheUrlIsMovedOutOfIt() {
        Map<String, String> env = minimal("S");
        env.put("TRIBUTARY_SOURCES_S_URL", "postgresql://reader:p%40ss@db.example/shop");
        SourceDefinition s = SourceSettings.read(env).get(0);
        assertThat(s.url()).isEqualTo("postgresql://reader@db.example/shop");
        assertThat(s.password().reveal()).isEqualTo("p@ss");

        env.put("TRIBUTARY_SOURCES_S_URL", "postgresql://db.example/shop?user=reader&password=s%3Dcret&sslMode=require");
        SourceDefinition q = SourceSettings.read(env).get(0);
        assertThat(q.url()).isEqualTo("postgresql://db.example/shop?sslMode=require");
        assertThat(q.username()).isEqualTo("reader");
        assertThat(q.password().reveal()).isEqualTo("s=cret");
        env.put("TRIBUTARY_SOURCES_S_URL", "postgresql://db.example/shop?password=x&sslMode=require");
        assertThat(SourceSettings.read(env).get(0).url()).isEqualTo("postgresql://db.example/shop?sslMode=require");
    }

    @Test
    @org.junit.jupiter.api.DisplayName("a password given as a ?password= URL parameter is moved out of the URL too, so the API cannot show it")
    void aPasswordQueryParameterIsMovedOutOfTheUrl() {
        Map<String, String> env = minimal("S");
        env.put("TRIBUTARY_SOURCES_S_URL", "postgresql://reader@db.example/shop?sslMode=require&Password=s%2Fcret&x=1");
        SourceDefinition s = SourceSettings.read(env).get(0);
        assertThat(s.url()).isEqualTo("postgresql://reader@db.example/shop?sslMode=require&x=1");
        assertThat(s.password().reveal()).isEqualTo("s/cret");

        env.put("TRIBUTARY_SOURCES_S_URL", "postgresql://db.example/shop?password=only");
        assertThat(SourceSettings.read(env).get(0).url()).isEqualTo("postgresql://db.example/shop");
    }

    @Test
    void everyMistakeNamesTheVariable(@TempDir Path dir) {
        assertError(Map.of("TRIBUTARY_SOURCES_S_STATEMENT", "SELECT 1"), "TRIBUTARY_SOURCES_S_URL is missing");
        assertError(Map.of("TRIBUTARY_SOURCES_S_URL", "postgresql://h/db"), "TRIBUTARY_SOURCES_S_STATEMENT is missing");
        assertError(with("TRIBUTARY_SOURCES_S_URLL", "x"), "TRIBUTARY_SOURCES_S_URLL is not a known setting");
        assertError(with("TRIBUTARY_SOURCES_S_UPDATE_FREQUENCY", "5x"),
                "TRIBUTARY_SOURCES_S_UPDATE_FREQUENCY='5x' is not a duration");
        assertError(with("TRIBUTARY_SOURCES_S_UPDATE_FREQUENCY", "100ms"), "shorter than the minimum of 1s");
        assertError(with("TRIBUTARY_SOURCES_S_TIMEZONE", "Mars/Olympus"),
                "TRIBUTARY_SOURCES_S_TIMEZONE='Mars/Olympus' is not a time zone");
        assertError(with("TRIBUTARY_SOURCES_S_START", "last year"), "TRIBUTARY_SOURCES_S_START='last year' is not a date");
        assertError(with("TRIBUTARY_SOURCES_S_FETCH_SIZE", "0"), "TRIBUTARY_SOURCES_S_FETCH_SIZE='0' must be a whole number");
        assertError(with("TRIBUTARY_SOURCES_S_LOOKBACK", "-1m"), "TRIBUTARY_SOURCES_S_LOOKBACK='-1m' is negative");
        assertError(with("TRIBUTARY_SOURCES_S_SETTLE", "-5s"), "TRIBUTARY_SOURCES_S_SETTLE='-5s' is negative; it must be 0 or more");
        assertError(with("TRIBUTARY_SOURCES_S_SETTLE", "PT-5S"), "TRIBUTARY_SOURCES_S_SETTLE='PT-5S' is negative");
        assertError(with("TRIBUTARY_SOURCES_S_SETTLE", "-PT5S"), "TRIBUTARY_SOURCES_S_SETTLE='-PT5S' is negative");
        Map<String, String> twoCases = with("TRIBUTARY_SOURCES_s_URL", "postgresql://h/other");
        twoCases.put("TRIBUTARY_SOURCES_s_STATEMENT", "SELECT 2");
        assertError(twoCases, "TRIBUTARY_SOURCES_S_* and TRIBUTARY_SOURCES_s_* name the same source 's'");
        Map<String, String> twoUsers = with("TRIBUTARY_SOURCES_S_URL", "postgresql://h/db?user=a");
        twoUsers.put("TRIBUTARY_SOURCES_S_USERNAME", "b");
        assertError(twoUsers, "TRIBUTARY_SOURCES_S_URL names the user 'a' and TRIBUTARY_SOURCES_S_USERNAME another");
        assertError(with("TRIBUTARY_SOURCES_S_MAX_ROWS_PER_MINUTE", "lots"), "TRIBUTARY_SOURCES_S_MAX_ROWS_PER_MINUTE='lots'");
        assertError(with("TRIBUTARY_SOURCES_S_QUERY_TIMEOUT", "0s"), "TRIBUTARY_SOURCES_S_QUERY_TIMEOUT must be longer than 0");
        assertError(with("TRIBUTARY_SOURCES_S_PASSWORD_FILE", dir.resolve("absent").toString()),
                "TRIBUTARY_SOURCES_S_PASSWORD_FILE: cannot read");
        Map<String, String> both = with("TRIBUTARY_SOURCES_S_STATEMENT_FILE", "/x.sql");
        assertError(both, "TRIBUTARY_SOURCES_S_STATEMENT and TRIBUTARY_SOURCES_S_STATEMENT_FILE are both set");
    }

    @Test
    @org.junit.jupiter.api.DisplayName("issue 19: SQL Server's ;user=...;password=... form is split like ?user=&password=")
    void semicolonParametersGiveUserAndPassword() {
        Map<String, String> env = with("TRIBUTARY_SOURCES_S_URL",
                "jdbc:sqlserver://db.example:1433;databaseName=shop;user=reader;password=s%3Bcret;encrypt=true");
        SourceDefinition s = SourceSettings.read(env).get(0);
        assertThat(s.url()).isEqualTo("jdbc:sqlserver://db.example:1433;databaseName=shop;encrypt=true");
        assertThat(s.username()).isEqualTo("reader");
        assertThat(s.password().reveal()).isEqualTo("s;cret");
    }

    @Test
    void mistakesNeverPrintThePassword() {
        Map<String, String> env = with("TRIBUTARY_SOURCES_S_PASSWORD", "hunter2");
        env.put("TRIBUTARY_SOURCES_S_URL", "postgresql://u:hunter2@h/db");
        assertThatThrownBy(() -> SourceSettings.read(env)).hasMessageNotContaining("hunter2")
                .hasMessageContaining("holds a password");
    }

    private static Map<String, String> with(String name, String value) {
        Map<String, String> env = minimal("S");
        env.put(name, value);
        return env;
    }

    @Test
    void aKeyPairAndAServiceAccountKeyBecomeTheSourcesOptionAndSecrets(@TempDir Path dir) throws Exception {
        Path key = Files.writeString(dir.resolve("rsa_key.p8"), "-----BEGIN ENCRYPTED PRIVATE KEY-----\n");
        Path passphrase = Files.writeString(dir.resolve("passphrase"), "k3y-pass\n");
        Path serviceAccount = Files.writeString(dir.resolve("sa.json"), "{\"type\": \"service_account\"}\n");
        Map<String, String> env = minimal("SF_PRIVATE");
        env.put("TRIBUTARY_SOURCES_SF_PRIVATE_PRIVATE_KEY_FILE", key.toString());
        env.put("TRIBUTARY_SOURCES_SF_PRIVATE_PRIVATE_KEY_PASSWORD_FILE", passphrase.toString());
        env.putAll(minimal("BQ"));
        env.put("TRIBUTARY_SOURCES_BQ_CREDENTIALS_FILE", serviceAccount.toString());
        env.putAll(minimal("BQ_ENV"));
        env.put("TRIBUTARY_SOURCES_BQ_ENV_CREDENTIALS", "{\"type\": \"service_account\", \"private_key\": \"abc\"}");
        env.putAll(minimal("SF_DIRECT"));
        env.put("TRIBUTARY_SOURCES_SF_DIRECT_PRIVATE_KEY_FILE", key.toString());
        env.put("TRIBUTARY_SOURCES_SF_DIRECT_PRIVATE_KEY_PASSWORD", "direct-pass");

        Map<String, SourceDefinition> sources = new HashMap<>();
        SourceSettings.read(env).forEach(d -> sources.put(d.id(), d));

        SourceDefinition keyPair = sources.get("sf_private");
        assertThat(keyPair.options()).containsExactly(Map.entry("private_key_file", key.toString()));
        assertThat(keyPair.secrets().get("private_key_password").reveal()).as("the newline is not part of it").isEqualTo("k3y-pass");
        assertThat(keyPair.password().isEmpty()).isTrue();
        assertThat(sources.get("sf_direct").secrets().get("private_key_password").reveal()).isEqualTo("direct-pass");
        assertThat(sources.get("bq").secrets().get("credentials").reveal()).startsWith("{\"type\": \"service_account\"}");
        assertThat(sources.get("bq").options()).isEmpty();
        SourceDefinition fromEnv = sources.get("bq_env");
        assertThat(fromEnv.secrets()).containsOnlyKeys("credentials");
        assertThat(fromEnv.toString()).doesNotContain("abc").doesNotContain("service_account");
        assertThat(keyPair.toString()).doesNotContain("k3y-pass");
        assertThat(sources.get("sales")).isNull();
    }

    @Test
    void keyAndCredentialMistakesNameTheVariable(@TempDir Path dir) {
        Map<String, String> missingKey = minimal("SF");
        missingKey.put("TRIBUTARY_SOURCES_SF_PRIVATE_KEY_FILE", dir.resolve("missing.p8").toString());
        assertError(missingKey, "TRIBUTARY_SOURCES_SF_PRIVATE_KEY_FILE: cannot read");
        Map<String, String> both = minimal("BQ");
        both.put("TRIBUTARY_SOURCES_BQ_CREDENTIALS", "{}");
        both.put("TRIBUTARY_SOURCES_BQ_CREDENTIALS_FILE", "/x");
        assertError(both, "TRIBUTARY_SOURCES_BQ_CREDENTIALS and TRIBUTARY_SOURCES_BQ_CREDENTIALS_FILE are both set");
        Map<String, String> twoPassphrases = minimal("SF");
        twoPassphrases.put("TRIBUTARY_SOURCES_SF_PRIVATE_KEY_PASSWORD", "a");
        twoPassphrases.put("TRIBUTARY_SOURCES_SF_PRIVATE_KEY_PASSWORD_FILE", "/x");
        assertError(twoPassphrases, "TRIBUTARY_SOURCES_SF_PRIVATE_KEY_PASSWORD and TRIBUTARY_SOURCES_SF_PRIVATE_KEY_PASSWORD_FILE");
    }

    private static void assertError(Map<String, String> env, String message) {
        assertThatThrownBy(() -> SourceSettings.read(env)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining(message);
    }

    @org.junit.jupiter.api.Test
    @org.junit.jupiter.api.DisplayName("every source setting Tributary reads is documented in docs/configuration.md")
    void everySettingIsDocumented() throws java.io.IOException {
        String docs = java.nio.file.Files.readString(java.nio.file.Path.of("..", "docs", "configuration.md"));
        for (String setting : SourceSettings.SETTINGS) {
            // a row of its own, or named in its sibling's row (`_PRIVATE_KEY_PASSWORD_FILE`)
            org.assertj.core.api.Assertions.assertThat(docs.contains("`TRIBUTARY_SOURCES_<ID>_" + setting + "`")
                    || docs.contains("`_" + setting + "`")).as("docs/configuration.md documents " + setting).isTrue();
        }
        for (SourceSettings.Optional<?> setting : SourceSettings.OPTIONAL) {
            org.assertj.core.api.Assertions.assertThat(SourceSettings.SETTINGS).contains(setting.name());
        }
    }
}
