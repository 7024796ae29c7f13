package io.tributary.app.plecto;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.reactive.function.client.WebClient;

import io.tributary.app.config.PlectoSettings;
import io.tributary.core.sink.ImportLog;
import io.tributary.core.sink.RegistrationSink;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;

/**
 * The Plecto sink as the app wires it: when some source names a Plecto data source, a {@link PlectoSink} in front of
 * the store and an import log that adds Plecto's rejections to the runs; otherwise the store and the import log as
 * they are. Also what the API and the metrics read.
 */
public final class PlectoPush {

    private static final Logger log = LoggerFactory.getLogger(PlectoPush.class);

    private final PlectoSettings settings;
    private final @Nullable PlectoSink sink;
    private final @Nullable SinkRejections importLog;
    private final @Nullable PlectoClient client;
    private final @Nullable PushedRegistrations pushed;
    private final Sinks.@Nullable Many<PlectoWait> waits;

    private PlectoPush(PlectoSettings settings, @Nullable PlectoSink sink, @Nullable SinkRejections importLog,
            @Nullable PlectoClient client, @Nullable PushedRegistrations pushed, Sinks.@Nullable Many<PlectoWait> waits) {
        this.waits = waits;
        this.settings = settings;
        this.sink = sink;
        this.importLog = importLog;
        this.client = client;
        this.pushed = pushed;
    }

    /**
     * @param store          where the registrations of the other sources go
     * @param storeVendor    {@code postgresql} or {@code h2}
     * @param storeScheduler the bounded scheduler of blocking store calls
     * @param scheduler      timers: request timeouts, retry delays, budget waits
     */
    public static PlectoPush create(PlectoSettings settings, RegistrationSink store, ImportLog importLog,
            DataSource dataSource, String storeVendor, Clock clock, Scheduler storeScheduler, Scheduler scheduler) {
        if (!settings.enabled()) {
            return new PlectoPush(settings, null, null, null, null, null);
        }
        Sinks.Many<PlectoWait> waits = Sinks.many().multicast().directBestEffort();
        RequestBudget budget = new RequestBudget(settings.username(), settings.budgetRequests(), settings.budgetPeriod(),
                scheduler, wait -> {
                    // waits of concurrent lanes may be told at once: emitting is serialised
                    synchronized (waits) {
                        waits.tryEmitNext(wait);
                    }
                });
        PlectoClient client = new PlectoClient(WebClient.builder(), settings.baseUrl(), settings.username(),
                settings.password(), budget, settings.timeout(), scheduler);
        PushedRegistrations pushed = new PushedRegistrations(dataSource, storeVendor, clock);
        SinkRejections rejections = new SinkRejections(importLog);
        PlectoSink sink = new PlectoSink(store, settings.dataSources(), client, pushed, rejections, storeScheduler);
        log.info("Plecto: sources {} push to {} as '{}', at most {} requests per {}", settings.dataSources(),
                settings.baseUrl(), settings.username(), settings.budgetRequests(), settings.budgetPeriod());
        return new PlectoPush(settings, sink, rejections, client, pushed, waits);
    }

    /** Requests that had to wait, as they happen (at most once per source and reason per minute or budget period). */
    public Flux<PlectoWait> waits() {
        return waits == null ? Flux.empty() : waits.asFlux();
    }

    public boolean enabled() {
        return sink != null;
    }

    /** The sink to give the core. */
    public RegistrationSink sink(RegistrationSink store) {
        return sink != null ? sink : store;
    }

    /** The import log to give the core. */
    public ImportLog importLog(ImportLog log) {
        return importLog != null ? importLog : log;
    }

    PlectoSettings settings() {
        return settings;
    }

    Optional<PlectoClient> client() {
        return Optional.ofNullable(client);
    }

    Optional<PlectoSink> plectoSink() {
        return Optional.ofNullable(sink);
    }

    /** Registrations Plecto holds per source (accepted and not deleted), as far as Tributary knows; blocking. */
    public Map<String, Long> pushedCounts() {
        return pushed == null ? new LinkedHashMap<>() : pushed.countsBySource();
    }
}
