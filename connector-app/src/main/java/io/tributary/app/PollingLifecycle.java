package io.tributary.app;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

import io.tributary.app.config.AppSettings;
import io.tributary.app.imports.HistoricalImports;
import io.tributary.core.SourcePipeline;
import io.tributary.core.Tributary;

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
    private volatile boolean running;

    PollingLifecycle(Tributary tributary, TributaryConfiguration.DemoHolder demo, AppSettings settings, Environment environment,
            HistoricalImports imports) {
        this.tributary = tributary;
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

    @Override
    public void stop() {
        running = false;
        // stop starting chunks first: imports in progress stay RUNNING and resume at the next start
        imports.close();
        for (SourcePipeline p : tributary.pipelines()) {
            p.stop();
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
