package io.tributary.kafka;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;

/** Kafka's in-process Connect cluster with the plugin from plugin.path, and the local PostgreSQL of the sources. */
final class ConnectTestCluster {

    static final String CONNECTOR_CLASS = "io.tributary.kafka.TributarySourceConnector";
    /** The database of every source table of these tests. */
    static final String SOURCE_DATABASE = "kc_src";

    private ConnectTestCluster() {
    }

    /** Started, with {@code workers} workers (exactly-once source support on) and one broker. */
    static EmbeddedConnectCluster start(String name, int workers) throws InterruptedException {
        return start(name, workers, true);
    }

    /**
     * Started, with {@code workers} workers and one broker. Without {@code exactlyOnce} the workers run source tasks
     * at-least-once; with it every source task is transactional (per poll, unless the connector sets
     * {@code transaction.boundary}).
     */
    static EmbeddedConnectCluster start(String name, int workers, boolean exactlyOnce) throws InterruptedException {
        Map<String, String> worker = new HashMap<>();
        worker.put("plugin.path", pluginPath());
        // the plugin declares itself in META-INF/services: no reflective scan of every jar (seconds per worker)
        worker.put("plugin.discovery", "service_load");
        worker.put("exactly.once.source.support", exactlyOnce ? "enabled" : "disabled");
        worker.put("config.providers", "file");
        worker.put("config.providers.file.class", "org.apache.kafka.common.config.provider.FileConfigProvider");
        worker.put("key.converter", "org.apache.kafka.connect.json.JsonConverter");
        worker.put("key.converter.schemas.enable", "false");
        worker.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        worker.put("value.converter.schemas.enable", "false");
        worker.put("offset.flush.interval.ms", "1000");
        // a removed worker's tasks move at once instead of after the default 5 minutes
        worker.put("scheduled.rebalance.max.delay.ms", "1000");
        Properties broker = new Properties();
        broker.put("transaction.state.log.replication.factor", "1");
        broker.put("transaction.state.log.min.isr", "1");
        broker.put("offsets.topic.replication.factor", "1");
        EmbeddedConnectCluster connect = new EmbeddedConnectCluster.Builder().name(name).numWorkers(workers)
                .numBrokers(1).workerProps(worker).brokerProps(broker).build();
        connect.start();
        connect.assertions().assertAtLeastNumWorkersAreUp(workers, workers + " workers did not start");
        return connect;
    }

    /**
     * A topic that keeps its records: a record's timestamp is its registration's date (2024 here), so the default
     * 7-day time retention would delete each segment as soon as it rolls.
     */
    static void createTopic(EmbeddedConnectCluster connect, String name, int partitions) {
        connect.kafka().createTopic(name, partitions, 1, Map.of("retention.ms", "-1"));
    }

    /**
     * A table {@code name} of {@code rows} registrations in {@link #SOURCE_DATABASE}, dated from 2024-01-01 on,
     * three rows per date (so windows end between groups of equal dates), with microseconds in every date, indexed
     * by date.
     */
    static void createSourceTable(String name, int rows) throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcBase() + "postgres", "postgres", "");
                Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + SOURCE_DATABASE + "'")) {
                if (!rs.next()) {
                    st.execute("CREATE DATABASE " + SOURCE_DATABASE);
                }
            }
        }
        try (Connection c = DriverManager.getConnection(jdbcBase() + SOURCE_DATABASE, "postgres", "");
                Statement st = c.createStatement()) {
            st.execute("DROP TABLE IF EXISTS " + name);
            st.execute("CREATE TABLE " + name + " (id text PRIMARY KEY, member int NOT NULL, "
                    + "created_at timestamptz NOT NULL, amount numeric(12,2) NOT NULL)");
            st.execute("INSERT INTO " + name + " SELECT '" + name + "-' || i, i % 50, "
                    + "timestamptz '2024-01-01 00:00:00+00' + (i / 3) * interval '1 second' + interval '0.000123 second', "
                    + "(i % 1000) / 10.0 FROM generate_series(1, " + rows + ") i");
            // as on any real source: each capped window reads its next rows by the date index, not by a sort
            st.execute("CREATE INDEX ON " + name + " (created_at)");
            st.execute("ANALYZE " + name);
        }
    }

    /** The user's statement over one of the tables {@link #createSourceTable} makes. */
    static String statement(String table) {
        return "SELECT id AS reference, member AS member_id, 'Member ' || member AS member_name, created_at AS date, amount "
                + "FROM " + table + " WHERE created_at >= {{ last_update_time }} AND created_at < {{ upper_date_limit }} "
                + "ORDER BY created_at";
    }

    /** The source URL of {@link #SOURCE_DATABASE}, as a user writes it. */
    static String sourceUrl() {
        return jdbcBase().replaceFirst("^jdbc:", "") + SOURCE_DATABASE;
    }

    /** jdbc:postgresql://host:port/ from the r2dbc URL the build passes (the local service by default). */
    static String jdbcBase() {
        String r2dbc = System.getProperty("tributary.test.postgres.url", "r2dbc:postgresql://postgres@127.0.0.1:5432/test");
        String hostPort = r2dbc.replaceFirst("^r2dbc:postgresql://([^@/]*@)?", "").replaceFirst("/.*$", "");
        return "jdbc:postgresql://" + hostPort + "/";
    }

    private static String pluginPath() {
        String path = System.getProperty("tributary.kafka.plugin.path");
        if (path == null || !Files.isDirectory(Path.of(path))) {
            throw new IllegalStateException("no plugin directory at " + path + ": run through mvn verify, which builds it");
        }
        return path;
    }
}
