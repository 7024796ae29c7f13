package io.tributary.app.plecto;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

class RequestBudgetTest {

    private static final Duration HOUR_AND_MARGIN = Duration.ofHours(1).plus(RequestBudget.MARGIN);

    @Test
    @DisplayName("the first 3 of a 3-per-hour budget go at once; the 4th waits for the hour (and the margin) after the 1st")
    void waitsForTheOldestSlotToLeaveThePeriod() {
        VirtualTimeScheduler time = VirtualTimeScheduler.create();
        RequestBudget budget = new RequestBudget("a", 3, Duration.ofHours(1), time);

        StepVerifier.withVirtualTime(() -> Flux.range(0, 4).concatMap(i -> budget.acquire("s")), () -> time, Long.MAX_VALUE)
                .expectNext(Duration.ZERO, Duration.ZERO, Duration.ZERO)
                .expectNoEvent(HOUR_AND_MARGIN.minusMillis(1))
                .thenAwait(Duration.ofMillis(1))
                .expectNext(HOUR_AND_MARGIN)
                .verifyComplete();
    }

    @Test
    @DisplayName("requests that wait together go out one period apart in budget-sized groups, never more than the limit in any period")
    void neverMoreThanTheLimitInAnyPeriod() {
        VirtualTimeScheduler time = VirtualTimeScheduler.create();
        List<PlectoWait> told = new java.util.concurrent.CopyOnWriteArrayList<>();
        RequestBudget budget = new RequestBudget("a", 2, Duration.ofSeconds(10), time, told::add);
        List<Long> sent = new java.util.concurrent.CopyOnWriteArrayList<>();

        Flux.range(0, 7).flatMap(i -> budget.acquire("s").doOnNext(w -> sent.add(time.now(java.util.concurrent.TimeUnit.MILLISECONDS))))
                .subscribe();
        assertThat(budget.snapshot().waiting()).isEqualTo(5);
        time.advanceTimeBy(Duration.ofMinutes(1));

        long period = Duration.ofSeconds(10).plus(RequestBudget.MARGIN).toMillis();
        assertThat(sent).containsExactly(0L, 0L, period, period, 2 * period, 2 * period, 3 * period);
        RequestBudget.Snapshot s = budget.snapshot();
        assertThat(s.waiting()).isZero();
        assertThat(s.waits()).isEqualTo(5);
        assertThat(s.waited()).isEqualTo(Duration.ofMillis(2 * period + 4 * period + 3 * period));
        // one event for the source's five waits within the minute
        assertThat(told).singleElement().satisfies(w -> {
            assertThat(w.sourceId()).isEqualTo("s");
            assertThat(w.reason()).isEqualTo("budget");
            assertThat(w.delay()).isEqualTo(Duration.ofMillis(period));
        });
    }

    @Test
    @DisplayName("a 429's Retry-After holds every request of the account until it has passed")
    void retryAfterHoldsTheAccount() {
        VirtualTimeScheduler time = VirtualTimeScheduler.create();
        List<PlectoWait> told = new java.util.concurrent.CopyOnWriteArrayList<>();
        RequestBudget budget = new RequestBudget("a", 100, Duration.ofHours(1), time, told::add);
        budget.holdFor(Duration.ofSeconds(30));

        StepVerifier.withVirtualTime(() -> budget.acquire("s"), () -> time, Long.MAX_VALUE)
                .expectSubscription()
                .then(() -> assertThat(budget.snapshot().heldAfter429Until()).isNotNull())
                .expectNoEvent(Duration.ofSeconds(30).minusMillis(1))
                .thenAwait(Duration.ofMillis(1))
                .expectNext(Duration.ofSeconds(30))
                .verifyComplete();
        assertThat(told).singleElement().satisfies(w -> assertThat(w.reason()).isEqualTo("retry-after"));
    }
}
