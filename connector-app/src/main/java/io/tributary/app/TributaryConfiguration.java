package io.tributary.app;

import java.time.Clock;
import java.util.Locale;
import java.util.Map;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.flyway.autoconfigure.FlywayConfigurationCustomizer;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.ConfigurableEnvironment;

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
import io.tributary.core.ConnectorException;
import io.tributary.core.SourceDefinition;
import io.tributary.core.Tributary;
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

    /** Store writes are blocking JDBC: they get their own bounded pool of threads. */
    @Bean(destroyMethod = "dispose")
    Scheduler storeScheduler() {
        return Schedulers.newBoundedElastic(16, 10_000, "tributary-store");
    }

    @Bean(destroyMethod = "close")
    DataSource dataSource(AppSettings settings) {
        StoreSettings store = settings.store();
        HikariDataSource ds = new HikariDataSource();
        ds.setPoolName("tributary-store");
        ds.setJdbcUrl(store.jdbcUrl());
        ds.setUsername(store.username());
        ds.setPassword(store.password());
        ds.setMaximumPoolSize(10);
        if (store.schema() != null) {
            ds.setSchema(store.schema());
        }
        // fail at start-up with the server's reason rather than on the first run
        ds.setInitializationFailTimeout(10_000);
        return ds;
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
        int interrupted = importLog.failInterruptedRuns();
        if (interrupted > 0) {
            log.warn("{} run(s) were in progress when Tributary last stopped; they are marked failed and will be re-read", interrupted);
        }
        Tributary tributary = Tributary.builder().sink(plecto.sink(store)).checkpoints(checkpoints)
                .importLog(plecto.importLog(importLog))
                .clock(clock).maxConcurrentRuns(settings.maxConcurrentRuns()).build();
        if (demo.source() != null) {
            tributary.add(demo.source().definition());
        }
        for (SourceDefinition source : settings.sources()) {
            try {
                tributary.add(source);
            } catch (ConnectorException e) {
                String variable = e.getMessage().contains("statement rejected") ? "STATEMENT" : "URL";
                throw new ConfigurationException("TRIBUTARY_SOURCES_" + source.id().toUpperCase(Locale.ROOT)
                        + "_" + variable + ": " + e.getMessage(), e);
            }
        }
        return tributary;
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
