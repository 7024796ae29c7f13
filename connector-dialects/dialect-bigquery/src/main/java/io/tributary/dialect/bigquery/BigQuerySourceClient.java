package io.tributary.dialect.bigquery;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import com.google.cloud.bigquery.BigQuery;
import com.google.cloud.bigquery.DatasetId;
import com.google.cloud.bigquery.JobId;
import com.google.cloud.bigquery.QueryJobConfiguration;
import com.google.cloud.bigquery.QueryParameterValue;

import io.tributary.core.mapping.FieldValues;
import io.tributary.core.mapping.SourceRow;
import io.tributary.core.spi.SourceClient;
import io.tributary.core.template.RenderedStatement;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * A {@link SourceClient} over the BigQuery API. Each run is one query job in standard SQL: the template's variables
 * are the named {@code TIMESTAMP} parameters {@code @last_update_time} and {@code @upper_date_limit}; the job has
 * the source's query timeout as its job timeout (BigQuery stops it there), the bytes-billed cap, the default dataset
 * and a {@code tributary_source} label. Its result is read a page of {@code fetchSize} rows at a time, the next page
 * fetched only when downstream asks for a row past the current one, on a worker of the injected {@link Scheduler}
 * (default {@link Schedulers#boundedElastic()}). A cancelled run cancels its job.
 * <p>
 * BigQuery has no transactions for a query to be read-only in: the credentials' roles are the guard (grant
 * {@code roles/bigquery.dataViewer} and {@code roles/bigquery.jobUser}, nothing more).
 */
final class BigQuerySourceClient implements SourceClient {

    private final Supplier<BigQuery> bigquery;
    private final BigQuerySettings settings;
    private final String sourceId;
    private final Duration jobTimeout;
    private final Scheduler scheduler;

    /**
     * @param bigquery the service, built on first use: finding application default credentials may take I/O
     */
    BigQuerySourceClient(Supplier<BigQuery> bigquery, BigQuerySettings settings, String sourceId, Duration jobTimeout,
            Scheduler scheduler) {
        this.bigquery = requireNonNull(bigquery, "bigquery must not be null");
        this.settings = requireNonNull(settings, "settings must not be null");
        this.sourceId = requireNonNull(sourceId, "sourceId must not be null");
        this.jobTimeout = requireNonNull(jobTimeout, "jobTimeout must not be null");
        this.scheduler = requireNonNull(scheduler, "scheduler must not be null");
    }

    @Override
    public Flux<SourceRow> stream(RenderedStatement statement, List<Object> bindValues, int fetchSize) {
        requireNonNull(statement, "statement must not be null");
        statement.checkStreamArguments(bindValues, fetchSize);
        QueryJobConfiguration query = query(statement, bindValues);
        return Flux.defer(() -> {
            BigQueryCursor cursor = new BigQueryCursor(bigquery, query, newJobId(), fetchSize, scheduler);
            return Flux.<SourceRow>generate(cursor::next)
                    // the subscription and every request run on one worker: one call at a time, never here
                    .subscribeOn(scheduler)
                    .doOnCancel(cursor::cancel);
        }).onErrorMap(BigQueryErrors::classify);
    }

    @Override
    public Mono<Instant> now() {
        return stream(new RenderedStatement(BigQueryDialect.NOW_QUERY, List.of()), List.of(), 1).next()
                .switchIfEmpty(Mono.error(() -> new IllegalStateException("the clock query returned no row")))
                .map(row -> {
                    Object value = row.value(0);
                    if (value == null) {
                        throw new IllegalStateException("BigQuery's clock returned NULL");
                    }
                    return FieldValues.toInstant(value, ZoneOffset.UTC).orElseThrow(() -> new IllegalStateException(
                            "BigQuery's clock returned " + value.getClass().getName()));
                })
                .onErrorMap(BigQueryErrors::classify);
    }

    /** The HTTP client holds no connection between calls: nothing to release. */
    @Override
    public Mono<Void> close() {
        return Mono.empty();
    }

    /** The job's configuration: standard SQL, named parameters, the cap, the timeout, the default dataset. */
    QueryJobConfiguration query(RenderedStatement statement, List<Object> bindValues) {
        Map<String, QueryParameterValue> parameters = new LinkedHashMap<>();
        for (int i = 0; i < bindValues.size(); i++) {
            String name = BigQueryDialect.MARKERS.bindName(i, statement.parameters().get(i)).orElseThrow();
            // a variable written twice is one parameter with one value
            parameters.put(name, timestamp(bindValues.get(i)));
        }
        QueryJobConfiguration.Builder b = QueryJobConfiguration.newBuilder(statement.sql())
                .setUseLegacySql(false)
                .setNamedParameters(parameters)
                .setJobTimeoutMs(jobTimeout.toMillis())
                .setLabels(Map.of("tributary_source", label(sourceId)));
        settings.datasetName().ifPresent(dataset -> b.setDefaultDataset(DatasetId.of(settings.project(), dataset)));
        if (settings.maximumBytesBilled() != null) {
            b.setMaximumBytesBilled(settings.maximumBytesBilled());
        }
        return b.build();
    }

    private JobId newJobId() {
        JobId.Builder id = JobId.newBuilder().setProject(settings.project())
                .setJob("tributary_" + label(sourceId) + "_" + UUID.randomUUID().toString().replace("-", ""));
        if (settings.location() != null) {
            id.setLocation(settings.location());
        }
        return id.build();
    }

    /** A TIMESTAMP parameter in microseconds, BigQuery's precision. */
    static QueryParameterValue timestamp(Object value) {
        Instant instant;
        if (value instanceof Instant i) {
            instant = i;
        } else if (value instanceof OffsetDateTime o) {
            instant = o.toInstant();
        } else {
            throw new IllegalArgumentException("a window bound must be an Instant or OffsetDateTime, not "
                    + value.getClass().getName());
        }
        return QueryParameterValue.timestamp(ChronoUnit.MICROS.between(Instant.EPOCH, instant));
    }

    /** Label values and job ids allow lower-case letters, digits, '_' and '-'. */
    private static String label(String id) {
        String s = id.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]", "_");
        return s.length() > 63 ? s.substring(0, 63) : s;
    }
}
