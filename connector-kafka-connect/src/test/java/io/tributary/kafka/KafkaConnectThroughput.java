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
 * worker, timed from the connector's creation to the last record read back by a read_committed consumer,
 * at-least-once (a worker without exactly-once support) then exactly-once (one transaction per window), each
 * after a warm-up import of 200,000 rows.
 * <pre>
 * mvn -B -o verify -pl connector-kafka-connect -am -Dit.test=KafkaConnectThroughput -Dtest=NONE \
 *     -Dsurefire.failIfNoSpecifiedTests=false -Dkc.rows=1000000
 * </pre>
 * {@code -Dkc.modes=at-least-once} runs one mode only; {@code -Dkc.cap=0} turns the row cap off (the default is the
 * product's 10,000 rows a window; without a cap the whole import is one window, too long a transaction for
 * exactly-once).
 */
class KafkaConnectThroughput {

    @Test
    void oneMillionRowsThroughOneWorker() throws Exception {
        int rows = Integer.getInteger("kc.rows", 1_000_000);
        String cap = System.getProperty("kc.cap", "10000");
        ConnectTestCluster.createSourceTable("kc_bench", rows);
        ConnectTestCluster.createSourceTable("kc_bench_warmup", WARMUP_ROWS);
        for (String mode : System.getProperty("kc.modes", "at-least-once,exactly-once").split(",")) {
            // a worker runs every source task transactionally when exactly-once support is on: one cluster per mode
            EmbeddedConnectCluster connect = ConnectTestCluster.start("kc-bench-" + mode, 1, mode.equals("exactly-once"));
            try {
                // the worker's, the connector's and the consumer's code paths warm up before anything is timed
                run(connect, "kc_bench_warmup", WARMUP_ROWS, "warm-up", mode, cap);
                double seconds = run(connect, "kc_bench", rows, mode, mode, cap);
                System.out.printf("kc-bench %s, cap %s: %,d rows in %.1f s: %,.0f rows/s (one worker, one task, "
                        + "3 partitions, JSON converter); load average %.1f%n", mode, cap, rows, seconds, rows / seconds,
                        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            } finally {
                connect.stop();
            }
        }
    }

    private static final int WARMUP_ROWS = 200_000;

    /** Seconds from the connector's creation until a read_committed consumer has read {@code rows} records. */
    private static double run(EmbeddedConnectCluster connect, String table, int rows, String name, String mode,
            String cap) throws Exception {
        String topic = "kc_bench_" + name.replace('-', '_');
        ConnectTestCluster.createTopic(connect, topic, 3);
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
        config.put("sources." + table + ".max.rows.per.minute", cap);
        long started = System.nanoTime();
        connect.configureConnector("kc-bench-" + name, config);
        long read = 0;
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "kc-bench-" + name);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10_000);
        try (KafkaConsumer<byte[], byte[]> consumer = connect.kafka().createConsumerAndSubscribeTo(props, topic)) {
            long deadline = System.nanoTime() + Duration.ofMinutes(15).toNanos();
            while (read < rows && System.nanoTime() < deadline) {
                read += consumer.poll(Duration.ofMillis(200)).count();
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        connect.deleteConnector("kc-bench-" + name);
        if (read != rows) {
            throw new AssertionError(name + ": read " + read + " records of " + rows);
        }
        return seconds;
    }
}
