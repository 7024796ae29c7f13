package io.tributary.app;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadPoolExecutor;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.flyway.autoconfigure.FlywayConfigurationCustomizer;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.core.env.ConfigurableEnvironment;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import io.tributary.app.config.AppSettings;
import io.tributary.app.config.ConfigurationException;
import io.tributary.app.config.EnvVariables;
import io.tributary.app.config.StoreSettings;
import io.tributary.app.demo.DemoSource;
import io.tributary.app.imports.HistoricalImports;
import io.tributary.app.plecto.PlectoPush;
import io.tributary.app.store.JdbcHistoricalImports;
import io.tributary.app.store.JdbcCheckpoints;
import io.tributary.app.store.ImportLogRetention;
import io.tributary.app.store.JdbcImportLog;
import io.tributary.app.store.JdbcRegistrations;
import io.tributary.app.store.RegistrationStore;
import io.tributary.app.store.StoreReads;
import io.tributary.app.store.StoreThreads;
import io.tributary.core.SourceDefinition;
import io.tributary.core.Tributary;
import io.tributary.core.spi.DialectProvider;
import io.tributary.core.spi.Dialects;
import io.tributary.core.template.StatementTemplate;
import io.tributary.core.template.TemplateException;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/** Wires settings, store and core together. */
@Configuration(proxyBeanMethods = false)
class TributaryConfiguration {

    private static final Logger log = LoggerFactory.getLogger(TributaryConfiguration.class);

    @Bean
    AppSettings appSettings(ConfigurableEnvironment environment) {
        return AppSettings.read(EnvVariables.from(environment));
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    /**
     * Store writes are blocking JDBC: they get their own bounded pool of threads. A cancelled run never interrupts
     * a store call in progress (Reactor's elastic schedulers do): an interrupt closes the embedded H2 store's file for
     * good, until a restart; a write that finishes after its run was cancelled is harmless.
     */
    @Bean(destroyMethod = "shutdown")
    ThreadPoolExecutor storeExecutor() {
        return StoreThreads.pool("tributary-store", 16, 10_000);
    }

    @Bean
    @Primary
    Scheduler storeScheduler(@Qualifier("storeExecutor") ThreadPoolExecutor storeExecutor) {
        return StoreThreads.scheduler(storeExecutor);
    }

    @Bean(destroyMethod = "close")
    @Primary
    DataSource dataSource(AppSettings settings) {
        StoreSettings store = settings.store();
        HikariConfig config = new HikariConfig();
        config.setPoolName("tributary-store");
        config.setJdbcUrl(store.jdbcUrl());
        config.setUsername(store.username());
        config.setPassword(store.password());
        config.setMaximumPoolSize(10);
        // a store that gives no connection within 10 s (down, or its server full) fails the run, which is retried,
        // instead of holding it for Hikari's default 30 s at each of its store steps: a run that cannot be recorded
        // is told (run-failed) while the store is still down
        config.setConnectionTimeout(STORE_CONNECTION_TIMEOUT.toMillis());
        if (store.schema() != null) {
            config.setSchema(store.schema());
        }
        // fail at start-up with the server's reason rather than on the first run
        config.setInitializationFailTimeout(10_000);
        try {
            return new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new ConfigurationException("TRIBUTARY_STORE_URL: cannot connect to the store " + store.jdbcUrl()
                    + (store.username().isEmpty() ? "" : " as " + store.username()) + ": " + rootMessage(e, store)
                    + " (TRIBUTARY_STORE_USERNAME and TRIBUTARY_STORE_PASSWORD give the login)", e);
        }
    }

    /**
     * The API's own small pool on the store (see {@link StoreReads}): a connection within 1 s or a failure, and on
     * PostgreSQL no read that waits on the network for more than 3 s. Created without connecting, so that it never
     * stops start-up.
     */
    @Bean(destroyMethod = "close")
    HikariDataSource apiDataSource(AppSettings settings) {
        StoreSettings store = settings.store();
        HikariConfig config = new HikariConfig();
        config.setPoolName("tributary-store-api");
        config.setJdbcUrl(store.jdbcUrl());
        config.setUsername(store.username());
        config.setPassword(store.password());
        config.setMaximumPoolSize(4);
        config.setMinimumIdle(1);
        config.setConnectionTimeout(API_CONNECTION_TIMEOUT.toMillis());
        config.setValidationTimeout(500);
        config.setInitializationFailTimeout(-1);
        if (store.schema() != null) {
            config.setSchema(store.schema());
        }
        if ("postgresql".equals(store.vendor())) {
            config.addDataSourceProperty("connectTimeout", "1");
            config.addDataSourceProperty("socketTimeout", "3");
        }
        return new HikariDataSource(config);
    }

    /**
     * The store in {@code /actuator/health} as {@code store}, checked through the API's pool, so that a store that
     * is down makes health answer DOWN within about a second rather than after the runs' 30 s connection timeout
     * (Boot's own {@code db} indicator is turned off in application.properties).
     */
    @Bean
    HealthIndicator storeHealthIndicator(@Qualifier("apiDataSource") DataSource apiDataSource, AppSettings settings) {
        // not Boot's DataSourceHealthIndicator: it logs a stack trace at every check while the store is down
        return () -> {
            try (Connection c = apiDataSource.getConnection()) {
                return c.isValid(1) ? Health.up().build()
                        : Health.down().withDetail("error", "the store's connection is not valid").build();
            } catch (SQLException e) {
                return Health.down().withDetail("error", rootMessage(e, settings.store())).build();
            }
        };
    }

    /** How long an API call waits for a connection to the store. */
    static final java.time.Duration API_CONNECTION_TIMEOUT = java.time.Duration.ofSeconds(1);
    /** How long a run waits for a connection of the store's main pool before it fails (and is retried). */
    static final java.time.Duration STORE_CONNECTION_TIMEOUT = java.time.Duration.ofSeconds(10);

    @Bean(destroyMethod = "dispose")
    Scheduler apiStoreScheduler() {
        // never interrupted either: a client that goes away must not close the embedded store's file
        return StoreThreads.scheduler(StoreThreads.pool("tributary-api-store", 8, 1_000));
    }

    @Bean
    StoreReads storeReads(@Qualifier("apiDataSource") DataSource apiDataSource, AppSettings settings, Clock clock,
            @Qualifier("apiStoreScheduler") Scheduler apiStoreScheduler) {
        JdbcImportLog log = new JdbcImportLog(apiDataSource, apiStoreScheduler);
        return new StoreReads(new RegistrationStore(apiDataSource, settings.store().vendor(), clock, apiStoreScheduler),
                new JdbcCheckpoints(apiDataSource, clock, apiStoreScheduler), log,
                new JdbcHistoricalImports(apiDataSource, apiStoreScheduler), apiStoreScheduler);
    }

    /** The innermost cause's message, the store password taken out should the driver have echoed it. */
    private static String rootMessage(Throwable e, StoreSettings store) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage().strip();
        message = message.lines().findFirst().orElse(message);
        return store.password().isEmpty() ? message : message.replace(store.password(), "******");
    }

    @Bean
    FlywayConfigurationCustomizer storeSchemaPlaceholders(AppSettings settings) {
        String json = "postgresql".equals(settings.store().vendor()) ? "jsonb" : "json";
        String schema = settings.store().schema();
        return configuration -> {
            configuration.placeholders(Map.of("json_type", json));
            if (schema != null) {
                configuration.schemas(schema).defaultSchema(schema);
            }
        };
    }

    @Bean
    RegistrationStore registrationStore(DataSource dataSource, AppSettings settings, Clock clock, Scheduler storeScheduler) {
        return new RegistrationStore(dataSource, settings.store().vendor(), clock, storeScheduler);
    }

    @Bean
    JdbcRegistrations registrations(DataSource dataSource) {
        return new JdbcRegistrations(dataSource);
    }

    @Bean
    JdbcCheckpoints checkpoints(DataSource dataSource, Clock clock, Scheduler storeScheduler) {
        return new JdbcCheckpoints(dataSource, clock, storeScheduler);
    }

    @Bean
    JdbcImportLog importLog(DataSource dataSource, Scheduler storeScheduler) {
        return new JdbcImportLog(dataSource, storeScheduler);
    }

    @Bean(destroyMethod = "close")
    @DependsOnDatabaseInitialization
    ImportLogRetention importLogRetention(JdbcImportLog importLog, AppSettings settings, Clock clock, Scheduler storeScheduler) {
        return new ImportLogRetention(importLog, settings.importLogRetention(), clock, storeScheduler);
    }

    @Bean
    JdbcHistoricalImports historicalImportStore(DataSource dataSource, Scheduler storeScheduler) {
        return new JdbcHistoricalImports(dataSource, storeScheduler);
    }

    /** The Plecto sink when some source names a Plecto data source; otherwise nothing changes. */
    @Bean
    PlectoPush plectoPush(AppSettings settings, RegistrationStore store, JdbcImportLog importLog, DataSource dataSource,
            Clock clock, Scheduler storeScheduler) {
        return PlectoPush.create(settings.plecto(), store, importLog, dataSource, settings.store().vendor(), clock,
                storeScheduler, Schedulers.parallel());
    }

    @Bean(destroyMethod = "close")
    HistoricalImports historicalImports(Tributary tributary, JdbcHistoricalImports store, Clock clock) {
        return new HistoricalImports(tributary, store, clock);
    }

    @Bean(destroyMethod = "close")
    DemoHolder demo(AppSettings settings) {
        return new DemoHolder(settings.demo() ? DemoSource.create() : null);
    }

    /**
     * The core with every configured source added (not yet polling: {@link PollingLifecycle} starts that).
     * Created after Flyway has migrated the store.
     */
    @Bean(destroyMethod = "close")
    @DependsOnDatabaseInitialization
    Tributary tributary(AppSettings settings, RegistrationStore store, JdbcCheckpoints checkpoints,
            JdbcImportLog importLog, Clock clock, DemoHolder demo, PlectoPush plecto) {
        int interrupted = importLog.failInterruptedRuns("Tributary stopped while this run was in progress (killed or crashed)");
        if (interrupted > 0) {
            log.warn("{} run(s) were in progress when Tributary last stopped; they are marked failed and will be re-read", interrupted);
        }
        Tributary tributary = Tributary.builder().sink(importLog.recordingRuns(plecto.sink(store))).checkpoints(checkpoints)
                .importLog(plecto.importLog(importLog))
                .clock(clock).maxConcurrentRuns(settings.maxConcurrentRuns()).build();
        if (demo.source() != null) {
            tributary.add(demo.source().definition());
        }
        Dialects dialects = Dialects.discover();
        for (SourceDefinition source : settings.sources()) {
            add(tributary, dialects, source);
        }
        return tributary;
    }

    /**
     * Adds a source, blaming the variable by the step that failed, never by the text of a message: choosing the
     * dialect is the URL's (or DIALECT's), parsing the statement the STATEMENT's, the rest (the driver's options) the
     * URL's.
     */
    private static void add(Tributary tributary, Dialects dialects, SourceDefinition source) {
        String prefix = "TRIBUTARY_SOURCES_" + source.id().toUpperCase(Locale.ROOT) + "_";
        DialectProvider provider;
        try {
            provider = dialects.select(source);
        } catch (RuntimeException e) {
            throw new ConfigurationException(prefix + (source.dialect() != null ? "DIALECT" : "URL") + ": " + e.getMessage(), e);
        }
        try {
            StatementTemplate.parse(source.statement(), provider.dialect().syntax());
        } catch (TemplateException e) {
            throw new ConfigurationException(prefix + "STATEMENT: source " + source.id() + ": statement rejected: "
                    + e.getMessage(), e);
        }
        try {
            tributary.add(source);
        } catch (RuntimeException e) {
            String reason = e.getMessage() == null ? e.getClass().getSimpleName() : source.password().redact(e.getMessage());
            throw new ConfigurationException(prefix + "URL: " + reason, e);
        }
    }

    /** The demo source when it runs; a holder because Spring beans cannot be null. */
    record DemoHolder(DemoSource source) implements AutoCloseable {
        @Override
        public void close() {
            if (source != null) {
                source.close();
            }
        }
    }
}
