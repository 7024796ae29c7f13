package io.tributary.bench;

import java.time.Clock;
import java.time.Duration;

import com.zaxxer.hikari.HikariDataSource;

import io.tributary.app.store.JdbcCheckpoints;
import io.tributary.app.store.JdbcImportLog;
import io.tributary.app.store.RegistrationStore;
import io.tributary.core.Secret;
import io.tributary.core.SourceDefinition;
import io.tributary.core.SourcePipeline;
import io.tributary.core.Tributary;
import io.tributary.core.sink.RegistrationSink;
import io.tributary.core.sink.RunRecord;
import io.tributary.core.sink.SinkBatch;
import io.tributary.core.sink.WriteResult;
import io.tributary.core.window.Window;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * (a) Tributary as the app wires it (see the app's TributaryConfiguration): the real core pipeline with the app's
 * {@link RegistrationStore}, {@link JdbcCheckpoints} and {@link JdbcImportLog} over a HikariCP pool of the same
 * settings, on a store Flyway migrated. Each run is a historical import ({@link SourcePipeline#importWindow}),
 * the same call as the app's {@code import} command, in a process that stays up between runs as the app does.
 */
final class TributaryCase implements ImportCase {

    private final String schema;
    private final HikariDataSource dataSource;
    private final Scheduler storeScheduler;
    private final Tributary tributary;
    private final SourcePipeline pipeline;

    TributaryCase(BenchOptions options, String schema, String table) {
        this.schema = schema;
        dataSource = new HikariDataSource();
        dataSource.setPoolName("tributary-store");
        dataSource.setJdbcUrl(options.jdbcUrl(options.storeDatabase()));
        dataSource.setUsername(options.user());
        String password = System.getenv("PGPASSWORD");
        if (password != null) {
            dataSource.setPassword(password);
        }
        dataSource.setMaximumPoolSize(10);
        dataSource.setSchema(schema);
        storeScheduler = Schedulers.newBoundedElastic(16, 10_000, "tributary-store");
        Clock clock = Clock.systemUTC();
        RegistrationStore store = new RegistrationStore(dataSource, "postgresql", clock, storeScheduler);
        tributary = Tributary.builder()
                .sink(options.lanes() == 0 ? store : withLanes(store, options.lanes()))
                .checkpoints(new JdbcCheckpoints(dataSource, clock, storeScheduler))
                .importLog(new JdbcImportLog(dataSource, storeScheduler))
                .clock(clock)
                .build();
        SourceDefinition.Builder source = SourceDefinition.builder(Stores.SOURCE_ID,
                        "postgresql://" + options.host() + ":" + options.port() + "/" + options.sourceDatabase(),
                        Dataset.statement(table))
                .credentials(options.user(), password == null ? Secret.empty() : Secret.of(password))
                // the cap is for polling; a historical import does not apply it, and the bench wants none either way
                .maxRowsPerMinute(0);
        if (options.fetchSize() > 0) {
            source.fetchSize(options.fetchSize());
        }
        if (options.batchSize() > 0) {
            source.batchSize(options.batchSize());
        }
        pipeline = tributary.add(source.build());
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
        return "tributary";
    }

    @Override
    public String label() {
        return "(a) Tributary";
    }

    @Override
    public String schema() {
        return schema;
    }

    SourcePipeline pipeline() {
        return pipeline;
    }

    @Override
    public Counts run(Window window) {
        RunRecord r = pipeline.importWindow(window).block(Duration.ofHours(2));
        if (r == null || !r.succeeded()) {
            throw new IllegalStateException("Tributary's import failed: " + (r == null ? "no record" : r.error()));
        }
        return new Counts(r.read(), r.inserted(), r.updated(), r.unchanged());
    }

    @Override
    public void close() {
        tributary.close();
        storeScheduler.dispose();
        dataSource.close();
    }
}
