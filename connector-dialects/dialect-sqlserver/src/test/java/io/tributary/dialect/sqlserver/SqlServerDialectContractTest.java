package io.tributary.dialect.sqlserver;

import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.stream.Stream;

import io.tributary.core.spi.DialectProvider;
import io.tributary.testkit.DialectContract;

/** The shared dialect contract, with SQL Server's rows. */
class SqlServerDialectContractTest extends DialectContract {


    @Override
    protected DialectProvider provider() {
        return new SqlServerDialectProvider();
    }

    @Override
    protected Stream<Rendering> renderings() {
        return Stream.of(new Rendering("SELECT s.id AS reference FROM dbo.sales s WHERE s.updated_at >= {{ last_update_time }}"
                + " AND s.updated_at < {{ upper_date_limit }} AND s.sold_at < {{upper_date_limit}};",
                "SELECT s.id AS reference FROM dbo.sales s WHERE s.updated_at >= @P0 AND s.updated_at < @P1 AND s.sold_at < @P2",
                LOWER_UPPER_UPPER),
                new Rendering("EXEC dbo.sales_between @from = {{ last_update_time }}, @to = {{ upper_date_limit }}",
                        "EXEC dbo.sales_between @from = @P0, @to = @P1", LOWER_UPPER),
                new Rendering("EXECUTE sales_between '{{ last_update_time }}', '{{ upper_date_limit }}'",
                        "EXECUTE sales_between @P0, @P1", LOWER_UPPER));
    }

    /** Local times of the source's zone, which the driver sends as datetime2. */
    @Override
    protected Stream<Bound> bounds() {
        return Stream.of(new Bound(BOUND, ZoneId.of("Europe/Copenhagen"), LocalDateTime.parse("2024-03-01T10:15:30.123456789")),
                new Bound(BOUND, ZoneOffset.UTC, LocalDateTime.parse("2024-03-01T09:15:30.123456789")));
    }

    @Override
    protected Stream<String> supportedUrls() {
        return Stream.of("sqlserver://db:1433/sales", "mssql://db/sales", "r2dbc:mssql://db/sales", "R2DBC:SQLSERVER://db/sales",
                "r2dbcs:mssql://db/sales", "jdbc:sqlserver://db:1433;databaseName=sales");
    }

    @Override
    protected Stream<String> otherUrls() {
        return Stream.of("postgresql://db/sales", "jdbc:oracle:thin:@//db:1521/svc", "mysql://db/sales");
    }

    @Override
    protected Stream<Refusal> refusals() {
        return Stream.of(new Refusal(source("sqlserver://reader:t1ger!@db/sales", "reader"), "holds a password"),
                new Refusal(source("jdbc:sqlserver://db;databaseName=sales;password=t1ger!", "reader"), "holds a password"),
                new Refusal(source("jdbc:sqlserver://db;databaseName=sales;applicationIntent=ReadOnly", "reader"),
                        "applicationIntent=ReadOnly"),
                new Refusal(source("sqlserver://db/sales?applicationIntent=readonly", "reader"),
                        "read-only routing would silently connect"),
                new Refusal(source("jdbc:sqlserver://db\\SQLEXPRESS;databaseName=sales", "reader"), "give the instance's TCP port"),
                new Refusal(source("jdbc:sqlserver://db;databaseName=sales;authentication=ActiveDirectoryPassword", "reader"),
                        "'authentication' is not supported"),
                new Refusal(source("jdbc:sqlserver://db;encrypt=strict", "reader"), "encrypt=strict"),
                new Refusal(source("jdbc:sqlserver://db;portNumber=99999", "reader"), "port must be 1 to 65535"),
                new Refusal(source("jdbc:sqlserver://;databaseName=sales", "reader"), "names no host"),
                new Refusal(source("sqlserver://db/sales", ""), "needs a login"));
    }
}
