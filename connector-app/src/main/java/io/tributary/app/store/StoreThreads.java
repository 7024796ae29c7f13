package io.tributary.app.store;

import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Threads for blocking store calls that a cancelled run never interrupts. Reactor interrupts the tasks of its elastic
 * schedulers and of any {@code ExecutorService} it is given when they are cancelled, and an interrupt during file
 * I/O closes the embedded H2 store's file until a restart. These schedulers keep no timers: time-based work goes on
 * Reactor's parallel scheduler.
 */
public final class StoreThreads {

    private StoreThreads() {
    }

    /** A fixed pool of daemon threads that end after a minute idle, with a bounded queue. */
    public static ThreadPoolExecutor pool(String name, int threads, int queue) {
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(queue), r -> {
                    Thread t = new Thread(r, name + "-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    /** A scheduler on {@code pool} that never interrupts a task it cancels: the pool is given as a plain executor. */
    public static Scheduler scheduler(ThreadPoolExecutor pool) {
        Executor plain = pool::execute;
        return Schedulers.fromExecutor(plain);
    }
}
