package io.tributary.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;
import org.junit.jupiter.api.Test;

/**
 * By hand only (the name matches neither *Test nor *IT): 1,000,000 PostgreSQL rows into a topic through one Connect
 * worker, timed from the connector's creation to the last record read back, at-least-once then exactly-once.
 * <pre>
 * mvn -B -o verify -pl connector-kafka-connect -am -Dit.test=KafkaConnectThroughput -Dtest=NONE \
 *     -Dsurefire.failIfNoSpecifiedTests=false -Dkc.rows=1000000
 * </pre>
 */
class KafkaConnectThroughput {

    @Test
    void oneMillionRowsThroughOneWorker() throws Exception {
        int rows = Integer.getInteger("kc.rows", 1_000_000);
        String table = "kc_bench";
        ConnectTestCluster.createSourceTable(table, rows);
        EmbeddedConnectCluster connect = ConnectTestCluster.start("kc-bench", 1);
        try {
            for (String mode : new String[] {"at-least-once", "exactly-once"}) {
                String topic = "kc_bench_" + mode.replace('-', '_');
                connect.kafka().createTopic(topic, 3);
                Map<String, String> config = new HashMap<>();
                config.put("connector.class", ConnectTestCluster.CONNECTOR_CLASS);
                config.put("tasks.max", "1");
                if (mode.equals("exactly-once")) {
                    config.put("exactly.once.support", "required");
                    config.put("transaction.boundary", "connector");
                }
                config.put("sources", table);
                config.put("topic", topic);
                config.put("sources." + table + ".url", ConnectTestCluster.sourceUrl());
                config.put("sources." + table + ".username", "postgres");
                config.put("sources." + table + ".statement", ConnectTestCluster.statement(table));
                // the defaults: 10,000 rows a window, 1,000 a batch
                long started = System.nanoTime();
                connect.configureConnector("kc-bench-" + mode, config);
                long read = 0;
                Map<String, Object> props = new HashMap<>();
                props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
                props.put(ConsumerConfig.GROUP_ID_CONFIG, "kc-bench-" + mode);
                props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
                props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10_000);
                try (KafkaConsumer<byte[], byte[]> consumer = connect.kafka().createConsumerAndSubscribeTo(props, topic)) {
                    long deadline = System.nanoTime() + Duration.ofMinutes(15).toNanos();
                    while (read < rows && System.nanoTime() < deadline) {
                        read += consumer.poll(Duration.ofMillis(200)).count();
                    }
                }
                double seconds = (System.nanoTime() - started) / 1e9;
                System.out.printf("kc-bench %s: %,d rows in %.1f s: %,.0f rows/s (one worker, one task, 3 partitions, "
                        + "JSON converter)%n", mode, read, seconds, read / seconds);
                connect.deleteConnector("kc-bench-" + mode);
            }
        } finally {
            connect.stop();
        }
    }
}
