package io.tributary.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.runtime.rest.entities.ConfigInfo;
import org.apache.kafka.connect.runtime.rest.entities.ConfigInfos;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The connector in Kafka's own in-process Connect cluster: 3 distributed workers with exactly-once source support,
 * one KRaft broker, the plugin loaded from the plugin.path directory {@code mvn package} built (this module's
 * classes and its dependencies are kept off the test class path), real PostgreSQL sources in database
 * {@code kc_src}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KafkaConnectIT {

    private static final String TOPIC = "kc_registrations";
    private static final List<String> SOURCES = List.of("kc_a", "kc_b", "kc_c");
    private static final int ROWS = 100_000;
    /** Never to be seen in a log line or a REST answer. */
    private static final String PASSWORD = "kc-Pw-" + Long.toHexString(System.nanoTime());
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path secrets;

    private static EmbeddedConnectCluster connect;

    @BeforeAll
    static void startCluster() throws Exception {
        for (String s : SOURCES) {
            ConnectTestCluster.createSourceTable(s, ROWS);
        }
        Files.writeString(secrets.resolve("kc-secrets.properties"), "kc_password=" + PASSWORD + "\n");
        connect = ConnectTestCluster.start("kc-cluster", 3);
        ConnectTestCluster.createTopic(connect, TOPIC, 3);
    }

    @AfterAll
    static void stopCluster() {
        if (connect != null) {
            connect.stop();
        }
    }

    @Test
    @Order(1)
    @DisplayName("validate(): a bad URL, a statement without the window variables and an unknown dialect each get their field's message; the password is hidden")
    void validationNamesTheField() throws Exception {
        Map<String, String> config = new HashMap<>();
        config.put("name", "kc-validate");
        config.put("connector.class", ConnectTestCluster.CONNECTOR_CLASS);
        config.put("sources", "kc_bad_url,kc_no_vars,kc_dialect");
        config.put("sources.kc_bad_url.url", ConnectTestCluster.sourceUrl().replace("postgresql:", "postgersql:"));
        config.put("sources.kc_bad_url.statement", ConnectTestCluster.statement("kc_a"));
        config.put("sources.kc_bad_url.username", "postgres");
        config.put("sources.kc_bad_url.password", PASSWORD);
        config.put("sources.kc_no_vars.url", ConnectTestCluster.sourceUrl());
        config.put("sources.kc_no_vars.username", "postgres");
        config.put("sources.kc_no_vars.statement", "SELECT id AS reference, member AS member_id, created_at AS date FROM kc_a");
        config.put("sources.kc_dialect.url", ConnectTestCluster.sourceUrl());
        config.put("sources.kc_dialect.username", "postgres");
        config.put("sources.kc_dialect.dialect", "db2");
        config.put("sources.kc_dialect.statement", ConnectTestCluster.statement("kc_a"));

        ConfigInfos infos = connect.validateConnectorConfig("TributarySourceConnector", config);
        Map<String, List<String>> errors = infos.values().stream()
                .filter(i -> i.configValue() != null && !i.configValue().errors().isEmpty())
                .collect(Collectors.toMap(i -> i.configValue().name(), i -> i.configValue().errors()));

        assertThat(errors).containsOnlyKeys("sources.kc_bad_url.url", "sources.kc_no_vars.statement",
                "sources.kc_dialect.dialect");
        assertThat(errors.get("sources.kc_bad_url.url").get(0)).contains("no dialect supports URLs starting 'postgersql:'");
        assertThat(errors.get("sources.kc_no_vars.statement").get(0))
                .contains("does not use {{ last_update_time }} and {{ upper_date_limit }}");
        assertThat(errors.get("sources.kc_dialect.dialect").get(0)).contains("no dialect named 'db2'")
                .contains("postgresql");
        assertThat(infos.errorCount()).isEqualTo(3);
        ConfigInfo password = infos.values().stream()
                .filter(i -> i.configValue() != null && i.configValue().name().equals("sources.kc_bad_url.password"))
                .findFirst().orElseThrow();
        assertThat(password.configValue().value()).isEqualTo("[hidden]");

        // the same answer as raw JSON, as a user's curl gets it: the password is nowhere in it
        String url = connect.endpointForResource("connector-plugins/TributarySourceConnector/config/validate");
        try (var response = connect.requestPut(url, JSON.writeValueAsString(config))) {
            assertThat(response.getStatus()).isEqualTo(200);
            String body = String.valueOf(response.getEntity());
            assertThat(body).contains("no dialect named 'db2'").doesNotContain(PASSWORD);
        }
    }

    @Test
    @Order(2)
    @DisplayName("exactly once: 3 sources of 100,000 rows in capped windows, a worker removed and the source's connections killed mid-import; a read_committed consumer finds every (source, reference) once")
    void exactlyOnceAcrossAWorkerLoss() throws Exception {
        Map<String, String> config = new HashMap<>();
        config.put("connector.class", ConnectTestCluster.CONNECTOR_CLASS);
        config.put("tasks.max", "3");
        config.put("exactly.once.support", "required");
        config.put("transaction.boundary", "connector");
        config.put("sources", String.join(",", SOURCES));
        config.put("topic", TOPIC);
        for (String s : SOURCES) {
            config.put("sources." + s + ".url", ConnectTestCluster.sourceUrl());
            config.put("sources." + s + ".username", "postgres");
            config.put("sources." + s + ".password", "${file:" + secrets.resolve("kc-secrets.properties") + ":kc_password}");
            config.put("sources." + s + ".statement", ConnectTestCluster.statement(s));
            // 10,000 rows a window: each source is imported in 10 capped windows, one transaction each
            config.put("sources." + s + ".max.rows.per.minute", "10000");
            config.put("sources." + s + ".lookback", "0s");
            config.put("sources." + s + ".batch.size", "500");
        }
        long started = System.nanoTime();
        connect.configureConnector("kc-eos", config);
        connect.assertions().assertConnectorAndExactlyNumTasksAreRunning("kc-eos", 3, "the connector did not start");

        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            Map<String, Map<String, Integer>> seen = new HashMap<>();
            long[] total = {0};
            // mid-import: some windows are committed, most are not read yet
            consumeUntil(consumer, seen, total, () -> total[0] >= 3 * ROWS / 5, Duration.ofMinutes(3));
            long atRemoval = total[0];
            assertThat(atRemoval).as("records before the worker's removal").isBetween(3L * ROWS / 5, 3L * ROWS - 1);
            connect.removeWorker();
            terminateSourceConnections();
            connect.assertions().assertConnectorAndExactlyNumTasksAreRunning("kc-eos", 3,
                    "the tasks of the removed worker did not move");
            consumeUntil(consumer, seen, total, () -> distinct(seen) >= 3 * ROWS, Duration.ofMinutes(4));
            // and nothing after: every committed transaction up to the end of the log
            drainToEnd(consumer, seen, total);
            double seconds = (System.nanoTime() - started) / 1e9;
            System.out.printf("kc-eos: %d records (%d at the worker's removal) in %.1f s%n", total[0], atRemoval, seconds);

            for (String s : SOURCES) {
                Map<String, Integer> bySource = seen.getOrDefault(s, Map.of());
                assertThat(bySource).as("source %s", s).hasSize(ROWS);
                assertThat(bySource.values().stream().filter(c -> c > 1).count()).as("duplicates of %s", s).isZero();
            }
            assertThat(total[0]).isEqualTo(3L * ROWS);
        }

        // the password reached no answer of the REST API and no log line of the workers
        for (String resource : List.of("connectors/kc-eos", "connectors/kc-eos/config", "connectors/kc-eos/tasks",
                "connectors/kc-eos/status", "connectors/kc-eos/offsets")) {
            try (var response = connect.requestGet(connect.endpointForResource(resource))) {
                assertThat(String.valueOf(response.getEntity())).as(resource).contains("{").doesNotContain(PASSWORD);
            }
        }
        Path log = Path.of(System.getProperty("org.slf4j.simpleLogger.logFile"));
        String logs = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(logs).contains("resuming at checkpoint").doesNotContain(PASSWORD);
    }

    @Test
    @Order(3)
    @DisplayName("a permanent failure (a table that does not exist) fails the task with the reason")
    void permanentFailureFailsTheTask() throws Exception {
        Map<String, String> config = new HashMap<>();
        config.put("connector.class", ConnectTestCluster.CONNECTOR_CLASS);
        config.put("sources", "kc_missing");
        config.put("topic", TOPIC);
        config.put("sources.kc_missing.url", ConnectTestCluster.sourceUrl());
        config.put("sources.kc_missing.username", "postgres");
        config.put("sources.kc_missing.statement", ConnectTestCluster.statement("kc_no_such_table"));
        connect.configureConnector("kc-missing", config);

        connect.assertions().assertConnectorIsRunningAndTasksHaveFailed("kc-missing", 1, "the task did not fail");
        String trace = connect.connectorStatus("kc-missing").tasks().get(0).trace();
        assertThat(trace).contains("source kc_missing").contains("kc_no_such_table");
        connect.deleteConnector("kc-missing");
    }

    private static KafkaConsumer<byte[], byte[]> consumer() {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "kc-eos-check");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        return connect.kafka().createConsumerAndSubscribeTo(props, TOPIC);
    }

    private static void consumeUntil(KafkaConsumer<byte[], byte[]> consumer, Map<String, Map<String, Integer>> seen,
            long[] total, BooleanSupplier done, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                // the assertions that follow say what is missing
                return;
            }
            take(consumer.poll(Duration.ofMillis(500)), seen, total);
        }
    }

    private static void drainToEnd(KafkaConsumer<byte[], byte[]> consumer, Map<String, Map<String, Integer>> seen,
            long[] total) throws Exception {
        Set<TopicPartition> partitions = consumer.assignment();
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("could not read to the end of " + TOPIC);
            }
            take(consumer.poll(Duration.ofMillis(500)), seen, total);
        }
    }

    private static void take(Iterable<ConsumerRecord<byte[], byte[]>> records, Map<String, Map<String, Integer>> seen,
            long[] total) throws Exception {
        for (ConsumerRecord<byte[], byte[]> r : records) {
            JsonNode key = JSON.readTree(r.key());
            seen.computeIfAbsent(key.get("source").asText(), k -> new HashMap<>())
                    .merge(key.get("reference").asText(), 1, Integer::sum);
            total[0]++;
        }
    }

    private static long distinct(Map<String, Map<String, Integer>> seen) {
        return seen.values().stream().mapToLong(Map::size).sum();
    }

    /** Kills every connection to the sources' database (the tasks' connections among them). */
    private static void terminateSourceConnections() throws SQLException {
        try (Connection c = DriverManager.getConnection(ConnectTestCluster.jdbcBase() + "postgres", "postgres", "");
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                        + "WHERE datname = 'kc_src' AND pid <> pg_backend_pid()")) {
            rs.next();
            System.out.printf("kc-eos: terminated %d connection(s) to kc_src%n", rs.getLong(1));
        }
    }
}
