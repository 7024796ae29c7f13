package io.tributary.dialect.h2;

import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.stream.Stream;

import io.tributary.core.spi.DialectProvider;
import io.tributary.testkit.DialectContract;

/** The shared dialect contract, with H2's rows. */
class H2DialectContractTest extends DialectContract {


    @Override
    protected DialectProvider provider() {
        return new H2DialectProvider();
    }

    @Override
    protected Stream<Rendering> renderings() {
        return Stream.of(new Rendering("SELECT id AS reference FROM sales WHERE sold_at >= {{ last_update_time }}"
                + " AND sold_at < {{ upper_date_limit }}",
                "SELECT id AS reference FROM sales WHERE sold_at >= $1 AND sold_at < $2", LOWER_UPPER));
    }

    @Override
    protected Stream<Bound> bounds() {
        return Stream.of(new Bound(BOUND, ZoneId.of("Europe/Copenhagen"), OffsetDateTime.ofInstant(BOUND, ZoneOffset.UTC)));
    }

    @Override
    protected Stream<String> supportedUrls() {
        return Stream.of("r2dbc:h2:mem:///demo", "h2:mem:///demo", "R2DBC:H2:file:///var/lib/demo");
    }

    @Override
    protected Stream<String> otherUrls() {
        return Stream.of("postgresql://h/db", "jdbc:h2:mem:demo");
    }

    @Override
    protected Stream<Refusal> refusals() {
        return Stream.of(new Refusal(source("h2:mem:///demo?DB_CLOSE_DELAY=%zz", "sa"), "invalid H2 URL"));
    }
}
