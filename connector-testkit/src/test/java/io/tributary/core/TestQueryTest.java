package io.tributary.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import io.tributary.core.mapping.Columns;
import io.tributary.core.mapping.Registration;
import io.tributary.core.mapping.SourceRow;
import io.tributary.core.sink.RunKind;
import io.tributary.core.sink.RunRecord;
import io.tributary.core.sink.RunStatus;
import io.tributary.core.spi.Dialects;
import io.tributary.core.window.Window;
import io.tributary.testkit.InMemoryStore;
import io.tributary.testkit.ScriptedSource;
import reactor.core.publisher.Flux;

class TestQueryTest {

    private static final Columns COLUMNS = Columns.of("reference", "member_id", "member_name", "date", "amount");
    private static final String STATEMENT = "SELECT * FROM sales WHERE d >= {{ last_update_time }} AND d < {{ upper_date_limit }}";
    private static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");
    private static final Window WINDOW = new Window(T0, T0.plus(Duration.ofDays(1)));

    private final ScriptedSource source = new ScriptedSource();
    private final InMemoryStore store = new InMemoryStore();
    private Tributary tributary;

    private SourcePipeline pipeline() {
        tributary = Tributary.builder().sink(store).checkpoints(store).importLog(store)
                .dialects(new Dialects(List.of(source))).maxBatchLatency(Duration.ofMillis(50)).build();
        return tributary.add(SourceDefinition.builder("sales", "scripted:sales", STATEMENT).batchSize(10).build());
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
    @DisplayName("a test query counts every row, keeps 20 mapped rows and the rejections, and writes nothing but a TEST run")
    void countsSamplesAndWritesNothing() {
        SourcePipeline p = pipeline();
        source.rows(binds -> Flux.range(1, 5_000).map(i -> sale(i == 7 ? null : (Object) i, i == 9 ? null : T0, i))
                .concatWith(Flux.just(sale(1, T0, 99))));

        TestQueryResult r = p.testQuery(WINDOW).block();

        assertThat(r.succeeded()).isTrue();
        assertThat(r.rows()).isEqualTo(5_001);
        assertThat(r.mapped()).isEqualTo(4_999);
        assertThat(r.rejected()).isEqualTo(2);
        assertThat(r.duplicates()).isEqualTo(1);
        assertThat(r.rejections()).extracting(x -> x.reason()).containsExactly("row 7: reference is NULL", "row 9: date is NULL");
        assertThat(r.columns()).containsExactly("reference", "member_id", "member_name", "date", "amount");
        assertThat(r.sample()).hasSize(20).extracting(Registration::reference).startsWith("1", "2", "3", "4", "5", "6", "8");
        assertThat(r.sample().get(0).fieldsJson()).isEqualTo("{\"amount\":1}");
        assertThat(source.calls().get(0).binds()).containsExactly(
                java.time.OffsetDateTime.ofInstant(WINDOW.lower(), java.time.ZoneOffset.UTC),
                java.time.OffsetDateTime.ofInstant(WINDOW.upper(), java.time.ZoneOffset.UTC));

        assertThat(store.registrations("sales")).isEmpty();
        assertThat(store.batches()).isEmpty();
        assertThat(store.checkpoint("sales")).isEmpty();
        RunRecord logged = store.lastRun();
        assertThat(logged.kind()).isEqualTo(RunKind.TEST);
        assertThat(logged.runId()).isEqualTo(r.runId());
        assertThat(logged.read()).isEqualTo(5_001);
        assertThat(logged.inserted()).isZero();
        assertThat(p.status().lastRun()).as("a test query is not the source's last run").isNull();
    }

    @Test
    @DisplayName("Regression (issue 17): a test query is the same run as an import, so a silent source ends at the query "
            + "timeout with the same reason instead of hanging")
    void aSilentSourceEndsAtTheQueryTimeout() {
        tributary = Tributary.builder().sink(store).checkpoints(store).importLog(store)
                .dialects(new Dialects(List.of(source))).maxBatchLatency(Duration.ofMillis(50)).build();
        SourcePipeline p = tributary.add(SourceDefinition.builder("sales", "scripted:sales", STATEMENT)
                .queryTimeout(Duration.ofMillis(300)).build());
        source.rows(binds -> Flux.never());

        TestQueryResult r = p.testQuery(WINDOW).block(Duration.ofSeconds(10));

        assertThat(r.succeeded()).isFalse();
        assertThat(r.error()).isEqualTo("the source sent no row for PT0.3S (the query timeout); the run was cancelled");
        assertThat(p.status().lastRun()).as("a test query is not the source's last run").isNull();
        assertThat(store.registrations("sales")).isEmpty();
    }

    @Test
    @DisplayName("a statement without the standard columns is an answer with the error and the columns it found")
    void missingColumnsAreAnAnswer() {
        SourcePipeline p = pipeline();
        source.rows(binds -> Flux.just(ScriptedSource.row(Columns.of("id", "member_id", "member_name", "sold_at"), 1, "m", "n", T0)));

        TestQueryResult r = p.testQuery(WINDOW).block();

        assertThat(r.succeeded()).isFalse();
        assertThat(r.error()).contains("no column reference, date");
        assertThat(r.columns()).containsExactly("id", "member_id", "member_name", "sold_at");
        assertThat(store.lastRun().status()).isEqualTo(RunStatus.FAILED);
        assertThat(store.lastRun().kind()).isEqualTo(RunKind.TEST);
    }

    @Test
    @DisplayName("a test query waits for a run in progress and never overlaps it")
    void testQueriesAreSerialisedWithRuns() {
        SourcePipeline p = pipeline();
        List<String> timeline = new CopyOnWriteArrayList<>();
        source.rows(binds -> Flux.range(1, 5).map(i -> sale(i, T0, i))
                .delayElements(Duration.ofMillis(20))
                .doOnSubscribe(s -> timeline.add("start"))
                .doOnComplete(() -> timeline.add("end")));
        Flux.merge(p.runNow(), p.testQuery(WINDOW), p.runNow()).collectList().block();
        assertThat(timeline).containsExactly("start", "end", "start", "end", "start", "end");
        assertThat(store.runs()).extracting(RunRecord::kind).containsExactlyInAnyOrder(RunKind.MANUAL, RunKind.TEST, RunKind.MANUAL);
    }
}
