package io.tributary.testkit;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import io.tributary.core.SourceDefinition;
import io.tributary.core.Tributary;
import io.tributary.core.sink.RegistrationSink;
import io.tributary.core.sink.RunRecord;
import io.tributary.core.sink.WriteResult;
import reactor.core.publisher.Mono;

/**
 * Imports one source's whole result through {@link Tributary} into a sink that only counts, for a forked JVM with a
 * small heap: if anything held the result in memory, the run would die of {@link OutOfMemoryError}.
 * <p>
 * Arguments: {@code url statement expectedRows fetchSize batchSize}. Prints {@code imported N peak-heap B} and
 * exits 0 when the run succeeded with exactly {@code expectedRows} rows; otherwise prints why and exits 1.
 */
public final class SmallHeapImport {

    private SmallHeapImport() {
    }

    public static void main(String[] args) {
        if (args.length != 5) {
            System.err.println("usage: SmallHeapImport url statement expectedRows fetchSize batchSize");
            System.exit(2);
        }
        long expected = Long.parseLong(args[2]);
        AtomicLong written = new AtomicLong();
        // counts and forgets: the sink itself must not be what holds the rows
        RegistrationSink counting = batch -> Mono.fromSupplier(() -> {
            written.addAndGet(batch.registrations().size());
            return new WriteResult(batch.registrations().size(), 0, 0, 0);
        });
        InMemoryStore log = new InMemoryStore();
        RunRecord run;
        try (Tributary tributary = Tributary.builder().sink(counting).checkpoints(log).importLog(log).build()) {
            run = tributary.add(SourceDefinition.builder("small_heap", args[0], args[1])
                    .fetchSize(Integer.parseInt(args[3])).batchSize(Integer.parseInt(args[4])).maxRowsPerMinute(0).build())
                    .runNow().block(Duration.ofMinutes(10));
        }
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        System.out.println("imported " + written.get() + " peak-heap " + peak);
        if (run == null || !run.succeeded() || written.get() != expected || run.read() != expected) {
            System.out.println("failed: expected " + expected + " rows; run " + run);
            System.exit(1);
        }
        System.exit(0);
    }
}
