package io.tributary.dialect.bigquery;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.stream.Stream;

import io.tributary.core.SourceDefinition;
import io.tributary.core.spi.DialectProvider;
import io.tributary.core.template.Variable;
import io.tributary.testkit.DialectContract;

/** The shared dialect contract, with BigQuery's rows. */
class BigQueryDialectContractTest extends DialectContract {

    private static final Instant BOUND = Instant.parse("2024-03-01T09:15:30.123456Z");

    private static SourceDefinition source(String url) {
        return SourceDefinition.builder("sales", url, "SELECT 1 AS reference").build();
    }

    @Override
    protected DialectProvider provider() {
        return new BigQueryDialectProvider();
    }

    /** Named parameters, even in quotes: a variable used twice is one parameter, bound by name. */
    @Override
    protected Stream<Rendering> renderings() {
        return Stream.of(new Rendering("SELECT id AS reference, 'it\\'s; -- not a comment' AS note, `my-project.sales.orders`.date"
                + " FROM `my-project.sales.orders` WHERE updated_at >= '{{ last_update_time }}'"
                + " AND updated_at < {{ upper_date_limit }} AND date < {{upper_date_limit}};",
                "SELECT id AS reference, 'it\\'s; -- not a comment' AS note, `my-project.sales.orders`.date"
                + " FROM `my-project.sales.orders` WHERE updated_at >= @last_update_time"
                + " AND updated_at < @upper_date_limit AND date < @upper_date_limit",
                List.of(Variable.LAST_UPDATE_TIME, Variable.UPPER_DATE_LIMIT, Variable.UPPER_DATE_LIMIT)));
    }

    /** The default: the client turns it into a TIMESTAMP parameter in microseconds (BigQueryDialectTest). */
    @Override
    protected Stream<Bound> bounds() {
        return Stream.of(new Bound(BOUND, ZoneId.of("Europe/Copenhagen"), java.time.OffsetDateTime.ofInstant(BOUND, java.time.ZoneOffset.UTC)));
    }

    @Override
    protected Stream<String> supportedUrls() {
        return Stream.of("bigquery://shop-analytics", "BIGQUERY://shop-analytics/eu_sales",
                "bigquery://example.com:shop-analytics/eu_sales?location=EU");
    }

    @Override
    protected Stream<String> otherUrls() {
        return Stream.of("jdbc:bigquery://https://www.googleapis.com/bigquery/v2:443;ProjectId=p", "postgresql://db/x",
                "snowflake://acme.snowflakecomputing.com");
    }

    @Override
    protected Stream<Refusal> refusals() {
        return Stream.of(new Refusal(source("bigquery://"), "is not a project id"),
                new Refusal(source("bigquery://Shop_Analytics"), "is not a project id"),
                new Refusal(source("bigquery://reader:pw@shop-analytics"), "holds credentials"),
                new Refusal(source("bigquery://shop-analytics/eu-sales"), "is not a dataset name"),
                new Refusal(source("bigquery://shop-analytics?maximumBytesBilled=10GB"), "maximumBytesBilled='10GB' must be a whole number"),
                new Refusal(source("bigquery://shop-analytics?maximumBytesBilled=0"), "must be a whole number of bytes >= 1"),
                new Refusal(source("bigquery://shop-analytics?project=x"), "unknown URL parameter 'project'; known: location"),
                new Refusal(source("bigquery://shop-analytics?host=http://bigquery.example.com"), "http only to localhost"),
                new Refusal(source("bigquery://shop-analytics?credentials=/etc/key.json"), "the only value is none"),
                new Refusal(source("bigquery://shop-analytics?location="), "is empty"));
    }
}
