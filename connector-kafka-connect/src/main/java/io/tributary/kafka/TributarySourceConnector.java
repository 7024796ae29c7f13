package io.tributary.kafka;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.ConnectorTransactionBoundaries;
import org.apache.kafka.connect.source.ExactlyOnceSupport;
import org.apache.kafka.connect.source.SourceConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tributary's sources as a Kafka Connect source connector: the same pipelines as the app (statement template,
 * mapping, row cap, adaptive interval, dialects), one Connect source partition per source, the checkpoint as its
 * offset. Sources are spread over {@code tasks.max} tasks. See docs/kafka-connect.md.
 */
public final class TributarySourceConnector extends SourceConnector {

    private static final Logger log = LoggerFactory.getLogger(TributarySourceConnector.class);

    static final String VERSION = versionOfJar();

    private Map<String, String> props = Map.of();
    private List<String> ids = List.of();

    @Override
    public String version() {
        return VERSION;
    }

    @Override
    public void start(Map<String, String> props) {
        ConnectorSettings settings = ConnectorSettings.read(props);
        if (!settings.valid()) {
            throw new ConnectException("invalid configuration: " + settings.describeErrors());
        }
        this.props = Map.copyOf(props);
        this.ids = settings.ids();
        log.info("{} source(s): {}", ids.size(), String.join(", ", ids));
    }

    @Override
    public Class<? extends Task> taskClass() {
        return TributarySourceTask.class;
    }

    /** Sources round-robin over at most {@code maxTasks} tasks; a task never runs without a source. */
    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        int tasks = Math.min(maxTasks, ids.size());
        List<List<String>> assigned = new ArrayList<>();
        for (int t = 0; t < tasks; t++) {
            assigned.add(new ArrayList<>());
        }
        for (int i = 0; i < ids.size(); i++) {
            assigned.get(i % tasks).add(ids.get(i));
        }
        List<Map<String, String>> configs = new ArrayList<>();
        for (List<String> mine : assigned) {
            Map<String, String> task = new HashMap<>(props);
            task.put(ConnectorSettings.TASK_SOURCES, String.join(",", mine));
            configs.add(task);
        }
        return configs;
    }

    @Override
    public void stop() {
        // nothing held: the tasks own the pipelines
    }

    @Override
    public ConfigDef config() {
        return ConnectorSettings.baseDefinition();
    }

    /** Every mistake on the property it belongs to, as Connect's REST API shows it; nothing connects to a database. */
    @Override
    public Config validate(Map<String, String> connectorConfigs) {
        return new Config(ConnectorSettings.read(connectorConfigs).configValues());
    }

    @Override
    public ExactlyOnceSupport exactlyOnceSupport(Map<String, String> connectorConfig) {
        // offsets are the checkpoints of completed windows, and a task resumes exactly at one
        return ExactlyOnceSupport.SUPPORTED;
    }

    @Override
    public ConnectorTransactionBoundaries canDefineTransactionBoundaries(Map<String, String> connectorConfig) {
        return ConnectorTransactionBoundaries.SUPPORTED;
    }

    private static String versionOfJar() {
        String v = TributarySourceConnector.class.getPackage().getImplementationVersion();
        return v == null ? "unknown" : v;
    }
}
