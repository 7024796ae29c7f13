package io.tributary.dialect.oracle;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
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
import io.tributary.core.window.Window;
import io.tributary.testkit.InMemoryStore;

/**
 * A real import from a live Oracle, opt-in: set {@code TRIBUTARY_TEST_ORACLE_URL} (e.g.
 * {@code oracle://127.0.0.1:1521/FREEPDB1}), {@code TRIBUTARY_TEST_ORACLE_USERNAME} and
 * {@code TRIBUTARY_TEST_ORACLE_PASSWORD}. The user needs to create a table and a procedure in its schema.
 */
@EnabledIfEnvironmentVariable(named = "TRIBUTARY_TEST_ORACLE_URL", matches = ".+")
class OracleImportIT {

    static final String URL = System.getenv("TRIBUTARY_TEST_ORACLE_URL");
    static final String USER = System.getenv().getOrDefault("TRIBUTARY_TEST_ORACLE_USERNAME", "tributary");
    static final Secret PASSWORD = Secret.of(System.getenv().getOrDefault("TRIBUTARY_TEST_ORACLE_PASSWORD", ""));
    static final ZoneId ZONE = ZoneId.of("Europe/Copenhagen");

    @BeforeAll
    static void createSales() throws SQLException {
        execute(true, "DROP PROCEDURE tributary_it_sales_between", "DROP TABLE tributary_it_sales");
        execute(false,
                "CREATE TABLE tributary_it_sales (id NUMBER(12) PRIMARY KEY, seller VARCHAR2(50) NOT NULL,"
                        + " seller_name VARCHAR2(100), sold_at DATE NOT NULL, amount NUMBER(12,2) NOT NULL,"
                        + " precise TIMESTAMP(9), booked TIMESTAMP WITH TIME ZONE, seen TIMESTAMP WITH LOCAL TIME ZONE,"
                        + " note CLOB, tag RAW(4))",
                "INSERT INTO tributary_it_sales VALUES (1, 'm-1', 'Ada', TIMESTAMP '2024-07-01 12:00:30', 10.5,"
                        + " TIMESTAMP '2024-07-01 12:00:30.123456789', TIMESTAMP '2024-07-01 12:00:00 Europe/Copenhagen',"
                        + " TIMESTAMP '2024-07-01 12:00:00 +02:00', 'a long note', HEXTORAW('CAFE'))",
                "INSERT INTO tributary_it_sales (id, seller, seller_name, sold_at, amount)"
                        + " VALUES (2, 'm-2', 'Søren', TIMESTAMP '2024-07-02 08:30:00', 20)",
                "INSERT INTO tributary_it_sales (id, seller, sold_at, amount) VALUES (3, 'm-1', TIMESTAMP '2024-08-01 00:00:00', 30)",
                "CREATE PROCEDURE tributary_it_sales_between(p_from IN TIMESTAMP, p_to IN TIMESTAMP, p_rows OUT SYS_REFCURSOR) AS"
                        + " BEGIN OPEN p_rows FOR SELECT id AS reference, seller AS member_id, seller_name AS member_name,"
                        + " sold_at AS \"date\", amount FROM tributary_it_sales WHERE sold_at >= p_from AND sold_at < p_to"
                        + " ORDER BY sold_at; END;");
    }

    @AfterAll
    static void dropSales() throws SQLException {
        execute(true, "DROP PROCEDURE tributary_it_sales_between", "DROP TABLE tributary_it_sales");
    }

    @Test
    void aSelectImportsTheWindowWithExactValues() {
        InMemoryStore store = new InMemoryStore();
        RunRecord run = importJuly(store, "SELECT id AS reference, seller AS member_id, seller_name AS member_name,"
                + " sold_at AS \"date\", amount AS \"amount\", precise AS \"precise\", booked AS \"booked\","
                + " seen AS \"seen\", note AS \"note\", tag AS \"tag\" FROM tributary_it_sales"
                + " WHERE sold_at >= {{ last_update_time }} AND sold_at < {{ upper_date_limit }} ORDER BY sold_at");

        assertThat(run.succeeded()).as(String.valueOf(run.error())).isTrue();
        assertThat(run.read()).isEqualTo(2);
        Map<String, Registration> imported = store.registrations("sales");
        Registration ada = imported.get("1");
        assertThat(ada.memberId()).isEqualTo("m-1");
        assertThat(ada.memberName()).isEqualTo("Ada");
        assertThat(ada.date()).as("DATE keeps its time, read in Europe/Copenhagen").isEqualTo(Instant.parse("2024-07-01T10:00:30Z"));
        assertThat(ada.fieldsJson()).isEqualTo("{\"amount\":10.5,\"precise\":\"2024-07-01T10:00:30.123456789Z\","
                + "\"booked\":\"2024-07-01T10:00:00Z\",\"seen\":\"2024-07-01T10:00:00Z\",\"note\":\"a long note\",\"tag\":\"yv4=\"}");
        assertThat(imported.get("2").memberName()).isEqualTo("Søren");
    }

    @Test
    void aProcedureWithARefCursorImportsTheSameWindow() {
        InMemoryStore store = new InMemoryStore();
        RunRecord run = importJuly(store, "CALL tributary_it_sales_between({{ last_update_time }}, {{ upper_date_limit }})");

        assertThat(run.succeeded()).as(String.valueOf(run.error())).isTrue();
        assertThat(store.registrations("sales")).containsOnlyKeys("1", "2");
        assertThat(store.registrations("sales").get("1").fieldsJson()).isEqualTo("{\"AMOUNT\":10.5}");
    }

    @Test
    void theUpperBoundComesFromTheDatabasesClock() {
        SourceDefinition source = SourceDefinition.builder("clock", URL, "SELECT 1 AS reference FROM dual")
                .credentials(USER, PASSWORD).build();
        var client = new OracleDialectProvider().connect(source);
        try {
            Instant now = client.now().block(Duration.ofSeconds(30));
            assertThat(Duration.between(now, Instant.now()).abs()).isLessThan(Duration.ofMinutes(5));
        } finally {
            client.close().block(Duration.ofSeconds(10));
        }
    }

    /** July 2024 in Copenhagen, through Tributary into the in-memory store, one row a fetch. */
    private static RunRecord importJuly(InMemoryStore store, String statement) {
        try (Tributary tributary = Tributary.builder().sink(store).checkpoints(store).importLog(store).build()) {
            SourcePipeline pipeline = tributary.add(SourceDefinition.builder("sales", URL, statement)
                    .credentials(USER, PASSWORD).timezone(ZONE).fetchSize(1).batchSize(1).build());
            Window july = new Window(Instant.parse("2024-06-30T22:00:00Z"), Instant.parse("2024-07-31T22:00:00Z"));
            return pipeline.importWindow(july).block(Duration.ofMinutes(2));
        }
    }

    private static void execute(boolean ignoreErrors, String... statements) throws SQLException {
        try (Connection c = DriverManager.getConnection(OracleUrls.toJdbc(URL), USER, PASSWORD.reveal());
                Statement st = c.createStatement()) {
            for (String sql : statements) {
                try {
                    st.execute(sql);
                } catch (SQLException e) {
                    if (!ignoreErrors) {
                        throw e;
                    }
                }
            }
        }
    }
}
