package io.tributary.app;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

import io.tributary.app.config.AppSettings;
import io.tributary.app.imports.HistoricalImports;
import io.tributary.app.store.JdbcImportLog;
import io.tributary.core.SourcePipeline;
import io.tributary.core.Tributary;
import io.tributary.core.event.ImportEvent;
import reactor.core.Disposable;

/**
 * Starts the poll loops once the application is up (the HTTP server is ready to show them) and stops them first
 * on shutdown. The one-shot CLI commands do not poll.
 */
@Component
class PollingLifecycle implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(PollingLifecycle.class);

    private final Tributary tributary;
    private final TributaryConfiguration.DemoHolder demo;
    private final AppSettings settings;
    private final Environment environment;
    private final HistoricalImports imports;
    private final JdbcImportLog importLog;
    private volatile boolean running;

    PollingLifecycle(Tributary tributary, TributaryConfiguration.DemoHolder demo, AppSettings settings, Environment environment,
            HistoricalImports imports, JdbcImportLog importLog) {
        this.tributary = tributary;
        this.importLog = importLog;
        this.imports = imports;
        this.demo = demo;
        this.settings = settings;
        this.environment = environment;
    }

    @Override
    public void start() {
        if (environment.getProperty("tributary.cli", Boolean.class, false)) {
            return;
        }
        if (demo.source() != null) {
            demo.source().startGenerator(Duration.ofSeconds(3));
        }
        tributary.start();
        // imports a stopped process left unfinished continue at their first unfinished chunk
        imports.resumeUnfinished();
        running = true;
        String port = environment.getProperty("local.server.port", environment.getProperty("server.port", "8080"));
        String address = environment.getProperty("server.address", "127.0.0.1");
        log.info("Tributary is importing {} source(s) into the {} store {}", tributary.pipelines().size(),
                settings.store().vendor(), settings.store().embedded() ? "(embedded H2 file under ./data)" : "");
        if (demo.source() != null) {
            log.info("No source is configured, so the demo runs: an in-memory H2 'sales' table gains rows every 3 s and is "
                    + "imported every 10 s. Look at http://{}:{}/api/sources and http://{}:{}/api/events; configure your own "
                    + "source with TRIBUTARY_SOURCES_<ID>_URL and _STATEMENT (see README.md)", address, port, address, port);
        }
        for (SourcePipeline p : tributary.pipelines()) {
            log.debug("source {} polling", p.id());
        }
    }

    /**
     * A graceful stop (SIGTERM): no new chunk of a historical import starts (imports resume at the next start); idle
     * sources stop at once; a run in progress is given up to {@link #GRACE} to finish and be recorded; what is still
     * running then is cancelled and recorded as interrupted with the rows it had written.
     */
    @Override
    public void stop() {
        running = false;
        // stop starting chunks first: imports in progress stay RUNNING and resume at the next start
        imports.close();
        Set<String> waiting = ConcurrentHashMap.newKeySet();
        for (SourcePipeline p : tributary.pipelines()) {
            if (p.status().state().equals("running")) {
                waiting.add(p.id());
            } else {
                p.stop();
            }
        }
        if (!waiting.isEmpty()) {
            awaitRuns(waiting);
        }
        for (SourcePipeline p : tributary.pipelines()) {
            p.stop();
        }
        try {
            int interrupted = importLog.failInterruptedRuns("Tributary was stopped during this run and it did not finish "
                    + "within " + GRACE.toSeconds() + " s");
            if (interrupted > 0) {
                log.warn("{} run(s) did not finish within {} s of the stop; recorded as interrupted with the rows they had "
                        + "written", interrupted, GRACE.toSeconds());
            }
        } catch (RuntimeException e) {
            log.warn("the runs in progress could not be recorded (the next start records them): {}", e.getMessage());
        }
    }

    /** How long a graceful stop waits for runs in progress: less than the 10 s docker stop gives before SIGKILL. */
    static final Duration GRACE = Duration.ofSeconds(8);

    /** Waits for the next run-finished or run-failed of each source, or {@link #GRACE}. */
    private void awaitRuns(Set<String> sources) {
        CountDownLatch done = new CountDownLatch(sources.size());
        Disposable ends = tributary.events()
                .filter(e -> e instanceof ImportEvent.RunFinished || e instanceof ImportEvent.RunFailed)
                .subscribe(e -> {
                    if (sources.remove(e.sourceId())) {
                        done.countDown();
                    }
                });
        // a run that ended between the look at its state and the subscription
        for (String id : Set.copyOf(sources)) {
            boolean stillRunning = tributary.pipeline(id).map(p -> p.status().state().equals("running")).orElse(false);
            if (!stillRunning && sources.remove(id)) {
                done.countDown();
            }
        }
        log.info("stopping: waiting up to {} s for the run(s) in progress of {} to finish", GRACE.toSeconds(), sources);
        try {
            done.await(GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            ends.dispose();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        // after the web server (which starts in a lower phase) so the API is up when the first run happens
        return Integer.MAX_VALUE - 100;
    }
}
