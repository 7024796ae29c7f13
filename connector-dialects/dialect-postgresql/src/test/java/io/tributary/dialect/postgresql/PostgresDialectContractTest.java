package io.tributary.dialect.postgresql;

import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.stream.Stream;

import io.tributary.core.spi.DialectProvider;
import io.tributary.testkit.DialectContract;

/** The shared dialect contract, with PostgreSQL's rows. */
class PostgresDialectContractTest extends DialectContract {


    @Override
    protected DialectProvider provider() {
        return new PostgresDialectProvider();
    }

    @Override
    protected Stream<Rendering> renderings() {
        return Stream.of(new Rendering("SELECT id AS reference, 'a -- b; c' AS s FROM t WHERE d >= {{ last_update_time }}"
                + " AND d < {{ upper_date_limit }} AND e < {{upper_date_limit}};",
                "SELECT id AS reference, 'a -- b; c' AS s FROM t WHERE d >= $1 AND d < $2 AND e < $3", LOWER_UPPER_UPPER));
    }

    /** timestamptz in UTC: zone-less columns compare in the session's zone, which is the source's. */
    @Override
    protected Stream<Bound> bounds() {
        return Stream.of(new Bound(BOUND, ZoneId.of("Europe/Copenhagen"), OffsetDateTime.ofInstant(BOUND, ZoneOffset.UTC)));
    }

    @Override
    protected Stream<String> supportedUrls() {
        return Stream.of("postgresql://h:5432/db", "postgres://h/db", "r2dbc:postgresql://h/db", "r2dbc:postgres://h/db",
                "jdbc:postgresql://h/db?sslMode=require", " POSTGRESQL://h/db ");
    }

    @Override
    protected Stream<String> otherUrls() {
        return Stream.of("mysql://h/db", "sqlserver://h/db", "jdbc:oracle:thin:@h:1521:X", "h2:mem:///x");
    }

    @Override
    protected Stream<Refusal> refusals() {
        return Stream.of(new Refusal(source("postgresql://", "u"), "invalid PostgreSQL URL"),
                new Refusal(source("mysql://h/db", "u"), "not a PostgreSQL URL"));
    }
}
