package io.tributary.dialect.sqlserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

import io.r2dbc.mssql.MssqlConnectionFactoryProvider;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.tributary.core.Secret;
import io.tributary.core.SourceDefinition;
import io.tributary.core.SourcePipeline;
import io.tributary.core.Tributary;
import io.tributary.core.mapping.Registration;
import io.tributary.core.sink.RunRecord;
import io.tributary.core.window.Window;
import io.tributary.testkit.InMemoryStore;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A real import from a live SQL Server, opt-in: set {@code TRIBUTARY_TEST_SQLSERVER_URL} (any form the dialect
 * accepts, e.g. {@code sqlserver://127.0.0.1:1433/tempdb}), {@code TRIBUTARY_TEST_SQLSERVER_USERNAME} and
 * {@code TRIBUTARY_TEST_SQLSERVER_PASSWORD}. The login needs to create a table and a procedure in that database.
 */
@EnabledIfEnvironmentVariable(named = "TRIBUTARY_TEST_SQLSERVER_URL", matches = ".+")
class SqlServerImportIT {

    static final String URL = System.getenv("TRIBUTARY_TEST_SQLSERVER_URL");
    static final String USER = System.getenv().getOrDefault("TRIBUTARY_TEST_SQLSERVER_USERNAME", "sa");
    static final Secret PASSWORD = Secret.of(System.getenv().getOrDefault("TRIBUTARY_TEST_SQLSERVER_PASSWORD", ""));
    static final ZoneId ZONE = ZoneId.of("Europe/Copenhagen");

    @BeforeAll
    static void createSales() {
        execute("IF OBJECT_ID('dbo.tributary_it_sales_between') IS NOT NULL DROP PROCEDURE dbo.tributary_it_sales_between",
                "IF OBJECT_ID('dbo.tributary_it_sales') IS NOT NULL DROP TABLE dbo.tributary_it_sales",
                "CREATE TABLE dbo.tributary_it_sales (id uniqueidentifier PRIMARY KEY, seller nvarchar(50) NOT NULL,"
                        + " seller_name nvarchar(100) NULL, sold_at datetime2(7) NOT NULL, amount money NOT NULL,"
                        + " paid bit NOT NULL, booked datetimeoffset(7) NULL, day date NULL, price decimal(10,2) NULL)",
                "INSERT INTO dbo.tributary_it_sales VALUES"
                        + " ('C70D7BF1-E5C7-40C5-98C7-A12F7E686724', N'm-1', N'Ada', '2024-07-01T12:00:00.1234567', 10.5, 1,"
                        + "  '2024-07-01T12:00:00+02:00', '2024-07-01', 12.50),"
                        + " ('0E984725-C51C-4BF4-9960-E1C80E27ABA0', N'm-2', N'Søren', '2024-07-02T08:30:00', 20, 0, NULL, NULL, NULL),"
                        + " ('6F9619FF-8B86-D011-B42D-00C04FC964FF', N'm-1', NULL, '2024-08-01T00:00:00', 30, 1, NULL, NULL, NULL)",
                "CREATE PROCEDURE dbo.tributary_it_sales_between @from datetime2, @to datetime2 AS BEGIN SET NOCOUNT ON;"
                        + " SELECT id AS reference, seller AS member_id, seller_name AS member_name, sold_at AS date, amount"
                        + " FROM dbo.tributary_it_sales WHERE sold_at >= @from AND sold_at < @to ORDER BY sold_at; END");
    }

    @AfterAll
    static void dropSales() {
        execute("DROP PROCEDURE dbo.tributary_it_sales_between", "DROP TABLE dbo.tributary_it_sales");
    }

    @Test
    void aSelectImportsTheWindowWithExactValues() {
        InMemoryStore store = new InMemoryStore();
        RunRecord run = importJuly(store, "SELECT id AS reference, seller AS member_id, seller_name AS member_name,"
                + " sold_at AS date, amount, paid, booked, day, price FROM dbo.tributary_it_sales"
                + " WHERE sold_at >= {{ last_update_time }} AND sold_at < {{ upper_date_limit }} ORDER BY sold_at");

        assertThat(run.succeeded()).as(String.valueOf(run.error())).isTrue();
        assertThat(run.read()).isEqualTo(2);
        Map<String, Registration> imported = store.registrations("sales");
        Registration ada = imported.get("C70D7BF1-E5C7-40C5-98C7-A12F7E686724");
        assertThat(ada.memberId()).isEqualTo("m-1");
        assertThat(ada.memberName()).isEqualTo("Ada");
        assertThat(ada.date()).isEqualTo(Instant.parse("2024-07-01T10:00:00.1234567Z"));
        assertThat(ada.fieldsJson()).isEqualTo("{\"amount\":10.5000,\"paid\":true,\"booked\":\"2024-07-01T10:00:00Z\","
                + "\"day\":\"2024-07-01\",\"price\":12.50}");
        assertThat(imported.get("0E984725-C51C-4BF4-9960-E1C80E27ABA0").memberName()).isEqualTo("Søren");
    }

    @Test
    void aStoredProcedureImportsTheSameWindow() {
        InMemoryStore store = new InMemoryStore();
        RunRecord run = importJuly(store,
                "EXEC dbo.tributary_it_sales_between @from = {{ last_update_time }}, @to = {{ upper_date_limit }}");

        assertThat(run.succeeded()).as(String.valueOf(run.error())).isTrue();
        assertThat(store.registrations("sales")).containsOnlyKeys("C70D7BF1-E5C7-40C5-98C7-A12F7E686724",
                "0E984725-C51C-4BF4-9960-E1C80E27ABA0");
    }

    @Test
    void theUpperBoundComesFromTheServersClock() {
        SourceDefinition source = SourceDefinition.builder("clock", URL, "SELECT 1 AS reference")
                .credentials(USER, PASSWORD).build();
        Instant now = new SqlServerDialectProvider().connect(source).now().block(Duration.ofSeconds(30));

        assertThat(Duration.between(now, Instant.now()).abs()).isLessThan(Duration.ofMinutes(5));
    }

    /** July 2024 in Copenhagen, through Tributary into the in-memory store. */
    private static RunRecord importJuly(InMemoryStore store, String statement) {
        try (Tributary tributary = Tributary.builder().sink(store).checkpoints(store).importLog(store).build()) {
            SourcePipeline pipeline = tributary.add(SourceDefinition.builder("sales", URL, statement)
                    .credentials(USER, PASSWORD).timezone(ZONE).fetchSize(1).batchSize(1).build());
            Window july = new Window(Instant.parse("2024-06-30T22:00:00Z"), Instant.parse("2024-07-31T22:00:00Z"));
            return pipeline.importWindow(july).block(Duration.ofMinutes(2));
        }
    }

    private static void execute(String... statements) {
        SourceDefinition source = SourceDefinition.builder("setup", URL, "SELECT 1 AS reference")
                .credentials(USER, PASSWORD).build();
        ConnectionFactory factory = new MssqlConnectionFactoryProvider().create(SqlServerDialectProvider.options(source));
        Flux.usingWhen(factory.create(),
                c -> Flux.fromIterable(List.of(statements)).concatMap(sql -> run(c, sql)),
                Connection::close).blockLast(Duration.ofMinutes(1));
    }

    private static Mono<Long> run(Connection connection, String sql) {
        return Flux.from(connection.createStatement(sql).execute()).concatMap(r -> r.getRowsUpdated()).reduce(0L, Long::sum);
    }
}
