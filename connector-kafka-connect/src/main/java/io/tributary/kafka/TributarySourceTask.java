package io.tributary.kafka;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;
import org.apache.kafka.connect.source.TransactionContext;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tributary.core.SourceDefinition;
import io.tributary.core.mapping.Registration;

/**
 * Runs some of the connector's sources. Each completed window of a source ends with the record that carries the
 * window's checkpoint as its offset; the records before it carry the previous checkpoint, so a task that restarts
 * resumes at the last window whose offset Connect committed, and never past a row it did not send. With
 * {@code transaction.boundary=connector} that last record also commits the window's transaction: a window (and so a
 * group of rows sharing a date, which a window never splits) is one transaction.
 */
public final class TributarySourceTask extends SourceTask {

    private static final Logger log = LoggerFactory.getLogger(TributarySourceTask.class);

    /** The longest {@code poll()} waits for records before it returns none. */
    static final Duration POLL_WAIT = Duration.ofMillis(500);
    /** Batches handed over per {@code poll()}. */
    private static final int STEPS_PER_POLL = 16;
    /** Batches waiting for {@code poll()} before the pipelines wait. */
    private static final int QUEUE_CAPACITY = 8;

    private final Map<String, ConnectorSettings.Source> sources = new HashMap<>();
    /** Per source: the checkpoint of its last completed window, the offset of records not ending a window. */
    private final Map<String, @Nullable Instant> windowCheckpoint = new HashMap<>();
    /** Per source: the last record handed to Connect's poll so far; held back until we know whether it ends a window. */
    private final Map<String, SourceRecord> heldBack = new HashMap<>();
    /** Set in start(), cleared by stop(), which Connect may call from another thread while poll() waits. */
    private volatile @Nullable CorePipelines pipelines;
    private volatile @Nullable TransactionContext transactions;

    @Override
    public String version() {
        return TributarySourceConnector.VERSION;
    }

    @Override
    public void start(Map<String, String> props) {
        ConnectorSettings settings = ConnectorSettings.read(props);
        if (!settings.valid()) {
            throw new ConnectException("invalid configuration: " + settings.describeErrors());
        }
        List<String> mine = List.of(props.getOrDefault(ConnectorSettings.TASK_SOURCES, "").split(","));
        List<SourceDefinition> definitions = new ArrayList<>();
        for (ConnectorSettings.Source s : settings.sources()) {
            if (mine.contains(s.definition().id())) {
                sources.put(s.definition().id(), s);
                definitions.add(s.definition());
            }
        }
        Map<String, Instant> resumeAt = new HashMap<>();
        List<Map<String, String>> partitions = definitions.stream().map(d -> RegistrationRecords.partition(d.id())).toList();
        Map<Map<String, String>, Map<String, Object>> offsets = context.offsetStorageReader().offsets(partitions);
        for (SourceDefinition d : definitions) {
            Instant checkpoint = RegistrationRecords.checkpoint(offsets.get(RegistrationRecords.partition(d.id())));
            windowCheckpoint.put(d.id(), checkpoint);
            if (checkpoint != null) {
                resumeAt.put(d.id(), checkpoint);
            }
            log.info("source {}: {}", d.id(), checkpoint == null ? "no offset yet, starting at " + d.start()
                    : "resuming at checkpoint " + checkpoint);
        }
        transactions = context.transactionContext();
        try {
            pipelines = new CorePipelines(definitions, resumeAt, QUEUE_CAPACITY);
        } catch (RuntimeException e) {
            throw new ConnectException(e.getMessage(), e);
        }
        pipelines.start();
    }

    @Override
    public @Nullable List<SourceRecord> poll() throws InterruptedException {
        CorePipelines p = pipelines;
        if (p == null) {
            return null;
        }
        List<CorePipelines.Step> steps = p.take(STEPS_PER_POLL, POLL_WAIT);
        List<SourceRecord> out = new ArrayList<>();
        for (CorePipelines.Step step : steps) {
            if (step instanceof CorePipelines.Batch batch) {
                send(batch, out);
            } else if (step instanceof CorePipelines.WindowEnd end) {
                endWindow(end, out);
            }
        }
        String failure = p.permanentFailure();
        if (failure != null && out.isEmpty()) {
            throw new ConnectException(failure);
        }
        return out.isEmpty() ? null : out;
    }

    private void send(CorePipelines.Batch batch, List<SourceRecord> out) {
        ConnectorSettings.Source source = sources.get(batch.sourceId());
        SourceRecord held = heldBack.remove(batch.sourceId());
        if (held != null) {
            out.add(held);
        }
        Instant offset = windowCheckpoint.get(batch.sourceId());
        List<Registration> registrations = batch.registrations();
        for (int i = 0; i < registrations.size(); i++) {
            SourceRecord record = RegistrationRecords.record(source.topic(), batch.sourceId(),
                    source.definition().memberIdSource(), registrations.get(i), offset);
            if (i == registrations.size() - 1) {
                heldBack.put(batch.sourceId(), record);
            } else {
                out.add(record);
            }
        }
    }

    private void endWindow(CorePipelines.WindowEnd end, List<SourceRecord> out) {
        windowCheckpoint.put(end.sourceId(), end.checkpoint());
        SourceRecord last = heldBack.remove(end.sourceId());
        if (last == null) {
            // nothing new in this window: no record to carry the offset, which moves with the next window that sends
            return;
        }
        SourceRecord closing = RegistrationRecords.withCheckpoint(last, end.checkpoint());
        out.add(closing);
        TransactionContext tx = transactions;
        if (tx != null) {
            tx.commitTransaction(closing);
        }
    }

    @Override
    public void stop() {
        CorePipelines p = pipelines;
        pipelines = null;
        if (p != null) {
            p.close();
            log.info("stopped {} source(s)", sources.size());
        }
    }
}
