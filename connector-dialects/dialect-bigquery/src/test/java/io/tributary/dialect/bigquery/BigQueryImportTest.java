package io.tributary.dialect.bigquery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import io.tributary.core.SourceDefinition;
import io.tributary.core.SourcePipeline;
import io.tributary.core.Tributary;
import io.tributary.core.mapping.Registration;
import io.tributary.core.sink.RunRecord;
import io.tributary.core.window.Window;
import io.tributary.testkit.FakeBigQueryServer;
import io.tributary.testkit.FakeBigQueryServer.Column;
import io.tributary.testkit.FakeBigQueryServer.Failure;
import io.tributary.testkit.FakeBigQueryServer.Result;
import io.tributary.testkit.FakeBigQueryServer.Struct;
import io.tributary.testkit.InMemoryStore;

/**
 * Imports through {@link Tributary} into the in-memory store, the real google-cloud-bigquery client talking to a
 * local fake of the REST API: the job, its named parameters and cap, a result of three pages, every BigQuery type,
 * and the errors a user must fix.
 */
class BigQueryImportTest {

    static final ZoneId COPENHAGEN = ZoneId.of("Europe/Copenhagen");
    static final Window JULY = new Window(Instant.parse("2024-06-30T22:00:00Z"), Instant.parse("2024-07-31T22:00:00Z"));
    static final String STATEMENT = "SELECT reference, member_id, member_name, date, team_name, amount, ratio, paid,"
            + " sold_on, booked_local, booked_at, payload, meta, tags, address, big, deleted"
            + " FROM `sales` WHERE updated_at >= {{ last_update_time }} AND updated_at < {{ upper_date_limit }}"
            + " AND date < {{ upper_date_limit }} ORDER BY date";

    static final List<Column> SCHEMA = List.of(Column.of("reference", "STRING"), Column.of("member_id", "INTEGER"),
            Column.of("member_name", "STRING"), Column.of("date", "TIMESTAMP"), Column.of("team_name", "STRING"),
            Column.of("amount", "NUMERIC"), Column.of("ratio", "FLOAT"), Column.of("paid", "BOOLEAN"),
            Column.of("sold_on", "DATE"), Column.of("booked_local", "DATETIME"), Column.of("booked_at", "TIME"),
            Column.of("payload", "BYTES"), Column.of("meta", "JSON"), Column.repeated("tags", "STRING"),
            Column.record("address", Column.of("city", "STRING"), Column.of("zip", "INTEGER")),
            Column.of("big", "BIGNUMERIC"), Column.of("deleted", "BOOLEAN"));

    private final FakeBigQueryServer bigquery = FakeBigQueryServer.start();
    private final List<Tributary> tributaries = new ArrayList<>();

    @AfterEach
    void stop() {
        tributaries.forEach(Tributary::close);
        bigquery.close();
    }

    @Test
    @DisplayName("a result of three pages arrives whole, exact, one tabledata.list call per page")
    void threePagesImportWithExactValues() {
        bigquery.answer("FROM `sales`", Result.of(SCHEMA, rows(7)));
        InMemoryStore store = new InMemoryStore();

        RunRecord run = pipeline(store, source().fetchSize(3).batchSize(2).build()).importWindow(JULY).block(Duration.ofSeconds(60));

        assertThat(run.succeeded()).as(String.valueOf(run.error())).isTrue();
        assertThat(run.read()).isEqualTo(7);
        assertThat(run.inserted()).isEqualTo(7);
        assertThat(run.deleted()).isEqualTo(1);
        Map<String, Registration> got = store.registrations("sales");
        assertThat(got).containsOnlyKeys("r1", "r2", "r3", "r4", "r5", "r6", "r7");
        Registration r1 = got.get("r1");
        assertThat(r1.memberId()).isEqualTo("42");
        assertThat(r1.memberName()).isEqualTo("Søren \"the seller\"");
        assertThat(r1.date()).isEqualTo(Instant.parse("2024-07-01T09:15:30.123456Z"));
        assertThat(r1.teamName()).isEqualTo("Blue");
        assertThat(r1.deleted()).isFalse();
        assertThat(r1.fieldsJson()).isEqualTo("{\"amount\":12.50,\"ratio\":0.25,\"paid\":true,\"sold_on\":\"2024-07-01\","
                + "\"booked_local\":\"2024-07-01T08:00:00.000001Z\",\"booked_at\":\"13:45:00.5\",\"payload\":\"yv4=\","
                + "\"meta\":{\"k\":[1,2.50]},\"tags\":[\"a\",\"b\"],\"address\":{\"city\":\"Aarhus\",\"zip\":8000},"
                + "\"big\":123456789012345678901234567890.123456789012345678}");
        Registration r2 = got.get("r2");
        assertThat(r2.teamName()).isNull();
        assertThat(r2.fieldsJson()).isEqualTo("{\"amount\":null,\"ratio\":null,\"paid\":null,\"sold_on\":null,"
                + "\"booked_local\":null,\"booked_at\":null,\"payload\":null,\"meta\":null,\"tags\":[],\"address\":null,"
                + "\"big\":null}");
        assertThat(got.get("r3").fieldsJson()).contains("\"ratio\":\"NaN\"");
        assertThat(got.get("r7").deleted()).isTrue();
        assertThat(got.get("r7").date()).isEqualTo(Instant.parse("2024-07-01T09:15:36Z"));

        List<FakeBigQueryServer.Request> pages = bigquery.requests("GET", "/data$");
        assertThat(pages).extracting(p -> p.query().get("pageToken")).containsExactly(null, "3", "6");
        assertThat(pages).extracting(p -> p.query().get("maxResults")).containsOnly("3");
        assertThat(bigquery.requests("POST", "/queries$")).as("jobs.query is not used").isEmpty();
    }

    @Test
    @DisplayName("the job carries the statement with @name markers, both bounds as TIMESTAMP parameters, the cap, the timeout, the dataset and location")
    void theJobCarriesParametersCapAndTimeout() {
        bigquery.answer("FROM `sales`", Result.of(SCHEMA, rows(1)));
        InMemoryStore store = new InMemoryStore();
        SourceDefinition definition = SourceDefinition.builder("sales", bigquery.url("shop-analytics", "eu_sales")
                + "&location=EU&maximumBytesBilled=10737418240", STATEMENT).timezone(COPENHAGEN)
                .queryTimeout(Duration.ofMinutes(3)).build();

        RunRecord run = pipeline(store, definition).importWindow(JULY).block(Duration.ofSeconds(60));

        assertThat(run.succeeded()).as(String.valueOf(run.error())).isTrue();
        List<FakeBigQueryServer.Request> inserts = bigquery.requests("POST", "/projects/shop-analytics/jobs$");
        assertThat(inserts).hasSize(1);
        String job = inserts.get(0).body();
        assertThat(job).contains("updated_at >= @last_update_time AND updated_at < @upper_date_limit"
                + " AND date < @upper_date_limit ORDER BY date");
        assertThat(job).contains("\"useLegacySql\":false", "\"maximumBytesBilled\":\"10737418240\"",
                "\"jobTimeoutMs\":\"180000\"", "\"datasetId\":\"eu_sales\"", "\"location\":\"EU\"",
                "\"tributary_source\":\"sales\"");
        // each variable once, whatever the number of its markers
        assertThat(job.split("\"name\":\"upper_date_limit\"", -1)).hasSize(2);
        assertThat(job).contains("{\"name\":\"last_update_time\",\"parameterType\":{\"type\":\"TIMESTAMP\"},"
                + "\"parameterValue\":{\"value\":\"2024-06-30 22:00:00.000000+00:00\"}}");
        assertThat(job).contains("{\"name\":\"upper_date_limit\",\"parameterType\":{\"type\":\"TIMESTAMP\"},"
                + "\"parameterValue\":{\"value\":\"2024-07-31 22:00:00.000000+00:00\"}}");
        assertThat(bigquery.requests("GET", "/queries/tributary_sales_[0-9a-f]{32}$")).isNotEmpty()
                .allSatisfy(r -> assertThat(r.query()).containsEntry("location", "EU"));
    }

    @Test
    @DisplayName("an automatic run takes its upper bound from CURRENT_TIMESTAMP() and waits for a job that is not done at once")
    void theClockAndAJobStillRunning() {
        bigquery.answer("CURRENT_TIMESTAMP()", Result.of(List.of(Column.of("f0_", "TIMESTAMP")),
                List.of(List.of("1.7220096E9"))));
        bigquery.answer("FROM `sales`", Result.of(SCHEMA, rows(2)).pendingPolls(1));
        InMemoryStore store = new InMemoryStore();

        RunRecord run = pipeline(store, source().start(Instant.parse("2024-07-01T00:00:00Z")).build()).runNow()
                .block(Duration.ofSeconds(60));

        assertThat(run.succeeded()).as(String.valueOf(run.error())).isTrue();
        assertThat(run.window().upper()).isEqualTo(Instant.parse("2024-07-26T16:00:00Z"));
        assertThat(store.checkpoint("sales")).contains(Instant.parse("2024-07-26T16:00:00Z"));
        assertThat(store.registrations("sales")).containsOnlyKeys("r1", "r2");
        assertThat(bigquery.requests("GET", "/queries/")).as("one incomplete answer, then the result, for both jobs")
                .hasSize(3);
    }

    @Test
    @DisplayName("an invalid query fails the run permanently with BigQuery's reason and message; nothing moves")
    void anInvalidQueryIsPermanent() {
        bigquery.fail("FROM `sales`", new Failure(400, "invalidQuery",
                "Unrecognized name: updated_at at [1:160]", true));
        InMemoryStore store = new InMemoryStore();

        RunRecord run = pipeline(store, source().build()).importWindow(JULY).block(Duration.ofSeconds(60));

        assertThat(run.succeeded()).isFalse();
        assertThat(run.error()).contains("BigQuery invalidQuery: ").contains("Unrecognized name: updated_at at [1:160]")
                .contains("(HTTP 400)");
        assertThat(store.registrations("sales")).isEmpty();
        assertThat(bigquery.requests("POST", "/jobs$")).as("a 400 is not retried by the client").hasSize(1);
    }

    @Test
    @DisplayName("a query over the bytes-billed cap fails permanently and says so")
    void theBytesBilledCapIsPermanent() {
        bigquery.fail("FROM `sales`", new Failure(400, "bytesBilledLimitExceeded",
                "Query exceeded limit for bytes billed: 1000. 10485760 or higher required.", false));
        InMemoryStore store = new InMemoryStore();
        SourceDefinition definition = SourceDefinition.builder("sales", bigquery.url("shop-analytics", "eu_sales")
                + "&maximumBytesBilled=1000", STATEMENT).build();

        RunRecord run = pipeline(store, definition).importWindow(JULY).block(Duration.ofSeconds(60));

        assertThat(run.succeeded()).isFalse();
        assertThat(run.error()).startsWith("BigQuery bytesBilledLimitExceeded: Query exceeded limit for bytes billed: 1000.");
        assertThat(bigquery.requests("POST", "/jobs$").get(0).body()).contains("\"maximumBytesBilled\":\"1000\"");
    }

    private SourceDefinition.Builder source() {
        return SourceDefinition.builder("sales", bigquery.url("shop-analytics", "eu_sales"), STATEMENT).timezone(COPENHAGEN);
    }

    private SourcePipeline pipeline(InMemoryStore store, SourceDefinition definition) {
        Tributary tributary = Tributary.builder().sink(store).checkpoints(store).importLog(store)
                .maxBatchLatency(Duration.ofMillis(50)).build();
        tributaries.add(tributary);
        return tributary.add(definition.toBuilder().lookback(Duration.ZERO).maxRowsPerMinute(0).build());
    }

    /** {@code count} rows as the REST API writes them: r1 with every type, r2 with NULLs, r3 NaN, the last deleted. */
    static List<List<@Nullable Object>> rows(int count) {
        List<List<@Nullable Object>> rows = new ArrayList<>();
        rows.add(Arrays.asList("r1", "42", "Søren \"the seller\"", "1.719825330123456E9", "Blue", "12.50", "0.25", "true",
                "2024-07-01", "2024-07-01T10:00:00.000001", "13:45:00.500000", "yv4=", "{\"k\":[1,2.50]}",
                List.of("a", "b"), new Struct(Arrays.asList("Aarhus", "8000")),
                "123456789012345678901234567890.123456789012345678", "false"));
        for (int i = 2; i <= count; i++) {
            String date = (1_719_825_330 + i - 1) + ".0";
            rows.add(Arrays.asList("r" + i, "7", "Ada", date, null, null, i == 3 ? "NaN" : null, null, null, null, null,
                    null, null, List.of(), null, null, i == count && count > 2 ? "true" : null));
        }
        return rows;
    }
}
