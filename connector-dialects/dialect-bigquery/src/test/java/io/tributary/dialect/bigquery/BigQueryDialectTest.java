package io.tributary.dialect.bigquery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.google.cloud.bigquery.QueryJobConfiguration;
import com.google.cloud.bigquery.QueryParameterValue;
import com.google.cloud.bigquery.StandardSQLTypeName;

import io.tributary.core.template.RenderedStatement;
import io.tributary.core.template.StatementTemplate;
import io.tributary.core.template.Variable;
import reactor.core.scheduler.Schedulers;

class BigQueryDialectTest {

    private static RenderedStatement render(String statement) {
        return StatementTemplate.parse(statement, BigQueryDialect.INSTANCE.syntax()).render(BigQueryDialect.INSTANCE.bindMarkers());
    }

    @Test
    void variablesBecomeNamedParametersEvenInQuotesAndBackticksAndEscapesAreLexed() {
        RenderedStatement r = render("SELECT id AS reference, 'it\\'s; -- not a comment' AS note, `my-project.sales.orders`.date"
                + " FROM `my-project.sales.orders` WHERE updated_at >= '{{ last_update_time }}'"
                + " AND updated_at < {{ upper_date_limit }} AND date < {{upper_date_limit}};");

        assertThat(r.sql()).isEqualTo("SELECT id AS reference, 'it\\'s; -- not a comment' AS note, `my-project.sales.orders`.date"
                + " FROM `my-project.sales.orders` WHERE updated_at >= @last_update_time"
                + " AND updated_at < @upper_date_limit AND date < @upper_date_limit");
        assertThat(r.parameters()).containsExactly(Variable.LAST_UPDATE_TIME, Variable.UPPER_DATE_LIMIT, Variable.UPPER_DATE_LIMIT);
        assertThat(BigQueryDialect.MARKERS.bindName(2, Variable.UPPER_DATE_LIMIT)).contains("upper_date_limit");
        assertThat(BigQueryDialect.INSTANCE.name()).isEqualTo("bigquery");
        assertThat(BigQueryDialect.NOW_QUERY).isEqualTo("SELECT CURRENT_TIMESTAMP()");
    }

    @Test
    void boundsAreTimestampParametersInMicrosecondsOnePerVariable() {
        BigQuerySourceClient client = new BigQuerySourceClient(() -> {
            throw new AssertionError("no call");
        }, BigQuerySettings.parse("bigquery://shop-analytics/eu_sales?maximumBytesBilled=1000"), "EU Sales",
                Duration.ofMinutes(5), Schedulers.immediate());
        RenderedStatement r = render("SELECT 1 FROM t WHERE a >= {{ last_update_time }} AND a < {{ upper_date_limit }}"
                + " AND b < {{ upper_date_limit }}");
        OffsetDateTime from = OffsetDateTime.parse("2024-03-01T10:15:30.123456789+01:00");
        Instant to = Instant.parse("2024-03-02T00:00:00Z");

        QueryJobConfiguration job = client.query(r, List.of(from, to, to));

        assertThat(job.getNamedParameters()).containsOnlyKeys("last_update_time", "upper_date_limit");
        QueryParameterValue lower = job.getNamedParameters().get("last_update_time");
        assertThat(lower.getType()).isEqualTo(StandardSQLTypeName.TIMESTAMP);
        assertThat(lower.getValue()).as("truncated to BigQuery's microseconds").isEqualTo("2024-03-01 09:15:30.123456+00:00");
        assertThat(job.getNamedParameters().get("upper_date_limit").getValue()).isEqualTo("2024-03-02 00:00:00.000000+00:00");
        assertThat(job.useLegacySql()).isFalse();
        assertThat(job.getMaximumBytesBilled()).isEqualTo(1000L);
        assertThat(job.getJobTimeoutMs()).isEqualTo(300_000L);
        assertThat(job.getDefaultDataset().getDataset()).isEqualTo("eu_sales");
        assertThat(job.getDefaultDataset().getProject()).isEqualTo("shop-analytics");
        assertThat(job.getLabels()).containsExactly(java.util.Map.entry("tributary_source", "eu_sales"));
    }

    @Test
    void onlyInstantsAreBound() {
        assertThat(BigQuerySourceClient.timestamp(Instant.EPOCH).getValue()).isEqualTo("1970-01-01 00:00:00.000000+00:00");
        assertThat(BigQuerySourceClient.timestamp(OffsetDateTime.of(2024, 1, 1, 0, 0, 0, 0, ZoneOffset.ofHours(2))).getValue())
                .isEqualTo("2023-12-31 22:00:00.000000+00:00");
        assertThatThrownBy(() -> BigQuerySourceClient.timestamp("2024-01-01")).isInstanceOf(IllegalArgumentException.class);
    }
}
