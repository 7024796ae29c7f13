package io.tributary.dialect.snowflake;

import java.sql.Timestamp;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.stream.Stream;

import io.tributary.core.Secret;
import io.tributary.core.SourceDefinition;
import io.tributary.core.spi.DialectProvider;
import io.tributary.testkit.DialectContract;

/** The shared dialect contract, with Snowflake's rows. */
class SnowflakeDialectContractTest extends DialectContract {

    private static final String URL = SnowflakeDialectProviderTest.URL;

    private static SourceDefinition source(String url) {
        return SourceDefinition.builder("sales", url, "SELECT 1 AS reference")
                .credentials("TRIBUTARY", Secret.of("t1ger!")).timezone(ZoneId.of("Europe/Copenhagen")).build();
    }

    @Override
    protected DialectProvider provider() {
        return new SnowflakeDialectProvider();
    }

    @Override
    protected Stream<Rendering> renderings() {
        return Stream.of(new Rendering("SELECT id AS reference, 'it\\'s {{ not a variable' AS note, $$a ; {{ b $$ AS raw"
                + " FROM sales WHERE updated_at >= {{ last_update_time }} AND updated_at < {{ upper_date_limit }};",
                "SELECT id AS reference, 'it\\'s {{ not a variable' AS note, $$a ; {{ b $$ AS raw"
                + " FROM sales WHERE updated_at >= ? AND updated_at < ?", LOWER_UPPER),
                new Rendering("CALL sales_between({{ last_update_time }}, {{ upper_date_limit }})", "CALL sales_between(?, ?)",
                        LOWER_UPPER));
    }

    /** The exact instant, nanoseconds included, whatever the zone. */
    @Override
    protected Stream<Bound> bounds() {
        return Stream.of(new Bound(BOUND, ZoneId.of("Europe/Copenhagen"), Timestamp.from(BOUND)),
                new Bound(BOUND, ZoneOffset.UTC, Timestamp.from(BOUND)));
    }

    @Override
    protected Stream<String> supportedUrls() {
        return Stream.of(URL, "SNOWFLAKE://acme-xy12345", "jdbc:snowflake://acme-xy12345.eu-central-1.snowflakecomputing.com/?db=SALES",
                "jdbc:snowflake://acme.privatelink.snowflakecomputing.com:443");
    }

    @Override
    protected Stream<String> otherUrls() {
        return Stream.of("bigquery://p", "postgresql://db/x", "jdbc:oracle:thin:@db");
    }

    @Override
    protected Stream<Refusal> refusals() {
        return Stream.of(new Refusal(source("snowflake://reader:t1ger!@acme.snowflakecomputing.com"), "holds credentials"),
                new Refusal(source("snowflake://acme.snowflakecomputing.com/SALES"), "the URL has a path"),
                new Refusal(source("snowflake://acme.snowflakecomputing.com/?private_key_pwd=x"), "is a credential"),
                new Refusal(source("snowflake://acme.snowflakecomputing.com/?authenticator=externalbrowser"), "is a credential"),
                new Refusal(source("snowflake://acme.snowflakecomputing.com/?timezone=UTC"), "set the source's TIMEZONE"),
                new Refusal(source("snowflake://acme.snowflakecomputing.com/?TIMESTAMP_NTZ_OUTPUT_FORMAT=x"), "set by Tributary"),
                new Refusal(source("snowflake://acme.snowflakecomputing.com/?db=A&database=B"), "given twice"),
                new Refusal(source("snowflake://"), "account host is missing"),
                new Refusal(source(URL).toBuilder().credentials("", Secret.of("t1ger!")).build(), "set the source's USERNAME"),
                new Refusal(source(URL).toBuilder().credentials("TRIBUTARY", Secret.empty()).build(),
                        "needs a PASSWORD or a PRIVATE_KEY_FILE"),
                new Refusal(source(URL).toBuilder().timezone(ZoneOffset.ofHoursMinutes(5, 30)).build(), "zone names"));
    }
}
