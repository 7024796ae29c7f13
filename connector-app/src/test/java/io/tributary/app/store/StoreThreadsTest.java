package io.tributary.app.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import reactor.core.Disposable;
import reactor.core.publisher.Mono;

class StoreThreadsTest {

    @Test
    @DisplayName("Regression (issue 18): cancelling a run never interrupts a store call in progress (an interrupt closes "
            + "the embedded H2 store's file until a restart)")
    void aCancelledStoreCallIsNotInterrupted() throws InterruptedException {
        ThreadPoolExecutor pool = StoreThreads.pool("test-store", 2, 10);
        try {
            CountDownLatch started = new CountDownLatch(1);
            CountDownLatch finished = new CountDownLatch(1);
            AtomicBoolean interrupted = new AtomicBoolean();
            Disposable call = Mono.fromRunnable(() -> {
                started.countDown();
                long until = System.nanoTime() + Duration.ofMillis(300).toNanos();
                while (System.nanoTime() < until) {
                    if (Thread.currentThread().isInterrupted()) {
                        interrupted.set(true);
                    }
                }
                finished.countDown();
            }).subscribeOn(StoreThreads.scheduler(pool)).subscribe();
            assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();

            call.dispose();

            assertThat(finished.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(interrupted).as("the store thread was interrupted").isFalse();
        } finally {
            pool.shutdown();
        }
    }
}
