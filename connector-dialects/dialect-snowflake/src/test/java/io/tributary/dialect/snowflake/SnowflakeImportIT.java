package io.tributary.dialect.snowflake;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

import io.tributary.core.Secret;
import io.tributary.core.SourceDefinition;
import io.tributary.core.SourcePipeline;
import io.tributary.core.Tributary;
import io.tributary.core.mapping.Registration;
import io.tributary.core.sink.RunRecord;
import io.tributary.core.spi.SourceClient;
import io.tributary.core.window.Window;
import io.tributary.testkit.InMemoryStore;

/**
 * A real import from a live Snowflake account, opt-in: set {@code TRIBUTARY_TEST_SNOWFLAKE_URL} (e.g.
 * {@code snowflake://<account>.snowflakecomputing.com/?warehouse=..&db=..&schema=..&role=..}),
 * {@code TRIBUTARY_TEST_SNOWFLAKE_USERNAME} and either {@code TRIBUTARY_TEST_SNOWFLAKE_PASSWORD} or
 * {@code TRIBUTARY_TEST_SNOWFLAKE_PRIVATE_KEY_FILE} (with {@code TRIBUTARY_TEST_SNOWFLAKE_PRIVATE_KEY_PASSWORD} if
 * it is encrypted). The role needs to create a table and a procedure in the schema; both are dropped at the end.
 */
@EnabledIfEnvironmentVariable(named = "TRIBUTARY_TEST_SNOWFLAKE_URL", matches = ".+")
class SnowflakeImportIT {

    static final String URL = System.getenv("TRIBUTARY_TEST_SNOWFLAKE_URL");
    static final ZoneId ZONE = ZoneId.of("Europe/Copenhagen");
    static final Window JULY = new Window(Instant.parse("2024-06-30T22:00:00Z"), Instant.parse("2024-07-31T22:00:00Z"));

    @BeforeAll
    static void createSales() throws SQLException {
        execute("CREATE OR REPLACE TABLE TRIBUTARY_IT_SALES (ID NUMBER(12) PRIMARY KEY, SELLER VARCHAR NOT NULL,"
                        + " SELLER_NAME VARCHAR, SOLD_AT TIMESTAMP_NTZ(9) NOT NULL, AMOUNT NUMBER(12,2) NOT NULL,"
                        + " BIG NUMBER(38,0), SEEN TIMESTAMP_LTZ(9), BOOKED TIMESTAMP_TZ(9), META VARIANT, TAGS ARRAY,"
                        + " ADDRESS OBJECT, TAG BINARY, RATIO FLOAT, PAID BOOLEAN, SOLD_ON DATE)",
                "INSERT INTO TRIBUTARY_IT_SALES SELECT 1, 'm-1', 'Ada', '2024-07-01 12:00:30.123456789'::TIMESTAMP_NTZ, 10.50,"
                        + " 12345678901234567890123456789012345678, '2024-07-01 12:00:00 +02:00'::TIMESTAMP_LTZ,"
                        + " '2024-07-01 12:00:00.000000001 -05:00'::TIMESTAMP_TZ, PARSE_JSON('{\"k\":[1,2.5]}'),"
                        + " ARRAY_CONSTRUCT('a','b'), OBJECT_CONSTRUCT('city','Aarhus'), TO_BINARY('CAFE','HEX'), 0.25, TRUE,"
                        + " '2024-07-01'::DATE",
                "INSERT INTO TRIBUTARY_IT_SALES (ID, SELLER, SELLER_NAME, SOLD_AT, AMOUNT)"
                        + " VALUES (2, 'm-2', 'Søren', '2024-07-02 08:30:00', 20)",
                "INSERT INTO TRIBUTARY_IT_SALES (ID, SELLER, SOLD_AT, AMOUNT) VALUES (3, 'm-1', '2024-08-01 00:00:00', 30)",
                "CREATE OR REPLACE PROCEDURE TRIBUTARY_IT_SALES_BETWEEN(P_FROM TIMESTAMP_LTZ, P_TO TIMESTAMP_LTZ)"
                        + " RETURNS TABLE (REFERENCE NUMBER, MEMBER_ID VARCHAR, MEMBER_NAME VARCHAR, \"date\" TIMESTAMP_NTZ, AMOUNT NUMBER(12,2))"
                        + " LANGUAGE SQL AS $$ DECLARE res RESULTSET DEFAULT (SELECT ID, SELLER, SELLER_NAME, SOLD_AT, AMOUNT"
                        + " FROM TRIBUTARY_IT_SALES WHERE SOLD_AT >= :P_FROM AND SOLD_AT < :P_TO ORDER BY SOLD_AT);"
                        + " BEGIN RETURN TABLE(res); END; $$");
    }

    @AfterAll
    static void dropSales() throws SQLException {
        execute("DROP PROCEDURE IF EXISTS TRIBUTARY_IT_SALES_BETWEEN(TIMESTAMP_LTZ, TIMESTAMP_LTZ)",
                "DROP TABLE IF EXISTS TRIBUTARY_IT_SALES");
    }

    @Test
    void aSelectImportsTheWindowWithExactValues() {
        InMemoryStore store = new InMemoryStore();
        RunRecord run = importJuly(store, "SELECT ID AS reference, SELLER AS member_id, SELLER_NAME AS member_name,"
                + " SOLD_AT AS \"date\", AMOUNT AS \"amount\", BIG AS \"big\", SEEN AS \"seen\", BOOKED AS \"booked\","
                + " META AS \"meta\", TAGS AS \"tags\", ADDRESS AS \"address\", TAG AS \"tag\", RATIO AS \"ratio\","
                + " PAID AS \"paid\", SOLD_ON AS \"sold_on\" FROM TRIBUTARY_IT_SALES"
                + " WHERE SOLD_AT >= {{ last_update_time }} AND SOLD_AT < {{ upper_date_limit }} ORDER BY SOLD_AT");

        assertThat(run.succeeded()).as(String.valueOf(run.error())).isTrue();
        assertThat(run.read()).isEqualTo(2);
        Map<String, Registration> imported = store.registrations("sales");
        Registration ada = imported.get("1");
        assertThat(ada.memberId()).isEqualTo("m-1");
        assertThat(ada.date()).as("TIMESTAMP_NTZ read in Europe/Copenhagen").isEqualTo(Instant.parse("2024-07-01T10:00:30.123456789Z"));
        assertThat(ada.fieldsJson()).isEqualTo("{\"amount\":10.50,\"big\":12345678901234567890123456789012345678,"
                + "\"seen\":\"2024-07-01T10:00:00Z\",\"booked\":\"2024-07-01T17:00:00.000000001Z\","
                + "\"meta\":{\"k\":[1,2.5]},\"tags\":[\"a\",\"b\"],\"address\":{\"city\":\"Aarhus\"},\"tag\":\"yv4=\",\"ratio\":0.25,\"paid\":true,\"sold_on\":\"2024-07-01\"}");
        assertThat(imported.get("2").memberName()).isEqualTo("Søren");
    }

    @Test
    void aProcedureReturningATableImportsTheSameWindow() {
        InMemoryStore store = new InMemoryStore();
        RunRecord run = importJuly(store, "CALL TRIBUTARY_IT_SALES_BETWEEN({{ last_update_time }}, {{ upper_date_limit }})");

        assertThat(run.succeeded()).as(String.valueOf(run.error())).isTrue();
        assertThat(store.registrations("sales")).containsOnlyKeys("1", "2");
        assertThat(store.registrations("sales").get("1").fieldsJson()).isEqualTo("{\"AMOUNT\":10.50}");
    }

    @Test
    void theUpperBoundComesFromSnowflakesClock() {
        SourceClient client = new SnowflakeDialectProvider().connect(source("SELECT 1 AS reference").build());
        try {
            Instant now = client.now().block(Duration.ofMinutes(1));
            assertThat(Duration.between(now, Instant.now()).abs()).isLessThan(Duration.ofMinutes(5));
        } finally {
            client.close().block(Duration.ofSeconds(10));
        }
    }

    private static RunRecord importJuly(InMemoryStore store, String statement) {
        try (Tributary tributary = Tributary.builder().sink(store).checkpoints(store).importLog(store).build()) {
            SourcePipeline pipeline = tributary.add(source(statement).fetchSize(1).batchSize(1).build());
            return pipeline.importWindow(JULY).block(Duration.ofMinutes(2));
        }
    }

    static SourceDefinition.Builder source(String statement) {
        Map<String, String> env = System.getenv();
        SourceDefinition.Builder b = SourceDefinition.builder("sales", URL, statement).timezone(ZONE)
                .credentials(env.getOrDefault("TRIBUTARY_TEST_SNOWFLAKE_USERNAME", "TRIBUTARY"),
                        Secret.of(env.getOrDefault("TRIBUTARY_TEST_SNOWFLAKE_PASSWORD", "")));
        String key = env.get("TRIBUTARY_TEST_SNOWFLAKE_PRIVATE_KEY_FILE");
        if (key != null && !key.isBlank()) {
            b.options(Map.of(SnowflakeDialectProvider.PRIVATE_KEY_FILE, key));
            Map<String, Secret> secrets = new HashMap<>();
            String pass = env.get("TRIBUTARY_TEST_SNOWFLAKE_PRIVATE_KEY_PASSWORD");
            if (pass != null && !pass.isEmpty()) {
                secrets.put(SnowflakeDialectProvider.PRIVATE_KEY_PASSWORD, Secret.of(pass));
            }
            b.secrets(secrets);
        }
        return b;
    }

    private static void execute(String... statements) throws SQLException {
        try (Connection c = SnowflakeDialectProvider.login(source("SELECT 1").build()).getConnection();
                Statement st = c.createStatement()) {
            for (String sql : statements) {
                st.execute(sql);
            }
        }
    }
}
