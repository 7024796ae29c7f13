package io.tributary.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import io.tributary.core.event.ImportEvent;
import io.tributary.core.history.ChunkPolicy;
import io.tributary.core.history.HistoricalImport;
import io.tributary.core.history.HistoricalImporter;
import io.tributary.core.history.ImportStatus;
import io.tributary.core.mapping.Columns;
import io.tributary.core.mapping.SourceRow;
import io.tributary.core.sink.RunKind;
import io.tributary.core.sink.RunRecord;
import io.tributary.core.spi.Dialects;
import io.tributary.core.window.RowCap;
import io.tributary.core.window.Window;
import io.tributary.testkit.InMemoryStore;
import io.tributary.testkit.ScriptedSource;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;
import reactor.test.scheduler.VirtualTimeScheduler;

class HistoricalImporterTest {

    private static final Columns COLUMNS = Columns.of("reference", "member_id", "member_name", "date");
    private static final String STATEMENT = "SELECT * FROM sales WHERE d >= {{ last_update_time }} AND d < {{ upper_date_limit }}";
    private static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");
    /** Ten days with a sale every minute: 14,400 rows. */
    private static final Window TEN_DAYS = new Window(T0, T0.plus(Duration.ofDays(10)));
    private static final int ROWS = 14_400;

    private final ScriptedSource source = new ScriptedSource();
    private final InMemoryStore store = new InMemoryStore();
    private final List<ImportEvent.ImportProgress> progress = new CopyOnWriteArrayList<>();
    /** Rows each call of the source really emitted (runs are serial: the n-th call is the n-th run). */
    private final List<AtomicLong> pulled = new CopyOnWriteArrayList<>();
    private Tributary tributary;
    private SourcePipeline pipeline;

    private void start() {
        start(Schedulers.parallel());
    }

    /** With a virtual-time scheduler, runs hand their results over on it: the retry delays are then deterministic. */
    private void start(reactor.core.scheduler.Scheduler scheduler) {
        tributary = Tributary.builder().sink(store).checkpoints(store).importLog(store).scheduler(scheduler)
                .dialects(new Dialects(List.of(source))).maxBatchLatency(Duration.ofMillis(20)).build();
        tributary.events().ofType(ImportEvent.ImportProgress.class).subscribe(progress::add);
        pipeline = tributary.add(SourceDefinition.builder("sales", "scripted:sales", STATEMENT).batchSize(500).build());
        // one sale per minute of the bound window
        source.rows(binds -> {
            Instant lower = ((OffsetDateTime) binds.get(0)).toInstant();
            Instant upper = ((OffsetDateTime) binds.get(1)).toInstant();
            long first = Duration.between(T0, lower).toMinutes() + (lower.getEpochSecond() % 60 == 0 ? 0 : 1);
            long end = Math.min(ROWS, (Duration.between(T0, upper).toSeconds() + 59) / 60);
            return counted(Flux.range((int) first, (int) Math.max(0, end - first)).map(this::sale));
        });
    }

    /** Sales at the given dates, the window's rows newest first. */
    private void newestFirst(List<Instant> dates) {
        sales(dates, rows -> Collections.reverse(rows));
    }

    /** Sales at the given dates (sorted), each window's rows in the order {@code order} puts them. */
    private void sales(List<Instant> dates, Consumer<List<SourceRow>> order) {
        source.rows(binds -> {
            Instant lower = ((OffsetDateTime) binds.get(0)).toInstant();
            Instant upper = ((OffsetDateTime) binds.get(1)).toInstant();
            List<SourceRow> rows = new ArrayList<>();
            for (int i = 0; i < dates.size(); i++) {
                Instant d = dates.get(i);
                if (!d.isBefore(lower) && d.isBefore(upper)) {
                    rows.add(ScriptedSource.row(COLUMNS, "s-" + i, "m-1", "Ada", d));
                }
            }
            order.accept(rows);
            return counted(Flux.fromIterable(rows));
        });
    }

    private Flux<SourceRow> counted(Flux<SourceRow> rows) {
        AtomicLong count = new AtomicLong();
        pulled.add(count);
        return rows.doOnNext(r -> count.incrementAndGet());
    }

    private static List<Instant> everyMinute() {
        return IntStream.range(0, ROWS).mapToObj(m -> T0.plus(Duration.ofMinutes(m))).toList();
    }

    /** Runs that stopped at the cap: their note says so. */
    private static boolean stopped(RunRecord r) {
        return r.note() != null && r.note().startsWith("stopped at the cap");
    }

    private SourceRow sale(int minute) {
        return ScriptedSource.row(COLUMNS, "s-" + minute, "m-1", "Ada", T0.plus(Duration.ofMinutes(minute)));
    }

    @AfterEach
    void close() {
        if (tributary != null) {
            tributary.close();
        }
    }

    private HistoricalImporter importer() {
        return new HistoricalImporter(store, java.time.Clock.systemUTC(), Schedulers.parallel());
    }

    @Test
    @DisplayName("chunks cover the range in order without gap or overlap, stay under the cap, and import every row once")
    void chunksAdaptAndCoverTheRange() {
        start();
        HistoricalImporter importer = importer();
        HistoricalImport created = importer.create(pipeline, TEN_DAYS, ChunkPolicy.withCap(1_000)).block();
        HistoricalImport done = importer.run(pipeline, created).block();

        assertThat(done.status()).isEqualTo(ImportStatus.SUCCEEDED);
        assertThat(store.registrations("sales")).hasSize(ROWS);
        assertThat(done.rows().read()).isEqualTo(ROWS);
        // rows of an over-cap chunk were written before it was halved: its re-run finds them unchanged
        assertThat(done.rows().inserted() + done.rows().unchanged()).isEqualTo(ROWS);
        // the first chunk (a day: 1,440 rows) is over the cap of 1,000, so it is halved and run again
        assertThat(done.halvings()).isGreaterThanOrEqualTo(1);
        List<RunRecord> accepted = store.runs().stream().filter(r -> !stopped(r)).toList();
        assertThat(accepted).hasSize(done.chunksDone());
        assertThat(accepted.get(0).window().lower()).isEqualTo(TEN_DAYS.lower());
        assertThat(accepted.get(accepted.size() - 1).window().upper()).isEqualTo(TEN_DAYS.upper());
        for (int i = 1; i < accepted.size(); i++) {
            // each chunk starts a tick before the last one ended, so rows at the boundary are read with '>' too
            assertThat(accepted.get(i).window().lower()).isEqualTo(accepted.get(i - 1).window().upper().minus(RowCap.TICK));
        }
        assertThat(store.runs()).allSatisfy(r -> assertThat(r.kind()).isEqualTo(RunKind.HISTORICAL));
        assertThat(store.checkpoint("sales")).isEmpty();

        ImportEvent.ImportProgress last = progress.get(progress.size() - 1);
        assertThat(last.state()).isEqualTo("succeeded");
        assertThat(last.percent()).isEqualTo(100.0);
        assertThat(last.chunk()).isEqualTo(last.chunks()).isEqualTo(done.chunksDone());
        assertThat(progress).extracting(ImportEvent.ImportProgress::percent).isSorted();
        assertThat(progress.get(0).chunk()).isZero();
    }

    @Test
    @DisplayName("regression: a chunk over the cap stops after the cap's rows instead of reading its whole window, "
            + "is halved, and the import ends with every row once and exact totals")
    void aDenseChunkStopsAtTheCapAndIsHalved() {
        start();
        newestFirst(everyMinute());
        HistoricalImporter importer = importer();
        HistoricalImport done = importer.run(pipeline,
                importer.create(pipeline, TEN_DAYS, ChunkPolicy.withCap(1_000)).block()).block();

        assertThat(done.status()).isEqualTo(ImportStatus.SUCCEEDED);
        List<RunRecord> runs = store.runs();
        assertThat(pulled).hasSameSizeAs(runs);
        // the first chunk, a day of 1,440 rows, stops at the cap: the source sent the cap's rows and the one after them
        RunRecord first = runs.get(0);
        assertThat(first.window()).isEqualTo(new Window(T0, T0.plus(Duration.ofDays(1))));
        assertThat(stopped(first)).isTrue();
        assertThat(first.note()).isEqualTo("stopped at the cap of 1000 rows, leaving rows of the window unread: "
                + "the historical import reads it again in smaller chunks");
        assertThat(first.read()).isEqualTo(1_000);
        assertThat(pulled.get(0)).hasValue(1_001);
        // then it runs again as 12 hours (720 rows), and so do the chunks after it
        assertThat(runs.get(1).window()).isEqualTo(new Window(T0, T0.plus(Duration.ofHours(12))));
        assertThat(runs).filteredOn(HistoricalImporterTest::stopped).hasSize(1);
        assertThat(done.halvings()).isEqualTo(1);
        assertThat(pulled).allSatisfy(n -> assertThat(n.get()).isLessThanOrEqualTo(1_001));
        assertThat(pulled.stream().mapToLong(AtomicLong::get).sum()).isEqualTo(ROWS + 1_001);

        // the chunks done tile the range
        List<RunRecord> accepted = runs.stream().filter(r -> !stopped(r)).toList();
        assertThat(accepted).hasSize(done.chunksDone()).hasSize(20);
        for (int i = 1; i < accepted.size(); i++) {
            // each chunk starts a tick before the last one ended, so rows at the boundary are read with '>' too
            assertThat(accepted.get(i).window().lower()).isEqualTo(accepted.get(i - 1).window().upper().minus(RowCap.TICK));
        }
        assertThat(accepted.get(accepted.size() - 1).window().upper()).isEqualTo(TEN_DAYS.upper());

        // every row stored once; the totals count the chunks done: each row read once, and the 1,000 rows the stopped
        // chunk wrote are found unchanged by the chunks that read them again
        assertThat(store.registrations("sales")).hasSize(ROWS);
        assertThat(done.rows()).isEqualTo(new HistoricalImport.Counts(ROWS, ROWS - 1_000, 0, 1_000, 0));
        assertThat(runs.stream().mapToLong(RunRecord::inserted).sum()).isEqualTo(ROWS);
    }

    @Test
    @DisplayName("regression: a chunk stopped at the cap is halved even when the rows it read came in date order: a scan "
            + "that starts inside the window (PostgreSQL's synchronised seq scans) sends an ordered run of later rows "
            + "first and the earlier ones last, so that order does not prove that every earlier row was read")
    void aChunkWhoseRowsLookOrderedIsStillHalved() {
        start();
        // each window's rows from a fifth of the way in to its end, then from its start: a day holds 1,440 rows, so
        // the first 1,152 come in date order, and the cap of 1,000 is reached before the scan wraps around
        sales(everyMinute(), rows -> Collections.rotate(rows, -rows.size() / 5));
        HistoricalImporter importer = importer();
        HistoricalImport done = importer.run(pipeline,
                importer.create(pipeline, TEN_DAYS, ChunkPolicy.withCap(1_000)).block()).block();

        assertThat(done.status()).isEqualTo(ImportStatus.SUCCEEDED);
        // the rows at the start of the day, which the stopped chunk never saw, are imported by its halves
        assertThat(store.registrations("sales")).hasSize(ROWS).containsKey("s-0");
        assertThat(done.rows()).isEqualTo(new HistoricalImport.Counts(ROWS, ROWS - 1_000, 0, 1_000, 0));
        RunRecord first = store.runs().get(0);
        assertThat(stopped(first)).isTrue();
        assertThat(pulled.get(0)).hasValue(1_001);
        assertThat(done.halvings()).isEqualTo(1);
    }

    @Test
    @DisplayName("rows sharing one instant, more of them than the cap, are read whole; the chunks around them narrow")
    void theSmallestChunkIsReadWhole() {
        start();
        Instant instant = T0.plusMillis(5);
        List<Instant> dates = new java.util.ArrayList<>(IntStream.range(0, 1_000).mapToObj(i -> instant).toList());
        IntStream.range(0, 300).mapToObj(i -> T0.plus(Duration.ofHours(1)).plusSeconds(i)).forEach(dates::add);
        newestFirst(dates);
        HistoricalImporter importer = importer();
        HistoricalImport done = importer.run(pipeline,
                importer.create(pipeline, TEN_DAYS, ChunkPolicy.withCap(100)).block()).block();

        assertThat(done.status()).isEqualTo(ImportStatus.SUCCEEDED);
        List<RunRecord> runs = store.runs();
        // the stopped runs read the cap only, the instant's 1,000 rows are read together, and it ends in a few runs
        assertThat(runs).filteredOn(HistoricalImporterTest::stopped).isNotEmpty()
                .allSatisfy(r -> assertThat(r.read()).isEqualTo(100));
        assertThat(runs).filteredOn(r -> !stopped(r)).anySatisfy(r -> assertThat(r.read()).isGreaterThanOrEqualTo(1_000));
        assertThat(runs.size()).as("runs in all").isLessThan(40);
        assertThat(store.registrations("sales")).hasSize(1_300);
        assertThat(done.rows().read()).isEqualTo(1_300);
    }

    @Test
    @DisplayName("a chunk that returned few rows makes the next one bigger")
    void sparseChunksGrow() {
        start();
        HistoricalImporter importer = importer();
        HistoricalImport done = importer.run(pipeline,
                importer.create(pipeline, TEN_DAYS, ChunkPolicy.withCap(100_000)).block()).block();
        assertThat(done.status()).isEqualTo(ImportStatus.SUCCEEDED);
        // 1 day (1,440 rows, far under half the cap) then 4 days, then the rest
        assertThat(store.runs()).extracting(r -> Duration.between(r.window().lower(), r.window().upper()))
                .containsExactly(Duration.ofDays(1), Duration.ofDays(4).plus(RowCap.TICK), Duration.ofDays(5).plus(RowCap.TICK));
    }

    @Test
    @DisplayName("cancelling stops the import between chunks; the chunks done stay imported")
    void cancelBetweenChunks() {
        start();
        HistoricalImporter importer = importer();
        HistoricalImport created = importer.create(pipeline, TEN_DAYS, ChunkPolicy.withCap(1_000)).block();
        tributary.events().ofType(ImportEvent.ImportProgress.class).filter(e -> e.chunk() == 2)
                .subscribe(e -> importer.cancel(e.importId()));
        HistoricalImport done = importer.run(pipeline, created).block();

        assertThat(done.status()).isEqualTo(ImportStatus.CANCELLED);
        assertThat(done.chunksDone()).isEqualTo(2);
        assertThat(store.find(created.id()).block().status()).isEqualTo(ImportStatus.CANCELLED);
        assertThat(store.registrations("sales")).hasSize((int) done.rows().read());
        // the import forgets itself in doFinally, which may run just after block() returned the value
        awaitTrue(() -> !importer.isRunning(created.id()));
    }

    @Test
    @DisplayName("an import interrupted mid-way resumes at its first unfinished chunk and ends with every row")
    void resumesAtTheFirstUnfinishedChunk() {
        start();
        HistoricalImporter first = importer();
        HistoricalImport created = first.create(pipeline, TEN_DAYS, ChunkPolicy.withCap(1_000)).block();
        // the process "dies" after chunk 5: its importer stops starting chunks
        tributary.events().ofType(ImportEvent.ImportProgress.class).filter(e -> e.chunk() == 5).take(1)
                .subscribe(e -> first.close());
        HistoricalImport stopped = first.run(pipeline, created).block();
        assertThat(stopped.status()).isEqualTo(ImportStatus.RUNNING);
        HistoricalImport saved = store.unfinished().single().block();
        assertThat(saved.chunksDone()).isEqualTo(5);
        int runsBefore = store.runs().size();

        HistoricalImport done = importer().resume(pipeline, saved).block();

        assertThat(done.status()).isEqualTo(ImportStatus.SUCCEEDED);
        assertThat(done.resumes()).isEqualTo(1);
        assertThat(done.lastResume().chunk()).isEqualTo(6);
        assertThat(done.lastResume().cursor()).isEqualTo(saved.cursor());
        assertThat(store.runs().get(runsBefore).window().lower()).isEqualTo(saved.cursor().minus(RowCap.TICK));
        assertThat(store.registrations("sales")).hasSize(ROWS);
        // the first chunk stopped at the cap before the interruption: its 1,000 rows were found unchanged by its halves
        assertThat(done.rows()).isEqualTo(new HistoricalImport.Counts(ROWS, ROWS - 1_000, 0, 1_000, 0));
    }

    @Test
    @DisplayName("a failing chunk is retried with a growing delay, then the import fails with the reason and where it stopped")
    void failingChunksAreRetriedThenFail() {
        VirtualTimeScheduler vts = VirtualTimeScheduler.create();
        start(vts);
        AtomicInteger calls = new AtomicInteger();
        source.rows(binds -> {
            calls.incrementAndGet();
            return Flux.error(new ConnectorException.Transient("connection refused", null));
        });
        HistoricalImporter importer = new HistoricalImporter(store, java.time.Clock.systemUTC(), vts);
        HistoricalImport created = importer.create(pipeline, TEN_DAYS, ChunkPolicy.withCap(1_000)).block();
        AtomicReference<HistoricalImport> result = new AtomicReference<>();
        importer.run(pipeline, created).subscribe(result::set);

        awaitTrue(() -> calls.get() == 1);
        vts.advanceTimeBy(Duration.ofSeconds(2));
        awaitTrue(() -> calls.get() == 2);
        vts.advanceTimeBy(Duration.ofSeconds(9));
        assertThat(calls.get()).isEqualTo(2);
        vts.advanceTimeBy(Duration.ofSeconds(1));
        awaitTrue(() -> calls.get() == 3);
        vts.advanceTimeBy(Duration.ofSeconds(60));
        awaitTrue(() -> result.get() != null);

        assertThat(calls.get()).isEqualTo(4);
        assertThat(result.get().status()).isEqualTo(ImportStatus.FAILED);
        assertThat(result.get().error()).isEqualTo("chunk " + new Window(T0, T0.plus(Duration.ofDays(1)))
                + " failed 4 times; last error: connection refused");
        assertThat(result.get().cursor()).isEqualTo(T0);
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 5 s");
            }
            Thread.onSpinWait();
        }
    }
}
