package io.tributary.core.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.tributary.core.ConnectorException;
import io.tributary.core.spi.Dialect;
import io.tributary.core.template.BindMarkers;
import io.tributary.core.template.RenderedStatement;
import io.tributary.core.template.SqlSyntax;
import io.tributary.core.template.Variable;
import reactor.core.Disposable;
import reactor.core.publisher.Hooks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/** The bridge's own behaviour, against a scripted driver that records every call and its thread. */
class JdbcSourceClientTest {

    static final Dialect DIALECT = new Dialect() {
        @Override
        public String name() {
            return "fake";
        }

        @Override
        public SqlSyntax syntax() {
            return SqlSyntax.STANDARD;
        }

        @Override
        public BindMarkers bindMarkers() {
            return BindMarkers.QUESTION_MARK;
        }
    };

    static final RenderedStatement QUERY = new RenderedStatement("SELECT reference FROM t", List.of());

    private Scheduler scheduler;
    private final List<Throwable> dropped = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() {
        scheduler = Schedulers.newBoundedElastic(2, 100, "jdbc-test");
        Hooks.onErrorDropped(dropped::add);
    }

    @AfterEach
    void tearDown() {
        Hooks.resetOnErrorDropped();
        scheduler.dispose();
    }

    private JdbcSourceClient client(FakeJdbc jdbc) {
        return JdbcSourceClient.builder(jdbc, DIALECT, "SELECT now()").scheduler(scheduler).build();
    }

    @Test
    void rowsAreReadFromTheResultSetOnlyAsTheSubscriberRequestsThem() {
        FakeJdbc jdbc = new FakeJdbc(1_000, false);

        StepVerifier.create(client(jdbc).stream(QUERY, List.of(), 50), 0)
                .thenRequest(3)
                .expectNextCount(3)
                .then(() -> assertThat(jdbc.rowsRead).hasValue(3))
                .thenRequest(2)
                .expectNextCount(2)
                .then(() -> assertThat(jdbc.rowsRead).hasValue(5))
                .thenCancel()
                .verify(Duration.ofSeconds(10));

        assertThat(await(jdbc)).isTrue();
        assertThat(jdbc.callNames()).containsSubsequence("getConnection", "setAutoCommit(false)", "setReadOnly(true)",
                "prepareStatement", "setFetchSize(50)", "setQueryTimeout(1800)", "executeQuery",
                "resultSet.close", "statement.close", "rollback", "connection.close");
        // between two fetches there is nothing to stop: no cancel round trip that could hit a later statement
        assertThat(jdbc.called("cancel")).isFalse();
    }

    @Test
    void aCancelDuringExecutionCancelsTheStatementAndNeverInterruptsTheWorker() throws InterruptedException {
        FakeJdbc jdbc = new FakeJdbc(10, true);
        Disposable subscription = client(jdbc).stream(QUERY, List.of(), 10).subscribe();
        assertThat(jdbc.executing.await(10, TimeUnit.SECONDS)).isTrue();

        subscription.dispose();

        assertThat(await(jdbc)).isTrue();
        assertThat(jdbc.callNames()).containsSubsequence("executeQuery", "cancel", "executeQuery returns after cancel",
                "statement.close", "rollback", "connection.close");
        FakeJdbc.Call cancel = call(jdbc, "cancel");
        FakeJdbc.Call execute = call(jdbc, "executeQuery");
        assertThat(cancel.thread()).as("Statement.cancel comes from the cancelling thread").isNotEqualTo(execute.thread());
        assertThat(jdbc.calls).filteredOn(c -> !c.what().equals("cancel"))
                .allSatisfy(c -> {
                    assertThat(c.thread()).startsWith("jdbc-test");
                    assertThat(c.interrupted()).as(c.what() + " ran on an interrupted thread").isFalse();
                });
        assertThat(dropped).as("the cancelled statement's error is not reported as dropped").isEmpty();
    }

    @Test
    void everyDriverCallRunsOnTheSchedulerAndCompletionWaitsForTheConnectionToClose() {
        FakeJdbc jdbc = new FakeJdbc(3, false);

        StepVerifier.create(client(jdbc).stream(QUERY, List.of(), 10))
                .expectNextCount(3)
                .verifyComplete();

        assertThat(jdbc.called("connection.close")).as("closed before completion was signalled").isTrue();
        assertThat(jdbc.calls).allSatisfy(c -> assertThat(c.thread()).startsWith("jdbc-test"));
    }

    @Test
    void aFailureMidStreamClosesEverythingAndIsClassified() {
        FakeJdbc jdbc = new FakeJdbc(10, false).failOnThirdRow();

        StepVerifier.create(client(jdbc).stream(QUERY, List.of(), 10))
                .expectNextCount(2)
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(ConnectorException.Permanent.class)
                        .hasMessageContaining("disk on fire").hasMessageContaining("SQL state 58030"))
                .verify(Duration.ofSeconds(10));

        assertThat(jdbc.callNames()).containsSubsequence("resultSet.close", "statement.close", "rollback",
                "connection.close");
    }

    @Test
    void theQueryTimeoutIsWholeSecondsRoundedUpAndZeroMeansNone() {
        FakeJdbc subSecond = new FakeJdbc(1, false);
        JdbcSourceClient.builder(subSecond, DIALECT, "x").scheduler(scheduler).queryTimeout(Duration.ofMillis(200))
                .build().stream(QUERY, List.of(), 1).blockLast(Duration.ofSeconds(10));
        assertThat(subSecond.callNames()).contains("setQueryTimeout(1)");

        FakeJdbc none = new FakeJdbc(1, false);
        JdbcSourceClient.builder(none, DIALECT, "x").scheduler(scheduler).queryTimeout(Duration.ZERO)
                .build().stream(QUERY, List.of(), 1).blockLast(Duration.ofSeconds(10));
        assertThat(none.callNames()).noneMatch(c -> c.startsWith("setQueryTimeout"));
    }

    @Test
    void argumentsAreCheckedBeforeAnythingConnects() {
        FakeJdbc jdbc = new FakeJdbc(1, false);
        RenderedStatement twoMarkers = new RenderedStatement("SELECT ? , ?",
                List.of(Variable.LAST_UPDATE_TIME, Variable.UPPER_DATE_LIMIT));

        assertThatThrownBy(() -> client(jdbc).stream(twoMarkers, List.of(1), 10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 bind markers but 1 values");
        assertThatThrownBy(() -> client(jdbc).stream(QUERY, List.of(), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("fetchSize >= 1 required but it was 0");
        assertThatThrownBy(() -> JdbcSourceClient.builder(jdbc, DIALECT, "x").queryTimeout(Duration.ofSeconds(-1)))
                .hasMessage("queryTimeout >= 0 required but it was PT-1S");
        assertThat(jdbc.calls).isEmpty();
    }

    @Test
    void closeClosesAClosableDataSource() {
        class ClosableFake extends FakeJdbc implements AutoCloseable {
            boolean closed;

            ClosableFake() {
                super(0, false);
            }

            @Override
            public void close() {
                closed = true;
            }
        }
        ClosableFake pool = new ClosableFake();
        JdbcSourceClient.builder(pool, DIALECT, "x").scheduler(scheduler).build().close().block(Duration.ofSeconds(10));
        assertThat(pool.closed).isTrue();
    }

    private static FakeJdbc.Call call(FakeJdbc jdbc, String what) {
        return jdbc.calls.stream().filter(c -> c.what().equals(what)).findFirst().orElseThrow();
    }

    private static boolean await(FakeJdbc jdbc) {
        try {
            return jdbc.connectionClosed.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
