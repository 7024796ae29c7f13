package io.tributary.core.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.tributary.core.ConnectorException;
import io.tributary.core.Secret;
import io.tributary.core.mapping.SourceRow;
import io.tributary.core.template.BindMarkers;
import io.tributary.core.template.RenderedStatement;
import io.tributary.core.template.StatementTemplate;
import reactor.test.StepVerifier;

/** The bridge against a real JDBC driver that runs in-process: H2. */
class JdbcSourceClientH2Test {

    private JdbcDataSource h2;
    private Connection keepAlive;

    @BeforeEach
    void setUp() throws SQLException {
        h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:bridge-" + UUID.randomUUID());
        keepAlive = h2.getConnection();
        try (Statement st = keepAlive.createStatement()) {
            st.execute("CREATE TABLE sales (reference VARCHAR(20), amount DECIMAL(10,2), sold_at TIMESTAMP,"
                    + " booked TIMESTAMP WITH TIME ZONE, sale_day DATE, note CLOB, raw VARBINARY(4))");
            st.execute("INSERT INTO sales VALUES ('a', 12.50, TIMESTAMP '2024-03-01 10:15:30.123456',"
                    + " TIMESTAMP WITH TIME ZONE '2024-03-01 10:15:30+02:00', DATE '2024-03-01', 'long text', X'CAFE')");
            st.execute("INSERT INTO sales SELECT 'r' || x, x, TIMESTAMP '2024-03-02 00:00:00' + x * INTERVAL '1' SECOND,"
                    + " NULL, NULL, NULL, NULL FROM SYSTEM_RANGE(1, 500)");
        }
    }

    @AfterEach
    void tearDown() throws SQLException {
        keepAlive.close();
    }

    private JdbcSourceClient client() {
        return JdbcSourceClient.builder(h2, JdbcSourceClientTest.DIALECT, "SELECT CURRENT_TIMESTAMP")
                .password(Secret.of("s3cr3t")).build();
    }

    @Test
    void valuesArriveAsPlainJavaTypesWithTheBindsApplied() {
        RenderedStatement statement = StatementTemplate.parse("SELECT reference AS \"Ref\", amount, sold_at, booked, sale_day,"
                + " note, raw FROM sales WHERE sold_at >= {{ last_update_time }} AND sold_at < {{ upper_date_limit }}")
                .render(BindMarkers.QUESTION_MARK);
        List<Object> binds = List.of(OffsetDateTime.parse("2024-03-01T00:00Z").toLocalDateTime(),
                OffsetDateTime.parse("2024-03-02T00:00Z").toLocalDateTime());

        StepVerifier.create(client().stream(statement, binds, 100))
                .assertNext(row -> {
                    assertThat(row.columns().names()).containsExactly("Ref", "AMOUNT", "SOLD_AT", "BOOKED", "SALE_DAY",
                            "NOTE", "RAW");
                    assertThat(row.value(0)).isEqualTo("a");
                    assertThat(row.value(1)).isEqualTo(new BigDecimal("12.50"));
                    assertThat(row.value(2)).isEqualTo(LocalDateTime.parse("2024-03-01T10:15:30.123456"));
                    assertThat(row.value(3)).isEqualTo(OffsetDateTime.parse("2024-03-01T10:15:30+02:00"));
                    assertThat(row.value(4)).isEqualTo(LocalDate.parse("2024-03-01"));
                    assertThat(row.value(5)).isEqualTo("long text");
                    assertThat(row.value(6)).isEqualTo(new byte[] {(byte) 0xCA, (byte) 0xFE});
                })
                .verifyComplete();
    }

    @Test
    void aLongResultIsReadInFullAndEveryRowIsItsOwnCopy() {
        RenderedStatement all = new RenderedStatement("SELECT reference FROM sales ORDER BY sold_at", List.of());

        List<SourceRow> rows = client().stream(all, List.of(), 7).collectList().block(Duration.ofSeconds(30));

        assertThat(rows).hasSize(501);
        assertThat(rows.get(0).value(0)).isEqualTo("a");
        assertThat(rows.get(500).value(0)).isEqualTo("r500");
    }

    @Test
    void theClockComesFromTheDatabase() {
        Instant before = Instant.now().minusSeconds(5);

        StepVerifier.create(client().now())
                .assertNext(now -> assertThat(now).isBetween(before, Instant.now().plusSeconds(5)))
                .verifyComplete();
    }

    @Test
    void aBadStatementIsPermanentWithTheServersMessageAndNoPassword() {
        RenderedStatement bad = new RenderedStatement("SELECT * FROM \"s3cr3t\"", List.of());

        StepVerifier.create(client().stream(bad, List.of(), 10))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(ConnectorException.Permanent.class)
                        .hasMessageContaining("not found").hasMessageContaining("******").hasMessageNotContaining("s3cr3t")
                        .hasMessageContaining("42"))
                .verify(Duration.ofSeconds(10));
    }

    @Test
    void anUnreachableDatabaseIsTransient() {
        JdbcDataSource nowhere = new JdbcDataSource();
        nowhere.setURL("jdbc:h2:tcp://127.0.0.1:1/nowhere");
        JdbcSourceClient client = JdbcSourceClient.builder(nowhere, JdbcSourceClientTest.DIALECT, "SELECT 1").build();

        StepVerifier.create(client.stream(new RenderedStatement("SELECT 1", List.of()), List.of(), 10))
                .expectError(ConnectorException.Transient.class)
                .verify(Duration.ofSeconds(30));
    }
}
