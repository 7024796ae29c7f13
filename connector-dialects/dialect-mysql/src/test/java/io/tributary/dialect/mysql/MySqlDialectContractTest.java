package io.tributary.dialect.mysql;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.stream.Stream;

import io.tributary.core.spi.DialectProvider;
import io.tributary.testkit.DialectContract;

/** The shared dialect contract, with MySQL and MariaDB's rows. */
class MySqlDialectContractTest extends DialectContract {


    @Override
    protected DialectProvider provider() {
        return new MySqlDialectProvider();
    }

    @Override
    protected Stream<Rendering> renderings() {
        return Stream.of(new Rendering("SELECT `date` AS date, 'it\\'s; -- no comment' AS s FROM t "
                + "WHERE `date` >= {{ last_update_time }} AND `date` < '{{ upper_date_limit }}'",
                "SELECT `date` AS date, 'it\\'s; -- no comment' AS s FROM t WHERE `date` >= ? AND `date` < ?", LOWER_UPPER),
                new Rendering("CALL sales_between({{ last_update_time }}, {{ upper_date_limit }})", "CALL sales_between(?, ?)",
                        LOWER_UPPER));
    }

    /** The instant itself: the client turns the run's two bounds into local times of one offset together. */
    @Override
    protected Stream<Bound> bounds() {
        return Stream.of(new Bound(BOUND, ZoneId.of("Europe/Copenhagen"), BOUND), new Bound(BOUND, ZoneOffset.UTC, BOUND));
    }

    @Override
    protected Stream<String> supportedUrls() {
        return Stream.of("mysql://h:3306/db", "mariadb://h/db", "r2dbc:mysql://h/db", "r2dbc:mariadb://h/db",
                "jdbc:mysql://h:3306/db?useSSL=false", "JDBC:MariaDB://h/db", " mysql://h/db ");
    }

    @Override
    protected Stream<String> otherUrls() {
        return Stream.of("postgresql://h/db", "mysqlx://h/db", "sqlserver://h/db");
    }

    @Override
    protected Stream<Refusal> refusals() {
        return Stream.of(new Refusal(source("mysql://", "u"), "invalid MySQL URL"));
    }
}
