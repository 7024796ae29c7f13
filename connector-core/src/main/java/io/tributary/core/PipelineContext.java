package io.tributary.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.tributary.core.event.EventBus;
import io.tributary.core.sink.CheckpointStore;
import io.tributary.core.sink.ImportLog;
import io.tributary.core.sink.RegistrationSink;
import io.tributary.core.spi.Dialect;
import io.tributary.core.spi.SourceClient;
import io.tributary.core.template.RenderedStatement;
import io.tributary.core.template.StatementTemplate;
import io.tributary.core.template.Variable;
import io.tributary.core.window.Window;
import reactor.core.scheduler.Scheduler;

/** What one source's runs need; built once per source by {@link Tributary}. */
record PipelineContext(
        SourceDefinition definition,
        StatementTemplate template,
        Dialect dialect,
        SourceClient client,
        RegistrationSink sink,
        CheckpointStore checkpoints,
        ImportLog importLog,
        EventBus events,
        Clock clock,
        Scheduler scheduler,
        Duration maxBatchLatency,
        RepeatedReferences repeated) {

    /** The values for the statement's bind markers over {@code window}, in marker order, as the dialect binds them. */
    List<Object> binds(RenderedStatement statement, Window window) {
        List<Object> binds = new ArrayList<>(statement.parameters().size());
        for (Variable v : statement.parameters()) {
            Instant value = v == Variable.LAST_UPDATE_TIME ? window.lower() : window.upper();
            binds.add(dialect.bindValue(value, definition.timezone()));
        }
        return binds;
    }

    /** A failure's message for logs, records and events: with context, without the source's password. */
    String describe(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (!(e instanceof ConnectorException) && e.getCause() == null && !message.contains(e.getClass().getSimpleName())) {
            message = e.getClass().getSimpleName() + ": " + message;
        }
        return definition.password().redact(message);
    }
}
