package io.tributary.dialect.bigquery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import io.tributary.core.ConnectorException;
import io.tributary.core.Secret;
import io.tributary.core.SourceDefinition;
import io.tributary.core.mapping.FieldValues;
import io.tributary.core.spi.SourceClient;
import io.tributary.core.template.RenderedStatement;
import io.tributary.core.template.StatementTemplate;
import io.tributary.testkit.FakeBigQueryServer;
import io.tributary.testkit.FakeBigQueryServer.Column;
import io.tributary.testkit.FakeBigQueryServer.Result;
import io.tributary.testkit.FakeBigQueryServer.Struct;
import reactor.core.Disposable;
import reactor.test.StepVerifier;

/** The client against the local fake BigQuery: paging on demand, cancelling, credentials. */
class BigQuerySourceClientTest {

    static final List<Column> SCHEMA = List.of(Column.of("reference", "STRING"), Column.of("n", "INTEGER"));
    static final OffsetDateTime FROM = OffsetDateTime.of(2024, 7, 1, 0, 0, 0, 0, ZoneOffset.UTC);
    static final OffsetDateTime TO = OffsetDateTime.of(2024, 8, 1, 0, 0, 0, 0, ZoneOffset.UTC);

    private final FakeBigQueryServer bigquery = FakeBigQueryServer.start();
    private SourceClient client;

    @AfterEach
    void stop() {
        if (client != null) {
            client.close().block(Duration.ofSeconds(10));
        }
        bigquery.close();
    }

    @Test
    @DisplayName("the next page is fetched only when a row past the current page is requested")
    void pagesAreFetchedOnDemand() {
        bigquery.answer("FROM t", Result.of(SCHEMA, numbered(7)));
        client = connect(bigquery.url("test-project", "d"), Map.of());

        StepVerifier.create(client.stream(render("SELECT reference, n FROM t WHERE n >= {{ last_update_time }}"
                        + " AND n < {{ upper_date_limit }}"), List.of(FROM, TO), 3), 0)
                .then(() -> assertThat(bigquery.requests()).as("nothing before the first request").isEmpty())
                .thenRequest(1)
                .assertNext(row -> assertThat(row.value(0)).isEqualTo("row-1"))
                .then(() -> assertThat(pageRequests()).isEqualTo(1))
                .thenRequest(2)
                .expectNextCount(2)
                .then(() -> assertThat(pageRequests()).as("three rows read: still one page").isEqualTo(1))
                .thenRequest(1)
                .assertNext(row -> assertThat(row.value(1)).isEqualTo(4L))
                .then(() -> assertThat(pageRequests()).isEqualTo(2))
                .thenRequest(10)
                .expectNextCount(3)
                .verifyComplete();

        assertThat(bigquery.requests("GET", "/data$")).extracting(r -> r.query().get("pageToken"))
                .containsExactly(null, "3", "6");
        assertThat(bigquery.requests("POST", "/cancel$")).as("a finished job is not cancelled").isEmpty();
    }

    @Test
    @DisplayName("an empty result completes without reading table data")
    void anEmptyResult() {
        bigquery.answer("FROM t", Result.of(SCHEMA, List.of()));
        client = connect(bigquery.url("test-project", "d"), Map.of());

        StepVerifier.create(client.stream(render("SELECT reference, n FROM t"), List.of(), 100)).verifyComplete();

        assertThat(bigquery.requests("GET", "/data$")).isEmpty();
    }

    @Test
    @DisplayName("a run cancelled while its job is running cancels the job")
    void cancellingCancelsTheJob() throws InterruptedException {
        bigquery.answer("FROM t", Result.of(SCHEMA, numbered(1)).pendingPolls(1_000));
        client = connect(bigquery.url("test-project", "d"), Map.of());

        Disposable run = client.stream(render("SELECT reference, n FROM t"), List.of(), 10).subscribe();
        assertThat(bigquery.awaitRequest("GET", "/queries/", Duration.ofSeconds(30))).as("the job is being awaited").isTrue();
        run.dispose();

        assertThat(bigquery.awaitRequest("POST", "/jobs/tributary_s_[0-9a-f]{32}/cancel$", Duration.ofSeconds(30)))
                .as("jobs.cancel was sent").isTrue();
    }

    @Test
    @DisplayName("a service account key is used: the token from its token_uri reaches every call")
    void serviceAccountCredentials() throws NoSuchAlgorithmException {
        bigquery.answer("FROM t", Result.of(SCHEMA, numbered(2)));
        String key = serviceAccountKey(bigquery.host() + "/token");
        client = connect(bigquery.url("test-project", "d").replace("&credentials=none", ""), Map.of("credentials", Secret.of(key)));

        StepVerifier.create(client.stream(render("SELECT reference, n FROM t"), List.of(), 10)).expectNextCount(2)
                .verifyComplete();

        assertThat(bigquery.requests("POST", "^/token$")).hasSize(1);
        assertThat(bigquery.requests()).filteredOn(r -> r.path().startsWith("/bigquery/")).isNotEmpty()
                .allSatisfy(r -> assertThat(r.authorization()).isEqualTo("Bearer " + FakeBigQueryServer.ACCESS_TOKEN));
    }

    @Test
    @DisplayName("a broken credentials secret is refused at start-up without a word of it")
    void brokenCredentialsAreRefusedWithoutQuotingThem() {
        String broken = "{\"type\": \"service_account\", \"private_key\": \"-----BEGIN PRIVATE KEY-----\\nc2VjcmV0LWtleS1tYXRlcmlhbA==\\n\"";
        assertThatThrownBy(() -> connect(bigquery.url("test-project", "d").replace("&credentials=none", ""),
                Map.of("credentials", Secret.of(broken))))
                .isInstanceOf(ConnectorException.Permanent.class)
                .hasMessageContaining("the credentials are not a service account key's JSON")
                .hasMessageNotContaining("c2VjcmV0")
                .hasNoCause();
    }

    @Test
    @DisplayName("the clock is CURRENT_TIMESTAMP() as an instant")
    void theClock() {
        bigquery.answer("CURRENT_TIMESTAMP()", Result.of(List.of(Column.of("f0_", "TIMESTAMP")),
                List.of(List.of("1.722009600123456E9"))));
        client = connect(bigquery.url("test-project", "d"), Map.of());

        StepVerifier.create(client.now()).expectNext(java.time.Instant.parse("2024-07-26T16:00:00.123456Z")).verifyComplete();
    }

    @Test
    @DisplayName("arrays of structs, structs of arrays, GEOGRAPHY and INTERVAL keep their shape")
    void nestedAndTextualTypes() {
        List<Column> schema = List.of(new Column("lines", "RECORD", "REPEATED", List.of(Column.of("sku", "STRING"),
                Column.of("qty", "INTEGER"), Column.repeated("prices", "NUMERIC"))), Column.of("place", "GEOGRAPHY"),
                Column.of("took", "INTERVAL"), Column.repeated("days", "DATE"));
        bigquery.answer("FROM t", Result.of(schema, List.of(java.util.Arrays.asList(
                List.of(new Struct(List.of("a-1", "2", List.of("9.90", "10"))), new Struct(java.util.Arrays.asList("b-2", null, List.of()))),
                "POINT(10.2 56.15)", "0-0 1 2:03:04.5", List.of("2024-07-01", "2024-07-02")))));
        client = connect(bigquery.url("test-project", "d"), Map.of());

        StepVerifier.create(client.stream(render("SELECT * FROM t"), List.of(), 10))
                .assertNext(row -> {
                    assertThat(FieldValues.toJson(row.value(0), ZoneOffset.UTC)).isEqualTo("[{\"sku\":\"a-1\",\"qty\":2,"
                            + "\"prices\":[9.90,10]},{\"sku\":\"b-2\",\"qty\":null,\"prices\":[]}]");
                    assertThat(row.value(1)).isEqualTo("POINT(10.2 56.15)");
                    assertThat(row.value(2)).isEqualTo("0-0 1 2:03:04.5");
                    assertThat(FieldValues.toJson(row.value(3), ZoneOffset.UTC)).isEqualTo("[\"2024-07-01\",\"2024-07-02\"]");
                })
                .verifyComplete();
    }

    private long pageRequests() {
        return bigquery.requests("GET", "/data$").size();
    }

    private static SourceClient connect(String url, Map<String, Secret> secrets) {
        return new BigQueryDialectProvider().connect(SourceDefinition.builder("s", url, "SELECT 1").secrets(secrets).build());
    }

    private static RenderedStatement render(String sql) {
        return StatementTemplate.parse(sql, BigQueryDialect.INSTANCE.syntax()).render(BigQueryDialect.INSTANCE.bindMarkers());
    }

    private static List<List<Object>> numbered(int count) {
        return java.util.stream.IntStream.rangeClosed(1, count)
                .mapToObj(i -> List.<Object>of("row-" + i, String.valueOf(i))).toList();
    }

    /** A service account key as Google issues it, with a fresh RSA key and the token endpoint of the fake. */
    static String serviceAccountKey(String tokenUri) throws NoSuchAlgorithmException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        String pem = "-----BEGIN PRIVATE KEY-----\\n"
                + Base64.getEncoder().encodeToString(generator.generateKeyPair().getPrivate().getEncoded())
                + "\\n-----END PRIVATE KEY-----\\n";
        return "{\"type\": \"service_account\", \"project_id\": \"test-project\", \"private_key_id\": \"k1\", \"private_key\": \""
                + pem + "\", \"client_email\": \"reader@p.iam.gserviceaccount.com\", \"client_id\": \"1\","
                + " \"token_uri\": \"" + tokenUri + "\"}";
    }
}
