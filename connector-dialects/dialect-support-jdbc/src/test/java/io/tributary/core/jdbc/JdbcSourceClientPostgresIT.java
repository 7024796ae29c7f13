package io.tributary.core.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;


import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.tributary.core.ConnectorException;
import io.tributary.core.template.RenderedStatement;
import reactor.core.Disposable;
import reactor.test.StepVerifier;

/**
 * The bridge against PostgreSQL through pgjdbc, the one driver here whose server can be watched from outside: what
 * the server does when the subscriber stops, cancels or is slow, and how much heap a large result needs.
 */
class JdbcSourceClientPostgresIT {

    static final RenderedStatement MILLION_ROWS = new RenderedStatement(
            "SELECT g AS reference, repeat('x', 100) AS payload FROM generate_series(1, 1000000) g", List.of());

    @BeforeAll
    static void sequence() throws SQLException {
        try (Connection c = DriverManager.getConnection(PostgresJdbc.URL); Statement st = c.createStatement()) {
            st.execute("CREATE SEQUENCE IF NOT EXISTS tributary_bridge_it_seq");
        }
    }

    private static String applicationName() {
        return "tributary-bridge-it-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void afterOneThousandRowsTheServerWaitsAndACancelEndsTheSession() throws Exception {
        String app = applicationName();
        CountDownLatch closed = new CountDownLatch(1);
        AtomicLong rowsRead = new AtomicLong();
        JdbcSourceClient client = JdbcSourceClient.builder(
                PostgresJdbc.signallingClose(PostgresJdbc.dataSource(app), closed), JdbcSourceClientTest.DIALECT,
                "SELECT now()").hooks(counting(rowsRead)).build();

        StepVerifier.create(client.stream(MILLION_ROWS, List.of(), 100), 0)
                .thenRequest(1_000)
                .expectNextCount(1_000)
                .then(() -> {
                    assertThat(rowsRead).as("rows taken from the ResultSet").hasValue(1_000);
                    // the portal is suspended between fetches: the server produces nothing while nobody asks
                    assertThat(states(app)).containsExactly("idle in transaction");
                })
                .thenCancel()
                .verify(Duration.ofSeconds(30));

        assertThat(closed.await(10, TimeUnit.SECONDS)).as("connection closed after the cancel").isTrue();
        assertThat(PostgresJdbc.awaitSessions(app, 10, List::isEmpty)).as("sessions left on the server").isEmpty();
        assertThat(rowsRead).hasValue(1_000);
    }

    @Test
    void aCancelWhileTheServerIsExecutingStopsTheQueryOnTheServer() throws Exception {
        String app = applicationName();
        CountDownLatch closed = new CountDownLatch(1);
        JdbcSourceClient client = JdbcSourceClient.builder(
                PostgresJdbc.signallingClose(PostgresJdbc.dataSource(app), closed), JdbcSourceClientTest.DIALECT,
                "SELECT now()").build();
        Disposable subscription = client.stream(
                new RenderedStatement("SELECT pg_sleep(120) AS reference", List.of()), List.of(), 100).subscribe();
        assertThat(PostgresJdbc.awaitSessions(app, 10, s -> s.contains("active"))).containsExactly("active");

        subscription.dispose();

        // without Statement.cancel the close would wait for pg_sleep(120) to end
        assertThat(closed.await(15, TimeUnit.SECONDS)).as("connection closed after the cancel").isTrue();
        assertThat(PostgresJdbc.awaitSessions(app, 10, List::isEmpty)).isEmpty();
    }

    @Test
    void theQueryTimeoutEndsASlowStatementWithATransientError() throws Exception {
        String app = applicationName();
        JdbcSourceClient client = JdbcSourceClient.builder(PostgresJdbc.dataSource(app), JdbcSourceClientTest.DIALECT,
                "SELECT now()").queryTimeout(Duration.ofSeconds(1)).build();

        StepVerifier.create(client.stream(new RenderedStatement("SELECT pg_sleep(60) AS reference", List.of()), List.of(), 10))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(ConnectorException.Transient.class)
                        .hasMessageContaining("canceling statement").hasMessageContaining("57014"))
                .verify(Duration.ofSeconds(30));
        assertThat(PostgresJdbc.awaitSessions(app, 10, List::isEmpty)).isEmpty();
    }

    @Test
    void theTransactionIsReadOnly() {
        JdbcSourceClient client = JdbcSourceClient.builder(PostgresJdbc.dataSource(applicationName()),
                JdbcSourceClientTest.DIALECT, "SELECT now()").build();

        StepVerifier.create(client.stream(
                        new RenderedStatement("SELECT nextval('tributary_bridge_it_seq') AS reference", List.of()), List.of(), 10))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(ConnectorException.Permanent.class)
                        .hasMessageContaining("read-only transaction").hasMessageContaining("25006"))
                .verify(Duration.ofSeconds(30));
    }

    @Test
    void anUnknownTableIsPermanentAndARefusedConnectionTransient() {
        JdbcSourceClient client = JdbcSourceClient.builder(PostgresJdbc.dataSource(applicationName()),
                JdbcSourceClientTest.DIALECT, "SELECT now()").build();
        StepVerifier.create(client.stream(new RenderedStatement("SELECT * FROM no_such_table", List.of()), List.of(), 10))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(ConnectorException.Permanent.class)
                        .hasMessageContaining("no_such_table").hasMessageContaining("42P01"))
                .verify(Duration.ofSeconds(30));

        org.postgresql.ds.PGSimpleDataSource refused = new org.postgresql.ds.PGSimpleDataSource();
        refused.setURL("jdbc:postgresql://127.0.0.1:1/test?user=postgres&connectTimeout=5");
        StepVerifier.create(JdbcSourceClient.builder(refused, JdbcSourceClientTest.DIALECT, "SELECT now()").build()
                        .stream(new RenderedStatement("SELECT 1", List.of()), List.of(), 10))
                .expectError(ConnectorException.Transient.class)
                .verify(Duration.ofSeconds(30));
    }

    @Test
    void theDatabasesClockIsReadAsAnInstant() {
        JdbcSourceClient client = JdbcSourceClient.builder(PostgresJdbc.dataSource(applicationName()),
                JdbcSourceClientTest.DIALECT, "SELECT now()").build();

        StepVerifier.create(client.now())
                .assertNext(now -> assertThat(Duration.between(now, java.time.Instant.now()).abs()).isLessThan(Duration.ofMinutes(1)))
                .verifyComplete();
    }

    @Test
    void oneMillionRowsStreamThroughABridgeIn256MegabytesThatTheyWouldNotFitInAtOnce() throws Exception {
        String streamed = runInSmallHeap("bridge");
        assertThat(streamed).startsWith("rows=1000000 ");

        String materialised = runInSmallHeap("materialise");
        assertThat(materialised).as("the same result read all at once must not fit, or the heap limit proves nothing")
                .contains("OutOfMemoryError");
    }

    /** Runs {@link JdbcBridgeMemoryCheck} in a JVM with a 256 MB heap; its last line of output. */
    private static String runInSmallHeap(String mode) throws IOException, InterruptedException {
        String java = System.getProperty("java.home") + "/bin/java";
        Process process = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                JdbcBridgeMemoryCheck.class.getName(), PostgresJdbc.URL, mode, "1000000")
                .redirectErrorStream(true).start();
        List<String> lines;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            lines = out.lines().collect(Collectors.toList());
        }
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
        String summary = lines.stream().filter(l -> l.startsWith("rows=") || l.contains("OutOfMemoryError"))
                .reduce((a, b) -> b).orElse(String.join("\n", lines));
        System.out.println("[" + mode + " at -Xmx256m] " + summary);
        return summary;
    }

    private static JdbcHooks counting(AtomicLong rows) {
        return new JdbcHooks() {
            @Override
            public JdbcColumnReader columnReader(ResultSetMetaData metadata, int column) throws SQLException {
                JdbcColumnReader standard = JdbcHooks.STANDARD.columnReader(metadata, column);
                if (column != 1) {
                    return standard;
                }
                return (rs, i) -> {
                    rows.incrementAndGet();
                    return standard.read(rs, i);
                };
            }
        };
    }

    private static List<String> states(String app) {
        try {
            return PostgresJdbc.sessionStates(app);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
