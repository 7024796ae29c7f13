package io.tributary.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.tributary.core.event.ImportEvent;
import io.tributary.core.mapping.Columns;
import io.tributary.core.sink.RunRecord;
import io.tributary.core.spi.Dialects;
import io.tributary.testkit.InMemoryStore;
import io.tributary.testkit.ScriptedSource;
import reactor.core.publisher.Flux;
import reactor.test.scheduler.VirtualTimeScheduler;

/** The poll loop in virtual time: the adaptive interval, retries after failures, pauses, catching up after a cap. */
class PollLoopTest {

    private static final Columns COLUMNS = Columns.of("reference", "member_id", "member_name", "date");
    private static final String STATEMENT = "SELECT * FROM t WHERE d >= {{ last_update_time }} AND d < {{ upper_date_limit }} ORDER BY d";

    private final VirtualTimeScheduler vts = VirtualTimeScheduler.create();
    private final Clock clock = new Clock() {
        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(vts.now(TimeUnit.MILLISECONDS));
        }
    };
    private final ScriptedSource source = new ScriptedSource();
    private final InMemoryStore store = new InMemoryStore();
    private final List<ImportEvent> events = new CopyOnWriteArrayList<>();
    private Tributary tributary;

    private SourcePipeline start(SourceDefinition.Builder definition) {
        return start(definition, store);
    }

    private SourcePipeline start(SourceDefinition.Builder definition, io.tributary.core.sink.RegistrationSink sink) {
        tributary = Tributary.builder().sink(sink).checkpoints(store).importLog(store)
                .dialects(new Dialects(List.of(source))).scheduler(vts).clock(clock).build();
        tributary.events().subscribe(events::add);
        SourcePipeline p = tributary.add(definition.build());
        p.startPolling(Duration.ZERO);
        vts.advanceTime();
        return p;
    }

    private static SourceDefinition.Builder every(Duration frequency) {
        return SourceDefinition.builder("s", "scripted:s", STATEMENT).updateFrequency(frequency);
    }

    @AfterEach
    void close() {
        tributary.close();
    }

    /** Runs complete on this thread while virtual time advances; a few spins cover the scheduler's hand-offs. */
    private static void await(BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 5 s");
            }
            Thread.onSpinWait();
        }
    }

    private List<Instant> runStarts() {
        return store.runs().stream().map(RunRecord::startedAt).toList();
    }

    @Test
    @DisplayName("the query timeout is a wait for the next row: a slow but steady source succeeds, a silent one fails the run with the reason")
    void queryTimeoutIsAWaitForTheNextRow() {
        AtomicInteger run = new AtomicInteger();
        source.rows(binds -> switch (run.incrementAndGet()) {
            // a row every 4 minutes: slower than the timeout in total, never silent for 5 minutes
            case 1 -> Flux.range(1, 3).concatMap(i -> Flux.just(ScriptedSource.row(COLUMNS, "r" + i, "m", "n", Instant.EPOCH))
                    .delaySubscription(Duration.ofMinutes(4), vts));
            // one row, then nothing
            case 2 -> Flux.concat(Flux.just(ScriptedSource.row(COLUMNS, "s", "m", "n", Instant.EPOCH)), Flux.never());
            default -> Flux.empty();
        });
        start(every(Duration.ofHours(1)).queryTimeout(Duration.ofMinutes(5)));

        vts.advanceTimeBy(Duration.ofMinutes(12));
        await(() -> store.runs().size() == 1);
        assertThat(store.lastRun().succeeded()).isTrue();
        assertThat(store.lastRun().read()).isEqualTo(3);
        assertThat(store.lastRun().duration()).isEqualTo(Duration.ofMinutes(12));

        tributary.pipeline("s").orElseThrow().runNow().subscribe();
        vts.advanceTimeBy(Duration.ofMinutes(4).plusSeconds(59));
        assertThat(store.runs()).hasSize(1);
        vts.advanceTimeBy(Duration.ofSeconds(38));
        await(() -> store.runs().size() == 2);
        RunRecord silent = store.lastRun();
        assertThat(silent.succeeded()).isFalse();
        assertThat(silent.error()).isEqualTo("the source sent no row for PT5M (the query timeout); the run was cancelled");
        assertThat(silent.duration()).isBetween(Duration.ofMinutes(5), Duration.ofMinutes(5).plusSeconds(38));
    }

    @Test
    @DisplayName("Regression (issue 19): a run that waits 2 minutes on Tributary's own store does not slow the source down")
    void waitsOnTheStoreDoNotSlowTheSource() {
        AtomicInteger runs = new AtomicInteger();
        source.rows(binds -> runs.getAndIncrement() == 0
                ? Flux.range(1, 3).map(i -> ScriptedSource.row(COLUMNS, "r" + i, "m", "n", Instant.EPOCH))
                : Flux.empty());
        // the store's table is locked for two minutes during the first write
        io.tributary.core.sink.RegistrationSink locked = batch -> reactor.core.publisher.Mono.delay(Duration.ofMinutes(2), vts)
                .then(store.write(batch));
        SourcePipeline p = start(every(Duration.ofMinutes(1)), locked);

        vts.advanceTimeBy(Duration.ofMinutes(2));
        await(() -> store.runs().size() == 1);
        assertThat(store.lastRun().duration()).isEqualTo(Duration.ofMinutes(2));
        assertThat(store.lastRun().inserted()).isEqualTo(3);
        assertThat(p.status().effectiveInterval()).isEqualTo(Duration.ofMinutes(1));
        assertThat(events).noneMatch(e -> e instanceof ImportEvent.IntervalChanged);
    }

    @Test
    @DisplayName("a 45 s run slows a 1-minute source to 5 minutes (an interval-changed event says why); three fast runs bring it back")
    void slowRunsSlowThePollDown() {
        AtomicInteger slowRuns = new AtomicInteger(1);
        source.rows(binds -> slowRuns.getAndDecrement() > 0
                ? Flux.just(ScriptedSource.row(COLUMNS, "r", "m", "n", Instant.EPOCH)).delaySubscription(Duration.ofSeconds(45), vts)
                : Flux.empty());
        SourcePipeline p = start(every(Duration.ofMinutes(1)));

        vts.advanceTimeBy(Duration.ofSeconds(45));
        await(() -> store.runs().size() == 1);
        assertThat(store.lastRun().duration()).isEqualTo(Duration.ofSeconds(45));
        assertThat(p.status().effectiveInterval()).isEqualTo(Duration.ofMinutes(5));
        assertThat(events).filteredOn(e -> e instanceof ImportEvent.IntervalChanged).singleElement()
                .satisfies(e -> assertThat(((ImportEvent.IntervalChanged) e).reason())
                        .isEqualTo("a run took 45 s (at least 30 s): polling every 5 min instead of every 1 min"));

        vts.advanceTimeBy(Duration.ofMinutes(4));
        assertThat(store.runs()).hasSize(1);
        vts.advanceTimeBy(Duration.ofMinutes(1));
        await(() -> store.runs().size() == 2);
        vts.advanceTimeBy(Duration.ofMinutes(10));
        await(() -> store.runs().size() == 4);
        assertThat(p.status().effectiveInterval()).isEqualTo(Duration.ofMinutes(1));
        vts.advanceTimeBy(Duration.ofMinutes(1));
        await(() -> store.runs().size() == 5);
    }

    @ParameterizedTest(name = "a run of {0} ms at a 1-minute frequency: the next run {1} s later")
    @CsvSource({"29900, 60", "30000, 300", "119900, 300", "120000, 900", "179900, 900", "180000, 3600",
            "359900, 3600", "360000, 3600"})
    @DisplayName("every boundary of the slow-down steps, through the real poll loop in virtual time")
    void boundariesInVirtualTime(long runMillis, long nextAfterSeconds) {
        AtomicInteger runsLeftSlow = new AtomicInteger(1);
        source.rows(binds -> runsLeftSlow.getAndDecrement() > 0
                ? Flux.<io.tributary.core.mapping.SourceRow>empty().delaySubscription(Duration.ofMillis(runMillis), vts)
                : Flux.empty());
        // the source sends nothing while it "works": the query timeout must outlast the longest case
        SourcePipeline p = start(every(Duration.ofMinutes(1)).queryTimeout(Duration.ofMinutes(10)));
        vts.advanceTimeBy(Duration.ofMillis(runMillis));
        await(() -> store.runs().size() == 1);
        assertThat(store.lastRun().duration()).isEqualTo(Duration.ofMillis(runMillis));
        assertThat(p.status().effectiveInterval()).isEqualTo(Duration.ofSeconds(nextAfterSeconds));

        vts.advanceTimeBy(Duration.ofSeconds(nextAfterSeconds).minusMillis(1));
        assertThat(store.runs()).as("no run before the effective interval").hasSize(1);
        vts.advanceTimeBy(Duration.ofMillis(1));
        await(() -> store.runs().size() == 2);
        assertThat(Duration.between(store.runs().get(0).startedAt().plus(store.runs().get(0).duration()),
                store.runs().get(1).startedAt())).isEqualTo(Duration.ofSeconds(nextAfterSeconds));
    }

    @Test
    @DisplayName("a transient failure is retried with growing, jittered delays capped at the interval; the log shows each attempt")
    void transientFailuresAreRetriedWithBackoff() {
        AtomicInteger failures = new AtomicInteger(6);
        source.rows(binds -> failures.getAndDecrement() > 0
                ? Flux.error(new ConnectorException.Transient("connection refused", null))
                : Flux.empty());
        SourcePipeline p = start(every(Duration.ofSeconds(10)));
        for (int i = 0; i < 120 && store.runs().size() < 7; i++) {
            vts.advanceTimeBy(Duration.ofMillis(500));
        }
        await(() -> store.runs().size() == 7);
        assertThat(store.runs().subList(0, 6)).allSatisfy(r -> assertThat(r.error()).isEqualTo("connection refused"));
        assertThat(store.lastRun().succeeded()).isTrue();
        List<Instant> starts = runStarts();
        for (int i = 1; i < starts.size(); i++) {
            Duration gap = Duration.between(starts.get(i - 1), starts.get(i));
            Duration nominal = Duration.ofSeconds(1L << (i - 1));
            Duration cap = Duration.ofSeconds(10);
            // jitter of +-50% around the doubling delay; at the cap it jitters below the cap only
            assertThat(gap).as("retry %d", i).isBetween(min(nominal, cap).dividedBy(2), min(nominal.multipliedBy(3).dividedBy(2), cap));
        }
        assertThat(p.status().state()).isEqualTo("idle");
    }

    @Test
    @DisplayName("a permanent failure pauses automatic runs until an operator's run succeeds")
    void permanentFailuresPause() {
        AtomicInteger failures = new AtomicInteger(1);
        source.rows(binds -> failures.getAndDecrement() > 0
                ? Flux.error(new ConnectorException.Permanent("password authentication failed for user \"reader\""))
                : Flux.empty());
        SourcePipeline p = start(every(Duration.ofMinutes(1)));
        await(() -> store.runs().size() == 1);
        vts.advanceTimeBy(Duration.ofMinutes(30));
        assertThat(store.runs()).hasSize(1);
        assertThat(p.status().state()).isEqualTo("paused");
        assertThat(p.pausedBecause()).contains("password authentication failed for user \"reader\"");

        RunRecord manual = p.runNow().block(Duration.ofSeconds(5));
        assertThat(manual.succeeded()).isTrue();
        assertThat(p.pausedBecause()).isEmpty();
        vts.advanceTimeBy(Duration.ofMinutes(1));
        await(() -> store.runs().size() == 3);
    }

    @Test
    @DisplayName("a run stopped at the cap is followed at once by the next, until the backlog is read")
    void cappedRunsCatchUp() {
        Instant t = Instant.parse("2024-01-01T00:00:00Z");
        source.now(t.plusSeconds(1000));
        // 25 rows one second apart; each run reads from its lower bound
        source.rows(binds -> Flux.range(0, 25)
                .map(i -> ScriptedSource.row(COLUMNS, "r" + i, "m", "n", t.plusSeconds(i)))
                .filter(row -> !((Instant) row.value(3)).isBefore(((java.time.OffsetDateTime) binds.get(0)).toInstant())));
        start(every(Duration.ofMinutes(1)).maxRowsPerMinute(10).lookback(Duration.ZERO).start(t));
        await(() -> store.runs().size() == 3);
        assertThat(store.runs()).extracting(RunRecord::inserted).containsExactly(10L, 10L, 5L);
        // regression: the row a capped run stopped at was counted in its read, and again by the next run
        assertThat(store.runs()).extracting(RunRecord::read).containsExactly(10L, 10L, 5L);
        assertThat(store.runs()).extracting(RunRecord::startedAt).as("no wait between catch-up runs").containsOnly(Instant.EPOCH);
        assertThat(store.checkpoint("s")).contains(t.plusSeconds(1000));
        vts.advanceTimeBy(Duration.ofSeconds(59));
        assertThat(store.runs()).hasSize(3);
    }

    @Test
    @DisplayName("Regression (issue 12): without ORDER BY a run stopped at the cap narrows its window and the source "
            + "catches up at once, instead of re-reading the same rows forever")
    void aCappedStatementWithoutOrderByNarrowsAndCatchesUp() {
        Instant t = Instant.parse("2024-01-01T00:00:00Z");
        source.now(t.plusSeconds(1000));
        // 25 rows one second apart, the newest first, filtered by both bounds ('>' and '<', as the product documents)
        source.rows(binds -> Flux.range(0, 25).map(i -> 24 - i)
                .map(i -> ScriptedSource.row(COLUMNS, "r" + i, "m", "n", t.plusSeconds(i)))
                .filter(row -> ((Instant) row.value(3)).isAfter(((java.time.OffsetDateTime) binds.get(0)).toInstant())
                        && ((Instant) row.value(3)).isBefore(((java.time.OffsetDateTime) binds.get(1)).toInstant())));
        start(SourceDefinition.builder("s", "scripted:s", "SELECT * FROM t WHERE d > {{ last_update_time }} AND d < "
                + "{{ upper_date_limit }}").updateFrequency(Duration.ofMinutes(1)).maxRowsPerMinute(10)
                .lookback(Duration.ZERO).start(t.minusSeconds(1)));
        await(() -> store.checkpoint("s").filter(c -> c.equals(t.plusSeconds(1000))).isPresent());
        RunRecord first = store.runs().get(0);
        assertThat(first.succeeded()).isTrue();
        assertThat(first.complete()).isFalse();
        assertThat(first.note()).contains("no ORDER BY").contains("reads the earlier part");
        assertThat(store.registrations("s")).hasSize(25);
        assertThat(store.runs()).extracting(RunRecord::startedAt).as("no wait between catch-up runs").containsOnly(Instant.EPOCH);
        assertThat(store.lastRun().complete()).isTrue();
        assertThat(tributary.pipeline("s").orElseThrow().status().state()).isEqualTo("idle");
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) < 0 ? a : b;
    }
}
