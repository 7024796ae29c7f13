package io.tributary.dialect.bigquery;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

import io.tributary.core.Secret;
import io.tributary.core.SourceDefinition;
import io.tributary.core.Tributary;
import io.tributary.core.mapping.Registration;
import io.tributary.core.sink.RunRecord;
import io.tributary.core.spi.SourceClient;
import io.tributary.core.window.Window;
import io.tributary.testkit.InMemoryStore;

/**
 * A real import from BigQuery, opt-in: set {@code TRIBUTARY_TEST_BIGQUERY_PROJECT} (a project the credentials may run
 * query jobs in) and {@code TRIBUTARY_TEST_BIGQUERY_CREDENTIALS_FILE} (a service account key; without it, the
 * application default credentials), optionally {@code TRIBUTARY_TEST_BIGQUERY_LOCATION}. The statements read literal
 * rows ({@code UNNEST}), no table: nothing is created and no bytes are billed.
 */
@EnabledIfEnvironmentVariable(named = "TRIBUTARY_TEST_BIGQUERY_PROJECT", matches = ".+")
class BigQueryImportIT {

    static final String PROJECT = System.getenv("TRIBUTARY_TEST_BIGQUERY_PROJECT");
    static final ZoneId ZONE = ZoneId.of("Europe/Copenhagen");
    static final String ROWS = "SELECT CONCAT('r', CAST(n AS STRING)) AS reference, n AS member_id, 'Søren' AS member_name,"
            + " TIMESTAMP_ADD(TIMESTAMP '2024-07-01 10:00:00.123456+00', INTERVAL n SECOND) AS date,"
            + " NUMERIC '12.25' AS amount, DATETIME '2024-07-01 12:00:00' AS booked_local, DATE '2024-07-01' AS sold_on,"
            + " JSON '{\"k\":[1,2]}' AS meta, [1, 2] AS tags, STRUCT('Aarhus' AS city, 8000 AS zip) AS address,"
            + " b'\\xca\\xfe' AS payload, BIGNUMERIC '123456789012345678901234567890.123456789' AS big, n = 25 AS deleted"
            + " FROM UNNEST(GENERATE_ARRAY(1, 25)) AS n"
            + " WHERE TIMESTAMP_ADD(TIMESTAMP '2024-07-01 10:00:00.123456+00', INTERVAL n SECOND) >= {{ last_update_time }}"
            + " AND TIMESTAMP_ADD(TIMESTAMP '2024-07-01 10:00:00.123456+00', INTERVAL n SECOND) < {{ upper_date_limit }}"
            + " ORDER BY n";

    @Test
    void aResultOfThreePagesImportsWithExactValues() throws IOException {
        InMemoryStore store = new InMemoryStore();
        RunRecord run;
        try (Tributary tributary = Tributary.builder().sink(store).checkpoints(store).importLog(store).build()) {
            run = tributary.add(source(ROWS).fetchSize(10).batchSize(7).build())
                    .importWindow(new Window(Instant.parse("2024-07-01T00:00:00Z"), Instant.parse("2024-07-02T00:00:00Z")))
                    .block(Duration.ofMinutes(2));
        }

        assertThat(run.succeeded()).as(String.valueOf(run.error())).isTrue();
        assertThat(run.read()).isEqualTo(25);
        Map<String, Registration> got = store.registrations("bq_it");
        assertThat(got).hasSize(25);
        Registration r1 = got.get("r1");
        assertThat(r1.memberId()).isEqualTo("1");
        assertThat(r1.memberName()).isEqualTo("Søren");
        assertThat(r1.date()).isEqualTo(Instant.parse("2024-07-01T10:00:01.123456Z"));
        assertThat(r1.fieldsJson()).isEqualTo("{\"amount\":12.25,\"booked_local\":\"2024-07-01T10:00:00Z\","
                + "\"sold_on\":\"2024-07-01\",\"meta\":{\"k\":[1,2]},\"tags\":[1,2],\"address\":{\"city\":\"Aarhus\","
                + "\"zip\":8000},\"payload\":\"yv4=\",\"big\":123456789012345678901234567890.123456789}");
        assertThat(got.get("r25").deleted()).isTrue();
    }

    @Test
    void anInvalidQueryFailsPermanentlyWithBigQuerysReason() throws IOException {
        InMemoryStore store = new InMemoryStore();
        RunRecord run;
        try (Tributary tributary = Tributary.builder().sink(store).checkpoints(store).importLog(store).build()) {
            run = tributary.add(source("SELECT no_such_column FROM UNNEST([1]) WHERE {{ last_update_time }} < {{ upper_date_limit }}")
                    .build()).importWindow(new Window(Instant.EPOCH, Instant.parse("2024-01-01T00:00:00Z"))).block(Duration.ofMinutes(2));
        }

        assertThat(run.succeeded()).isFalse();
        assertThat(run.error()).startsWith("BigQuery invalidQuery: ").contains("no_such_column");
    }

    @Test
    void theClockIsBigQuerys() throws IOException {
        SourceClient client = new BigQueryDialectProvider().connect(source(ROWS).build());
        Instant now = client.now().block(Duration.ofMinutes(1));
        assertThat(Duration.between(now, Instant.now()).abs()).isLessThan(Duration.ofMinutes(5));
    }

    private static SourceDefinition.Builder source(String statement) throws IOException {
        String location = System.getenv("TRIBUTARY_TEST_BIGQUERY_LOCATION");
        String url = "bigquery://" + PROJECT + "?maximumBytesBilled=104857600"
                + (location == null || location.isBlank() ? "" : "&location=" + location);
        String keyFile = System.getenv("TRIBUTARY_TEST_BIGQUERY_CREDENTIALS_FILE");
        SourceDefinition.Builder b = SourceDefinition.builder("bq_it", url, statement).timezone(ZONE)
                .lookback(Duration.ZERO).maxRowsPerMinute(0);
        if (keyFile != null && !keyFile.isBlank()) {
            b.secrets(Map.of("credentials", Secret.of(Files.readString(Path.of(keyFile), StandardCharsets.UTF_8))));
        }
        return b;
    }
}
