package io.tributary.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.stream.Stream;

import org.flywaydb.core.Flyway;

import com.zaxxer.hikari.HikariDataSource;

import io.tributary.app.config.StoreSettings;
import io.tributary.app.store.JdbcCheckpoints;
import io.tributary.app.store.JdbcImportLog;
import io.tributary.app.store.RegistrationStore;
import io.tributary.app.store.StoreThreads;
import io.tributary.core.Secret;
import io.tributary.core.SourceDefinition;
import io.tributary.core.SourcePipeline;
import io.tributary.core.Tributary;
import io.tributary.core.event.ImportEvent;
import io.tributary.core.sink.RegistrationSink;
import io.tributary.core.sink.RunRecord;
import io.tributary.core.sink.SinkBatch;
import io.tributary.core.sink.WriteResult;
import io.tributary.core.window.Window;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * Tributary as the app wires it (see the app's TributaryConfiguration): the real core pipeline with the app's
 * {@link RegistrationStore}, {@link JdbcCheckpoints} and {@link JdbcImportLog} over a HikariCP pool of the same
 * settings, on a store Flyway migrated. Each run is a historical import ({@link SourcePipeline#importWindow}),
 * the same call as the app's {@code import} command, in a process that stays up between runs as the app does.
 * Three variants: (a) a PostgreSQL source into the PostgreSQL store; (c) the same rows from a MariaDB source; (d) into
 * the embedded default store (an H2 file database, as the app makes it when {@code TRIBUTARY_STORE_URL} is unset).
 */
final class TributaryCase implements ImportCase {

    /** Where the rows come from. */
    enum Source { POSTGRESQL, MARIADB }

    private final String name;
    private final String label;
    private final String schema;
    private final boolean h2;
    private final HikariDataSource dataSource;
    private final ThreadPoolExecutor storeThreads;
    private final Scheduler storeScheduler;
    private final Tributary tributary;
    private final SourcePipeline pipeline;

    /** (a): PostgreSQL source, PostgreSQL store schema {@code schema}. */
    TributaryCase(BenchOptions options, String schema, String table) {
        this(options, "tributary", "(a) Tributary, pipeline", schema, table, Source.POSTGRESQL, null);
    }

    /**
     * @param h2Directory the embedded store's directory (emptied first), or {@code null} for the PostgreSQL store
     */
    TributaryCase(BenchOptions options, String name, String label, String schema, String table, Source source,
            Path h2Directory) {
        this.name = name;
        this.label = label;
        this.schema = schema;
        this.h2 = h2Directory != null;
        dataSource = new HikariDataSource();
        dataSource.setPoolName("tributary-store");
        String password = System.getenv("PGPASSWORD");
        if (h2) {
            deleteRecursively(h2Directory);
            // the app's default: StoreSettings without TRIBUTARY_STORE_URL, plus the ablation's settings if any
            dataSource.setJdbcUrl(StoreSettings.read(Map.of("TRIBUTARY_DATA_DIR", h2Directory.toAbsolutePath().toString()))
                    .jdbcUrl() + options.h2Options());
            dataSource.setUsername("sa");
            dataSource.setPassword("");
        } else {
            dataSource.setJdbcUrl(options.jdbcUrl(options.storeDatabase()));
            dataSource.setUsername(options.user());
            if (password != null) {
                dataSource.setPassword(password);
            }
            dataSource.setSchema(schema);
        }
        dataSource.setMaximumPoolSize(10);
        if (h2) {
            Flyway.configure().dataSource(dataSource).placeholders(Map.of("json_type", "json"))
                    .locations("classpath:db/migration").load().migrate();
        }
        // the app's store threads (TributaryConfiguration): a cancelled write never interrupts them
        storeThreads = StoreThreads.pool("tributary-store", 16, 10_000);
        storeScheduler = StoreThreads.scheduler(storeThreads);
        Clock clock = Clock.systemUTC();
        RegistrationStore store = new RegistrationStore(dataSource, h2 ? "h2" : "postgresql", clock, storeScheduler);
        tributary = Tributary.builder()
                .sink(options.lanes() == 0 ? store : withLanes(store, options.lanes()))
                .checkpoints(new JdbcCheckpoints(dataSource, clock, storeScheduler))
                .importLog(new JdbcImportLog(dataSource, storeScheduler))
                .clock(clock)
                .build();
        SourceDefinition.Builder definition = source == Source.MARIADB
                ? SourceDefinition.builder(Stores.SOURCE_ID, MariaDbSource.url(options), Dataset.statement(table))
                        .credentials(MariaDbSource.USER, Secret.empty())
                : SourceDefinition.builder(Stores.SOURCE_ID,
                                "postgresql://" + options.host() + ":" + options.port() + "/" + options.sourceDatabase(),
                                Dataset.statement(table))
                        .credentials(options.user(), password == null ? Secret.empty() : Secret.of(password));
        // the cap is for polling; a historical import does not apply it, and the bench wants none either way
        definition.maxRowsPerMinute(0);
        // the PostgreSQL source's server-side statement timeout (the query timeout) ends a read that lasts longer, and a
        // slow store (H2 under load) makes the read of a whole table last longer than the default 5 min: the bench
        // measures throughput, not that limit
        definition.queryTimeout(Duration.ofHours(2));
        if (options.fetchSize() > 0) {
            definition.fetchSize(options.fetchSize());
        }
        if (options.batchSize() > 0) {
            definition.batchSize(options.batchSize());
        }
        pipeline = tributary.add(definition.build());
    }

    /** The store with another number of concurrent writes, to measure what lanes buy. */
    private static RegistrationSink withLanes(RegistrationStore store, int lanes) {
        return new RegistrationSink() {
            @Override
            public Mono<WriteResult> write(SinkBatch batch) {
                return store.write(batch);
            }

            @Override
            public int concurrentWrites() {
                return lanes;
            }
        };
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String label() {
        return label;
    }

    @Override
    public String schema() {
        return schema;
    }

    @Override
    public boolean postgresStore() {
        return !h2;
    }

    @Override
    public void reset(Stores stores) throws SQLException {
        if (!h2) {
            ImportCase.super.reset(stores);
            return;
        }
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            st.execute("TRUNCATE TABLE registrations");
            st.execute("DELETE FROM members");
            st.execute("DELETE FROM teams");
            st.execute("DELETE FROM checkpoints");
        }
    }

    @Override
    public String checksum(Stores stores) throws SQLException {
        if (!h2) {
            return ImportCase.super.checksum(stores);
        }
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*) FROM registrations WHERE source_id = '" + Stores.SOURCE_ID + "'")) {
            rs.next();
            return rs.getLong(1) + "/h2";
        }
    }

    SourcePipeline pipeline() {
        return pipeline;
    }

    /**
     * The same statement as another source, {@code id}, whose poll loop runs every {@code frequency} once started:
     * automatic runs as the app makes them (an operator's run is logged differently from an idle poll).
     */
    SourcePipeline pollingCopy(String id, Duration frequency) {
        SourceDefinition d = pipeline.definition();
        return tributary.add(SourceDefinition.builder(id, d.url(), d.statement()).credentials(d.username(), d.password())
                .maxRowsPerMinute(0).updateFrequency(frequency).build());
    }

    Flux<ImportEvent> events() {
        return tributary.events();
    }

    @Override
    public Counts run(Window window) {
        RunRecord r = pipeline.importWindow(window).block(Duration.ofHours(2));
        if (r == null || !r.succeeded()) {
            throw new IllegalStateException(label + "'s import failed: " + (r == null ? "no record" : r.error()));
        }
        return new Counts(r.read(), r.inserted(), r.updated(), r.unchanged());
    }

    @Override
    public void close() {
        tributary.close();
        storeScheduler.dispose();
        storeThreads.shutdown();
        dataSource.close();
    }

    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot empty " + dir + ": " + e.getMessage(), e);
        }
    }
}
