package io.tributary.bench;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.zaxxer.hikari.HikariDataSource;

import io.tributary.app.store.JdbcCheckpoints;
import io.tributary.app.store.JdbcImportLog;
import io.tributary.app.store.RegistrationStore;
import io.tributary.core.Secret;
import io.tributary.core.SourceDefinition;
import io.tributary.core.SourcePipeline;
import io.tributary.core.Tributary;
import io.tributary.core.sink.ImportLog;
import io.tributary.core.sink.RunKind;
import io.tributary.core.sink.RunRecord;
import io.tributary.core.window.Window;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The first automatic sync as a new user gets it: a source with the default settings (row cap
 * {@value SourceDefinition#DEFAULT_MAX_ROWS_PER_MINUTE} rows per minute, one-minute interval, start 1970) and the
 * statement without {@code ORDER BY}, on an empty store, polled as the app polls. It catches up in capped runs that
 * follow each other at once; timed from the first poll to the first complete run whose checkpoint reached the
 * source's clock (the generated rows are all dated 2024). Reports the rows
 * the source returned in all (re-reads of narrowed windows included) next to the distinct rows.
 */
final class AutoSyncCase implements ImportCase {

    private final BenchOptions options;
    private final String schema;
    private final String table;
    private final HikariDataSource dataSource;
    private final Scheduler storeScheduler;
    private long lastRuns;

    AutoSyncCase(BenchOptions options, String schema, String table) {
        this.options = options;
        this.schema = schema;
        this.table = table;
        dataSource = new HikariDataSource();
        dataSource.setPoolName("tributary-store-autosync");
        dataSource.setJdbcUrl(options.jdbcUrl(options.storeDatabase()));
        dataSource.setUsername(options.user());
        String password = System.getenv("PGPASSWORD");
        if (password != null) {
            dataSource.setPassword(password);
        }
        dataSource.setMaximumPoolSize(10);
        dataSource.setSchema(schema);
        storeScheduler = Schedulers.newBoundedElastic(16, 10_000, "tributary-store-autosync");
    }

    @Override
    public String name() {
        return "autosync";
    }

    @Override
    public String label() {
        return "(a') first automatic sync, capped";
    }

    @Override
    public String schema() {
        return schema;
    }

    /** Only a first sync of an empty store: later polls of a caught-up source read nothing. */
    @Override
    public boolean runs(String scenario) {
        return scenario.equals("first");
    }

    long lastRuns() {
        return lastRuns;
    }

    @Override
    public Counts run(Window ignored) throws Exception {
        Clock clock = Clock.systemUTC();
        AtomicLong sourceRows = new AtomicLong();
        AtomicLong inserted = new AtomicLong();
        AtomicLong updated = new AtomicLong();
        AtomicLong unchanged = new AtomicLong();
        AtomicLong runs = new AtomicLong();
        CompletableFuture<RunRecord> caughtUp = new CompletableFuture<>();
        // a narrowed run is complete too, but its checkpoint is inside the data; caught up is a checkpoint near now
        Instant caughtUpAfter = clock.instant().minus(Duration.ofDays(1));
        JdbcImportLog jdbcLog = new JdbcImportLog(dataSource, storeScheduler);
        ImportLog log = new ImportLog() {
            @Override
            public Mono<Long> started(String sourceId, RunKind kind, Window window, Instant startedAt) {
                return jdbcLog.started(sourceId, kind, window, startedAt);
            }

            @Override
            public Mono<Void> finished(RunRecord r) {
                return jdbcLog.finished(r).doOnSuccess(v -> {
                    runs.incrementAndGet();
                    sourceRows.addAndGet(r.read());
                    inserted.addAndGet(r.inserted());
                    updated.addAndGet(r.updated());
                    unchanged.addAndGet(r.unchanged());
                    if (!r.succeeded()) {
                        caughtUp.completeExceptionally(new IllegalStateException("a run failed: " + r.error()));
                    } else if (r.complete() && r.checkpoint() != null && r.checkpoint().isAfter(caughtUpAfter)) {
                        caughtUp.complete(r);
                    }
                });
            }
        };
        String password = System.getenv("PGPASSWORD");
        try (Tributary tributary = Tributary.builder()
                .sink(new RegistrationStore(dataSource, "postgresql", clock, storeScheduler))
                .checkpoints(new JdbcCheckpoints(dataSource, clock, storeScheduler))
                .importLog(log)
                .clock(clock)
                .build()) {
            // the defaults: no cap, interval, start or lookback set
            SourceDefinition.Builder definition = SourceDefinition.builder(Stores.SOURCE_ID,
                            "postgresql://" + options.host() + ":" + options.port() + "/" + options.sourceDatabase(),
                            Dataset.statement(table))
                    .credentials(options.user(), password == null ? Secret.empty() : Secret.of(password));
            SourcePipeline pipeline = tributary.add(definition.build());
            pipeline.startPolling(Duration.ZERO);
            caughtUp.get(2, TimeUnit.HOURS);
        }
        lastRuns = runs.get();
        return new Counts(inserted.get() + updated.get(), inserted.get(), updated.get(), 0, sourceRows.get(), 0);
    }

    @Override
    public void close() {
        storeScheduler.dispose();
        dataSource.close();
    }
}
