package io.tributary.core;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tributary.core.event.EventBus;
import io.tributary.core.event.ImportEvent;
import io.tributary.core.schedule.RunLimiter;
import io.tributary.core.sink.CheckpointStore;
import io.tributary.core.sink.ImportLog;
import io.tributary.core.sink.RegistrationSink;
import io.tributary.core.spi.DialectProvider;
import io.tributary.core.spi.Dialects;
import io.tributary.core.template.StatementTemplate;
import io.tributary.core.template.TemplateException;
import io.tributary.core.template.Variable;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Entry point: builds one {@link SourcePipeline} per source and runs them. Embedders (the Spring app, Kafka
 * Connect, a test) supply the sink, checkpoint store and import log.
 *
 * <pre>{@code
 * Tributary tributary = Tributary.builder().sink(sink).checkpoints(store).importLog(store).build();
 * tributary.add(SourceDefinition.builder("sales", "postgresql://db/shop", statement).build());
 * tributary.start();
 * }</pre>
 */
public final class Tributary implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Tributary.class);

    private final Builder config;
    private final EventBus events = new EventBus();
    private final Map<String, SourcePipeline> pipelines = new LinkedHashMap<>();
    private final RunLimiter limiter;

    private Tributary(Builder config) {
        this.config = config;
        this.limiter = new RunLimiter(config.maxConcurrentRuns);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Checks a source (dialect, statement) and creates its pipeline without starting it.
     *
     * @throws ConnectorException.Permanent naming the source and what is wrong with it
     */
    public synchronized SourcePipeline add(SourceDefinition definition) {
        requireNonNull(definition, "definition must not be null");
        if (pipelines.containsKey(definition.id())) {
            throw new IllegalArgumentException("source " + definition.id() + " is already defined");
        }
        DialectProvider provider = config.dialects.select(definition);
        StatementTemplate template;
        try {
            template = StatementTemplate.parse(definition.statement(), provider.dialect().syntax());
        } catch (TemplateException e) {
            throw new ConnectorException.Permanent("source " + definition.id() + ": statement rejected: " + e.getMessage(), e);
        }
        PipelineContext ctx = new PipelineContext(definition, template, provider.dialect(), provider.connect(definition),
                config.sink, config.checkpoints, config.importLog, events, config.clock, config.scheduler,
                config.maxBatchLatency, new RepeatedReferences());
        SourcePipeline pipeline = new SourcePipeline(ctx, limiter);
        pipelines.put(definition.id(), pipeline);
        log.info("source {}: {} dialect, every {}, member id source '{}', timezone {}", definition.id(),
                provider.name(), definition.updateFrequency(), definition.memberIdSource(), definition.timezone());
        for (String warning : statementWarnings(template)) {
            log.warn("source {}: {}", definition.id(), warning);
        }
        return pipeline;
    }

    /**
     * What a statement that parses may still get wrong about the window, in sentences for the start-up log and the
     * API: a statement without {@code {{ last_update_time }}} reads everything since START in every run; one without
     * {@code {{ upper_date_limit }}} returns rows newer than the window, so a run over the cap cannot narrow it and
     * is read whole, and a test query or historical import over a past period returns rows after its end.
     */
    public static List<String> statementWarnings(StatementTemplate template) {
        List<String> warnings = new ArrayList<>();
        if (!template.uses(Variable.LAST_UPDATE_TIME)) {
            warnings.add("the statement does not use {{ last_update_time }}: every run reads every row since START "
                    + "again. Filter the date column with > {{ last_update_time }}");
        }
        if (!template.uses(Variable.UPPER_DATE_LIMIT)) {
            warnings.add("the statement does not use {{ upper_date_limit }}: it returns rows newer than the window it "
                    + "is run for, so a run over the row cap is read whole instead of narrowed, and a test query or "
                    + "historical import returns rows after its end. Filter the date column with < {{ upper_date_limit }}");
        }
        return warnings;
    }

    /** First runs are spread over at most this much (or the source's interval when shorter). */
    static final Duration MAX_START_SPREAD = Duration.ofMinutes(1);

    /**
     * Starts the poll loops of all sources added so far. First runs are spread evenly over a minute (or the
     * source's interval when shorter), so that a thousand sources on one interval do not fire in the same second
     * and none waits long for its first run.
     */
    public synchronized void start() {
        int i = 0;
        int n = pipelines.size();
        for (SourcePipeline p : pipelines.values()) {
            Duration frequency = p.definition().updateFrequency();
            Duration spread = frequency.compareTo(MAX_START_SPREAD) < 0 ? frequency : MAX_START_SPREAD;
            long offset = n <= 1 ? 0 : spread.toMillis() * i / n;
            p.startPolling(Duration.ofMillis(offset));
            i++;
        }
    }

    public synchronized Optional<SourcePipeline> pipeline(String id) {
        return Optional.ofNullable(pipelines.get(id));
    }

    public synchronized Collection<SourcePipeline> pipelines() {
        return java.util.List.copyOf(pipelines.values());
    }

    /** Events of all sources from now on. */
    public Flux<ImportEvent> events() {
        return events.events();
    }

    /** Stops every poll loop and closes source clients. */
    @Override
    public synchronized void close() {
        for (SourcePipeline p : pipelines.values()) {
            p.stop();
            p.closeClient();
        }
        limiter.dispose();
        events.close();
    }

    /** Settings of a {@link Tributary}; sink, checkpoint store and import log are required. */
    public static final class Builder {
        private RegistrationSink sink;
        private CheckpointStore checkpoints;
        private ImportLog importLog;
        private Dialects dialects;
        private Clock clock = Clock.systemUTC();
        private Scheduler scheduler = Schedulers.parallel();
        private Duration maxBatchLatency = Duration.ofMillis(500);
        private int maxConcurrentRuns = 8;

        private Builder() {
        }

        public Builder sink(RegistrationSink value) {
            this.sink = value;
            return this;
        }

        public Builder checkpoints(CheckpointStore value) {
            this.checkpoints = value;
            return this;
        }

        public Builder importLog(ImportLog value) {
            this.importLog = value;
            return this;
        }

        /** Defaults to the providers found with ServiceLoader. */
        public Builder dialects(Dialects value) {
            this.dialects = value;
            return this;
        }

        /** Clock for timings and events; tests pass a virtual one. */
        public Builder clock(Clock value) {
            this.clock = value;
            return this;
        }

        /** Scheduler for poll delays; tests pass a virtual-time one. */
        public Builder scheduler(Scheduler value) {
            this.scheduler = value;
            return this;
        }

        /** The longest a partial batch waits for more rows before it is written. */
        public Builder maxBatchLatency(Duration value) {
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException("maxBatchLatency > 0 required but it was " + value);
            }
            this.maxBatchLatency = value;
            return this;
        }

        /** How many runs may execute at once across all sources (default 8); the others wait their turn. */
        public Builder maxConcurrentRuns(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("maxConcurrentRuns >= 1 required but it was " + value);
            }
            this.maxConcurrentRuns = value;
            return this;
        }

        public Tributary build() {
            requireNonNull(sink, "sink must be set");
            requireNonNull(checkpoints, "checkpoints must be set");
            requireNonNull(importLog, "importLog must be set");
            requireNonNull(clock, "clock must not be null");
            requireNonNull(scheduler, "scheduler must not be null");
            if (dialects == null) {
                dialects = Dialects.discover();
            }
            return new Tributary(this);
        }
    }
}
