package io.tributary.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

class IdleTimeoutTest {

    @Test
    @DisplayName("Regression (issue 18): a source that sends nothing fails with a timeout and is cancelled, so that "
            + "its statement and connection are let go (an erring watchdog used to leave it running)")
    void aSilentSourceFailsAndIsCancelled() {
        AtomicBoolean cancelled = new AtomicBoolean();
        Flux<Integer> silent = Flux.<Integer>never().doOnCancel(() -> cancelled.set(true));

        assertThatThrownBy(() -> IdleTimeout.of(silent, Duration.ofMillis(200), Schedulers.parallel())
                .blockLast(Duration.ofSeconds(10))).hasCauseInstanceOf(TimeoutException.class);
        assertThat(cancelled).as("the source was cancelled").isTrue();
    }

    @Test
    void aSourceThatKeepsSendingIsNotTimedOut() {
        Flux<Long> steady = Flux.interval(Duration.ofMillis(50)).take(20);
        assertThat(IdleTimeout.of(steady, Duration.ofMillis(200), Schedulers.parallel()).count().block(Duration.ofSeconds(10)))
                .isEqualTo(20);
    }
}
