package io.tributary.dialect.oracle;

import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.stream.Stream;

import io.tributary.core.spi.DialectProvider;
import io.tributary.testkit.DialectContract;

/** The shared dialect contract, with Oracle's rows. */
class OracleDialectContractTest extends DialectContract {


    @Override
    protected DialectProvider provider() {
        return new OracleDialectProvider();
    }

    @Override
    protected Stream<Rendering> renderings() {
        return Stream.of(new Rendering("SELECT id AS reference, sold_at AS \"date\" FROM sales WHERE updated_at >= {{ last_update_time }}"
                + " AND updated_at < {{ upper_date_limit }} AND sold_at < {{ upper_date_limit }}",
                "SELECT id AS reference, sold_at AS \"date\" FROM sales WHERE updated_at >= :1 AND updated_at < :2 AND sold_at < :3",
                LOWER_UPPER_UPPER),
                new Rendering("CALL sales_pkg.registrations_between({{ last_update_time }}, {{ upper_date_limit }});",
                        "CALL sales_pkg.registrations_between(:1, :2)", LOWER_UPPER));
    }

    /** Local timestamps of the source's zone. */
    @Override
    protected Stream<Bound> bounds() {
        return Stream.of(new Bound(BOUND, ZoneId.of("Europe/Copenhagen"), LocalDateTime.parse("2024-03-01T10:15:30.123456789")),
                new Bound(BOUND, ZoneOffset.UTC, LocalDateTime.parse("2024-03-01T09:15:30.123456789")));
    }

    @Override
    protected Stream<String> supportedUrls() {
        return Stream.of("oracle://db:1521/FREEPDB1", "ORACLE://db/FREEPDB1", "jdbc:oracle:thin:@//db:1521/FREEPDB1",
                "jdbc:oracle:thin:@db:1521:ORCL",
                "jdbc:oracle:thin:@(DESCRIPTION=(ADDRESS=(PROTOCOL=TCP)(HOST=db)(PORT=1521))(CONNECT_DATA=(SERVICE_NAME=s)))");
    }

    @Override
    protected Stream<String> otherUrls() {
        return Stream.of("jdbc:oracle:oci:@db", "sqlserver://db/x", "postgresql://db/x", "jdbc:sqlserver://db");
    }

    @Override
    protected Stream<Refusal> refusals() {
        return Stream.of(new Refusal(source("jdbc:oracle:thin:scott/t1ger!@db:1521/s", "reader"), "holds credentials"),
                new Refusal(source("oracle://scott:t1ger!@db/s", "reader"), "holds credentials"),
                new Refusal(source("oracle://db:1521", "reader"), "service name is missing"),
                new Refusal(source("jdbc:oracle:thin:@", "reader"), "names no database"),
                new Refusal(source("oracle://db/FREEPDB1", ""), "needs a login"));
    }
}
