package io.tributary.core;

import java.util.concurrent.atomic.AtomicInteger;

import io.tributary.core.sink.WriteResult;

import io.tributary.core.sink.SinkBatch;

import io.tributary.core.sink.RegistrationSink;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import io.tributary.core.event.ImportEvent;
import io.tributary.core.mapping.Columns;
import io.tributary.core.mapping.SourceRow;
import io.tributary.core.sink.RunKind;
import io.tributary.core.sink.RunRecord;
import io.tributary.core.sink.RunStatus;
import io.tributary.core.spi.Dialects;
import io.tributary.core.window.Window;
import io.tributary.testkit.InMemoryStore;
import io.tributary.testkit.ScriptedSource;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.scheduler.VirtualTimeScheduler;

class SourcePipelineTest {

    private static final Columns COLUMNS = Columns.of("reference", "member_id", "member_name", "date", "amount");
    private static final String STATEMENT = "SELECT * FROM sales WHERE d >= {{ last_update_time }} AND d < {{ upper_date_limit }}";
    private static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");

    private final ScriptedSource source = new ScriptedSource();
    private final InMemoryStore store = new InMemoryStore();
    private Tributary tributary;

    private SourcePipeline pipeline(SourceDefinition.Builder definition) {
        tributary = Tributary.builder().sink(store).checkpoints(store).importLog(store)
                .dialects(new Dialects(List.of(source))).maxBatchLatency(Duration.ofMillis(50)).build();
        return tributary.add(definition.build());
    }

    private SourcePipeline pipeline() {
        return pipeline(SourceDefinition.builder("sales", "scripted:sales", STATEMENT).batchSize(10));
    }

    @AfterEach
    void close() {
        if (tributary != null) {
            tributary.close();
        }
    }

    private static SourceRow sale(Object reference, Instant date, int amount) {
        return ScriptedSource.row(COLUMNS, reference, "m-1", "Ada", date, amount);
    }

    @Test
    @DisplayName("Regression (issue 19): a row the store refuses for its data is rejected with the store's reason; the "
            + "rest of its batch and of the run is stored, and the checkpoint moves")
    void aRowTheStoreRefusesIsRejectedAndTheRunGoesOn() {
        RegistrationSink refusing = new RegistrationSink() {
            @Override
            public Mono<WriteResult> write(SinkBatch batch) {
                boolean poisoned = batch.registrations().stream().anyMatch(r -> r.reference().equals("17"));
                return poisoned ? Mono.error(new RuntimeException("batch failed", new java.sql.SQLException(
                        "ERROR: invalid byte sequence for encoding \"UTF8\": 0xff", "22021"))) : store.write(batch);
            }
        };
        tributary = Tributary.builder().sink(refusing).checkpoints(store).importLog(store)
                .dialects(new Dialects(List.of(source))).maxBatchLatency(Duration.ofMillis(50)).build();
        SourcePipeline p = tributary.add(SourceDefinition.builder("sales", "scripted:sales", STATEMENT).batchSize(10).build());
        source.now(T0.plusSeconds(60));
        source.rows(binds -> Flux.range(1, 25).map(i -> sale(i, T0, i)));

        RunRecord run = p.runNow().block();

        assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(run.inserted()).isEqualTo(24);
        assertThat(run.rejected()).isEqualTo(1);
        assertThat(run.rejections()).singleElement().satisfies(r -> {
            assertThat(r.reference()).isEqualTo("17");
            assertThat(r.reason()).isEqualTo("the store refused the row: ERROR: invalid byte sequence for encoding \"UTF8\": 0xff");
        });
        assertThat(store.registrations("sales")).hasSize(24).doesNotContainKey("17");
        assertThat(store.checkpoint("sales")).contains(T0.plusSeconds(60));
    }

    @Test
    @DisplayName("Regression (issue 19): a reference returned twice in different batches is, from the next run on, held "
            + "back and written once in its last version: the store never goes back to the losing value")
    void repeatedReferencesAreWrittenOnceInTheirLastVersion() {
        List<String> writes = new java.util.concurrent.CopyOnWriteArrayList<>();
        RegistrationSink recording = batch -> {
            batch.registrations().forEach(r -> writes.add(r.reference() + "=" + r.fieldsJson()));
            return store.write(batch);
        };
        tributary = Tributary.builder().sink(recording).checkpoints(store).importLog(store)
                .dialects(new Dialects(List.of(source))).maxBatchLatency(Duration.ofMillis(50)).build();
        SourcePipeline p = tributary.add(SourceDefinition.builder("sales", "scripted:sales", STATEMENT).batchSize(10).build());
        source.now(T0.plusSeconds(60));
        // a JOIN that returns every reference twice, the second time with the value that wins
        source.rows(binds -> Flux.concat(Flux.range(1, 30).map(i -> sale(i, T0, 1)), Flux.range(1, 30).map(i -> sale(i, T0, 2))));

        RunRecord first = p.runNow().block();
        assertThat(first.duplicates()).isEqualTo(30);
        assertThat(store.registrations("sales").values()).allSatisfy(r -> assertThat(r.fieldsJson()).isEqualTo("{\"amount\":2}"));

        writes.clear();
        RunRecord second = p.runNow().block();
        assertThat(writes).hasSize(30).allSatisfy(w -> assertThat(w).endsWith("={\"amount\":2}"));
        assertThat(second.duplicates()).isEqualTo(30);
        assertThat(second.unchanged()).isEqualTo(30);
        assertThat(second.updated()).isZero();
        assertThat(second.inserted() + second.updated() + second.unchanged()).isEqualTo(30);
    }

    @Test
    @DisplayName("a store that fails for another reason than the data fails the run, unsplit")
    void aStoreFailureIsNotARejection() {
        AtomicInteger writes = new AtomicInteger();
        RegistrationSink down = batch -> {
            writes.incrementAndGet();
            return Mono.error(new RuntimeException("down", new java.sql.SQLException("connection refused", "08001")));
        };
        tributary = Tributary.builder().sink(down).checkpoints(store).importLog(store)
                .dialects(new Dialects(List.of(source))).maxBatchLatency(Duration.ofMillis(50)).build();
        SourcePipeline p = tributary.add(SourceDefinition.builder("sales", "scripted:sales", STATEMENT).batchSize(10).build());
        source.now(T0.plusSeconds(60));
        source.rows(binds -> Flux.range(1, 25).map(i -> sale(i, T0, i)));

        RunRecord run = p.runNow().block();

        assertThat(run.status()).isEqualTo(RunStatus.FAILED);
        assertThat(run.rejected()).isZero();
        assertThat(writes.get()).isEqualTo(1);
        assertThat(store.checkpoint("sales")).isEmpty();
    }

    @Test
    @DisplayName("the first run reads from start to the source's clock and moves the checkpoint there; the next starts at it")
    void windowsFollowTheCheckpoint() {
        SourcePipeline p = pipeline();
        source.now(T0.plusSeconds(60));
        source.rows(binds -> Flux.range(1, 25).map(i -> sale(i, T0, i)));
        RunRecord first = p.runNow().block();

        assertThat(first.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(first.window()).isEqualTo(new Window(Instant.EPOCH, T0.plusSeconds(60)));
        assertThat(first.inserted()).isEqualTo(25);
        assertThat(store.checkpoint("sales")).contains(T0.plusSeconds(60));
        assertThat(first.checkpoint()).as("the run record carries the checkpoint it left").isEqualTo(T0.plusSeconds(60));
        assertThat(first.complete()).isTrue();
        assertThat(source.calls().get(0).sql()).isEqualTo("SELECT * FROM sales WHERE d >= ? AND d < ?");
        assertThat(source.calls().get(0).binds()).containsExactly(OffsetDateTime.ofInstant(Instant.EPOCH, ZoneOffset.UTC),
                OffsetDateTime.ofInstant(T0.plusSeconds(60), ZoneOffset.UTC));

        source.now(T0.plusSeconds(180));
        RunRecord second = p.runNow().block();
        // the default lookback of 1 minute re-reads the end of the previous window
        assertThat(second.window()).isEqualTo(new Window(T0, T0.plusSeconds(180)));
        assertThat(second.unchanged()).isEqualTo(25);
        assertThat(second.inserted()).isZero();
        assertThat(store.checkpoint("sales")).contains(T0.plusSeconds(180));
    }

    @Test
    @DisplayName("a failed write fails the run with its reason, leaves the checkpoint, and the next run re-reads the window")
    void failedRunMovesNothing() {
        SourcePipeline p = pipeline();
        source.now(T0);
        source.rows(binds -> Flux.range(1, 30).map(i -> sale(i, T0, i)));
        p.runNow().block();
        Instant checkpoint = store.checkpoint("sales").orElseThrow();

        source.now(T0.plusSeconds(60));
        store.failWrites(new IllegalStateException("store is down"));
        RunRecord failed = p.runNow().block();
        assertThat(failed.status()).isEqualTo(RunStatus.FAILED);
        assertThat(failed.error()).contains("store is down");
        assertThat(store.checkpoint("sales")).contains(checkpoint);

        store.failWrites(null);
        RunRecord retried = p.runNow().block();
        assertThat(retried.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(retried.window().lower()).isEqualTo(checkpoint.minus(SourceDefinition.DEFAULT_LOOKBACK));
        assertThat(store.checkpoint("sales")).contains(T0.plusSeconds(60));
    }

    @Test
    void duplicateReferencesLastWinsAndAreCounted() {
        SourcePipeline p = pipeline();
        // reference 3 appears in the first batch twice and again in the third batch
        source.rows(binds -> Flux.just(sale(1, T0, 1), sale(3, T0, 30), sale(3, T0, 31), sale(2, T0, 2))
                .concatWith(Flux.range(10, 16).map(i -> sale(i, T0, i)))
                .concatWith(Flux.just(sale(3, T0, 32))));
        RunRecord r = p.runNow().block();

        assertThat(r.duplicates()).isEqualTo(2);
        assertThat(r.read()).isEqualTo(21);
        assertThat(store.registrations("sales")).hasSize(19);
        assertThat(store.registrations("sales").get("3").fieldsJson()).isEqualTo("{\"amount\":32}");
        assertThat(store.batches()).allSatisfy(b -> assertThat(b.registrations().stream().map(x -> x.reference()).distinct())
                .hasSize(b.registrations().size()));
    }

    @Test
    void rejectedRowsAreSampledWithReasonsAndTheOthersImported() {
        SourcePipeline p = pipeline();
        source.rows(binds -> Flux.just(sale(1, T0, 1), sale(null, T0, 2), sale(3, null, 3), sale(4, T0, 4)));
        RunRecord r = p.runNow().block();

        assertThat(r.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(r.rejected()).isEqualTo(2);
        assertThat(r.rejections()).extracting(x -> x.reason()).containsExactly("row 2: reference is NULL", "row 3: date is NULL");
        assertThat(store.registrations("sales")).containsOnlyKeys("1", "4");
    }

    @Test
    void missingStandardColumnsFailTheRunNamingThem() {
        SourcePipeline p = pipeline();
        Columns wrong = Columns.of("id", "member_id", "member_name", "sold_at");
        source.rows(binds -> Flux.just(ScriptedSource.row(wrong, 1, "m", "n", T0)));
        RunRecord r = p.runNow().block();

        assertThat(r.status()).isEqualTo(RunStatus.FAILED);
        assertThat(r.error()).contains("no column reference, date").contains("columns found: id, member_id, member_name, sold_at");
        assertThat(store.checkpoint("sales")).isEmpty();
    }

    @Test
    @DisplayName("a source failing mid-stream gives a failed run in the log with the reason; written rows stay")
    void sourceFailsMidStream() {
        SourcePipeline p = pipeline();
        source.rows(binds -> Flux.range(1, 20).map(i -> sale(i, T0, i))
                .concatWith(Flux.error(new ConnectorException.Transient("terminating connection due to administrator command", null))));
        RunRecord r = p.runNow().block();
        assertThat(r.status()).isEqualTo(RunStatus.FAILED);
        assertThat(r.error()).isEqualTo("terminating connection due to administrator command");
        assertThat(store.runs()).hasSize(1);
        assertThat(store.checkpoint("sales")).isEmpty();
        assertThat(store.registrations("sales")).hasSizeGreaterThanOrEqualTo(10);
    }

    @Test
    @DisplayName("reading stays a bounded distance ahead of a slow sink (backpressure)")
    void backpressureBoundsReadAhead() {
        SourcePipeline p = pipeline(SourceDefinition.builder("sales", "scripted:sales", STATEMENT).batchSize(100));
        AtomicLong produced = new AtomicLong();
        List<Long> producedAtWrite = new CopyOnWriteArrayList<>();
        source.rows(binds -> Flux.range(1, 5_000).map(i -> sale(i, T0, i)).doOnNext(x -> produced.incrementAndGet()));
        InMemoryStore slow = store;
        tributary.close();
        tributary = Tributary.builder()
                .sink(batch -> Mono.delay(Duration.ofMillis(5)).doOnNext(x -> producedAtWrite.add(produced.get()))
                        .then(slow.write(batch)))
                .checkpoints(store).importLog(store).dialects(new Dialects(List.of(source))).build();
        p = tributary.add(SourceDefinition.builder("sales", "scripted:sales", STATEMENT).batchSize(100).build());

        RunRecord r = p.runNow().block();
        assertThat(r.inserted()).isEqualTo(5_000);
        // when batch k is being written, at most a few batches beyond it have been read
        for (int k = 0; k < producedAtWrite.size(); k++) {
            assertThat(producedAtWrite.get(k)).isLessThanOrEqualTo((k + 1) * 100L + 4 * 100L + 256);
        }
    }

    @Test
    @DisplayName("runs of one source never overlap, whoever asks for them")
    void runsAreSerialised() {
        SourcePipeline p = pipeline();
        List<String> timeline = new CopyOnWriteArrayList<>();
        source.rows(binds -> Flux.range(1, 5).map(i -> sale(i, T0, i))
                .delayElements(Duration.ofMillis(20))
                .doOnSubscribe(s -> timeline.add("start"))
                .doOnComplete(() -> timeline.add("end")));
        Flux.merge(p.runNow(), p.importWindow(new Window(T0, T0.plusSeconds(1))), p.runNow()).collectList().block();
        assertThat(timeline).containsExactly("start", "end", "start", "end", "start", "end");
    }

    @Test
    void historicalWindowsDoNotMoveTheCheckpoint() {
        SourcePipeline p = pipeline();
        source.rows(binds -> Flux.just(sale(1, T0, 1)));
        RunRecord r = p.importWindow(new Window(T0, T0.plusSeconds(3600))).block();
        assertThat(r.kind()).isEqualTo(RunKind.HISTORICAL);
        assertThat(r.inserted()).isEqualTo(1);
        assertThat(store.checkpoint("sales")).isEmpty();
    }

    @Test
    @DisplayName("the poll loop runs at the configured frequency, the next delay counted after each run")
    void pollLoopInVirtualTime() {
        VirtualTimeScheduler vts = VirtualTimeScheduler.create();
        tributary = Tributary.builder().sink(store).checkpoints(store).importLog(store)
                .dialects(new Dialects(List.of(source))).scheduler(vts).build();
        List<ImportEvent> events = new CopyOnWriteArrayList<>();
        tributary.events().subscribe(events::add);
        SourcePipeline p = tributary.add(SourceDefinition.builder("sales", "scripted:sales", STATEMENT)
                .updateFrequency(Duration.ofMinutes(5)).build());
        p.startPolling(Duration.ZERO);
        vts.advanceTimeBy(Duration.ZERO);
        await(() -> store.runs().size() == 1);
        vts.advanceTimeBy(Duration.ofMinutes(4));
        assertThat(store.runs()).hasSize(1);
        vts.advanceTimeBy(Duration.ofMinutes(1));
        await(() -> store.runs().size() == 2);
        vts.advanceTimeBy(Duration.ofMinutes(10));
        await(() -> store.runs().size() == 4);
        assertThat(events).filteredOn(e -> e instanceof ImportEvent.RunFinished).hasSize(4);
        p.stop();
    }

    /** The run itself completes on other threads (the store's fromCallable); wait for it without sleeping blindly. */
    private static void await(java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 5 s");
            }
            Thread.onSpinWait();
        }
    }
}
