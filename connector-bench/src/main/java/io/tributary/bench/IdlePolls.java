package io.tributary.bench;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import io.tributary.core.SourcePipeline;
import io.tributary.core.event.ImportEvent;
import io.tributary.core.sink.RunRecord;
import reactor.core.Disposable;

/**
 * CPU per idle poll: automatic runs of a source whose checkpoint is now, so each finds no row. The polls are the poll
 * loop's own (a copy of the source polling every {@link #EVERY}), so each does what a real one does: load the
 * checkpoint, ask the source's clock, run the statement, move the checkpoint, record the run in the import log (an
 * idle automatic run extends its source's summary row). Measured over many polls after a warm-up: this JVM's CPU
 * time, and the CPU time of the PostgreSQL backends serving this process's connections (read from /proc), the store's
 * and the source's apart.
 * <p>
 * The JVM's CPU is the whole process's, and also split by thread (/proc/self/task): the JIT compiler's threads, the
 * garbage collector's (and the VM thread's), and the rest, which serve the polls. The bench measures the idle poll
 * after its imports, in the same JVM: what the compiler and the collector do then is mostly the aftermath of the
 * imports (the idle path compiled for the first time, a heap grown by 1,000,000-row imports collected), not a cost of
 * the poll, and it is printed apart so that it cannot pass for one. The warm-up is {@link #WARM_UP} polls.
 */
final class IdlePolls {

    /** The idle source's poll interval: short, so that many polls take little time. */
    static final Duration EVERY = Duration.ofMillis(10);

    private static final String SOURCE_ID = "idle";

    /**
     * Polls before the measured ones: enough for the JIT to compile most of the idle path (50 were not); the system
     * property {@code tributary.bench.idleWarmUp} changes it, to show what a short warm-up measures.
     */
    static final int WARM_UP = Integer.getInteger("tributary.bench.idleWarmUp", 500);

    /**
     * What one idle poll costs, on average.
     *
     * @param wallMs        the runs' own mean duration (not counting the interval between them)
     * @param jvmCpuMs      the whole process's
     * @param compilerCpuMs of which the JIT compiler's threads
     * @param gcCpuMs       of which the garbage collector's threads and the VM thread
     * @param postgresCpuMs the store's and the source's backends together
     */
    record Result(int polls, double wallMs, double jvmCpuMs, double compilerCpuMs, double gcCpuMs, double postgresCpuMs,
            double storeCpuMs, double sourceCpuMs) {

        /** The JVM's CPU less the compiler's and the collector's: the threads that serve the polls. */
        double pollThreadsCpuMs() {
            return jvmCpuMs - compilerCpuMs - gcCpuMs;
        }
    }

    private IdlePolls() {
    }

    static Result measure(Pg pg, BenchOptions options, TributaryCase tributary, int polls) throws Exception {
        pg.execute(options.storeDatabase(), "INSERT INTO " + tributary.schema() + ".checkpoints (source_id, checkpoint, "
                + "updated_at) VALUES ('" + SOURCE_ID + "', now(), now()) ON CONFLICT (source_id) DO UPDATE SET "
                + "checkpoint = excluded.checkpoint, updated_at = excluded.updated_at");
        int warmUp = Math.min(WARM_UP, polls);
        Semaphore done = new Semaphore(0);
        AtomicLong durationNanos = new AtomicLong();
        AtomicReference<RunRecord> unexpected = new AtomicReference<>();
        Disposable listening = tributary.events().subscribe(e -> {
            RunRecord r = e instanceof ImportEvent.RunFinished f ? f.record()
                    : e instanceof ImportEvent.RunFailed f ? f.record() : null;
            if (r == null || !r.sourceId().equals(SOURCE_ID)) {
                return;
            }
            if (!r.succeeded() || r.read() != 0) {
                unexpected.compareAndSet(null, r);
            }
            durationNanos.addAndGet(r.duration().toNanos());
            done.release();
        });
        SourcePipeline pipeline = tributary.pollingCopy(SOURCE_ID, EVERY);
        try {
            pipeline.startPolling(Duration.ZERO);
            await(done, warmUp, unexpected);
            List<Long> storeBackends = backends(pg, options.storeDatabase());
            List<Long> sourceBackends = backends(pg, options.sourceDatabase());
            double[] storeBefore = cpu(storeBackends);
            double[] sourceBefore = cpu(sourceBackends);
            double[] threadsBefore = Machine.threadCpuSeconds();
            double jvmBefore = Machine.processCpuSeconds();
            long durationBefore = durationNanos.get();
            await(done, polls, unexpected);
            double jvm = (Machine.processCpuSeconds() - jvmBefore) * 1000;
            double[] threads = Machine.threadCpuSeconds();
            double store = spent(storeBefore, cpu(storeBackends));
            double source = spent(sourceBefore, cpu(sourceBackends));
            double wall = (durationNanos.get() - durationBefore) / 1e6;
            return new Result(polls, wall / polls, jvm / polls, (threads[0] - threadsBefore[0]) * 1000 / polls,
                    (threads[1] - threadsBefore[1]) * 1000 / polls, (store + source) / polls, store / polls, source / polls);
        } finally {
            pipeline.stop();
            listening.dispose();
        }
    }

    private static void await(Semaphore done, int polls, AtomicReference<RunRecord> unexpected) throws InterruptedException {
        if (!done.tryAcquire(polls, 10, TimeUnit.MINUTES)) {
            throw new IllegalStateException("the idle source did not poll " + polls + " times in 10 minutes");
        }
        if (unexpected.get() != null) {
            throw new IllegalStateException("an idle poll should read nothing and succeed: " + unexpected.get());
        }
    }

    private static double spent(double[] before, double[] after) {
        double ms = 0;
        for (int i = 0; i < before.length; i++) {
            if (!Double.isNaN(before[i]) && !Double.isNaN(after[i])) {
                ms += (after[i] - before[i]) * 1000;
            }
        }
        return ms;
    }

    /** Backends connected to {@code database}, but this very query's. */
    private static List<Long> backends(Pg pg, String database) throws SQLException {
        List<Long> pids = new ArrayList<>();
        try (Connection c = pg.connect("postgres"); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT pid FROM pg_stat_activity WHERE datname = '" + database
                        + "' AND pid <> pg_backend_pid()")) {
            while (rs.next()) {
                pids.add(rs.getLong(1));
            }
        }
        return pids;
    }

    private static double[] cpu(List<Long> pids) {
        double[] seconds = new double[pids.size()];
        for (int i = 0; i < seconds.length; i++) {
            seconds[i] = Machine.cpuSecondsOf(pids.get(i));
        }
        return seconds;
    }
}
