package io.tributary.core.jdbc;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import io.tributary.core.mapping.SourceRow;
import io.tributary.core.template.RenderedStatement;

/**
 * Streams a large PostgreSQL result in a JVM of its own, started with a small heap by
 * {@link JdbcSourceClientPostgresIT}, and prints one line: rows, time and heap. Mode {@code bridge} reads through
 * the {@link JdbcSourceClient}; mode {@code materialise} reads the same result the way pgjdbc does by default
 * (autocommit on, no fetch size: all rows in memory), as the control.
 * <p>
 * {@code java -Xmx256m -cp ... io.tributary.core.jdbc.JdbcBridgeMemoryCheck jdbc:postgresql://... bridge 1000000}
 */
public final class JdbcBridgeMemoryCheck {

    private JdbcBridgeMemoryCheck() {
    }

    public static void main(String[] args) throws Exception {
        String url = args[0];
        String mode = args[1];
        long rows = Long.parseLong(args[2]);
        // 256 characters of payload a row: a million rows held at once need well over 256 MB
        String sql = "SELECT g AS reference, 'member-' || (g % 1000) AS member_id, repeat(md5(g::text), 8) AS payload,"
                + " now() - g * interval '1 second' AS date FROM generate_series(1, " + rows + ") g";
        AtomicLong maxUsed = new AtomicLong();
        AtomicLong count = new AtomicLong();
        AtomicLong chars = new AtomicLong();
        long start = System.nanoTime();
        if (mode.equals("bridge")) {
            JdbcSourceClient client = JdbcSourceClient.builder(PostgresJdbc.dataSource("tributary-memory-check"),
                    JdbcSourceClientTest.DIALECT, "SELECT now()").build();
            client.stream(new RenderedStatement(sql, List.of()), List.of(), 1_000)
                    .doOnNext(row -> record(row, count, chars, maxUsed))
                    .blockLast(Duration.ofMinutes(10));
        } else {
            try (Connection c = PostgresJdbc.dataSource("tributary-memory-check").getConnection();
                    Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
                while (rs.next()) {
                    chars.addAndGet(rs.getString(3).length());
                    sample(count.incrementAndGet(), maxUsed);
                }
            }
        }
        long ms = Duration.ofNanos(System.nanoTime() - start).toMillis();
        long peakPools = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peakPools += pool.getPeakUsage().getUsed();
            }
        }
        System.out.printf("rows=%d ms=%d payloadChars=%d maxSampledHeapMb=%d sumOfPoolPeaksMb=%d maxHeapMb=%d%n",
                count.get(), ms, chars.get(), maxUsed.get() >> 20, peakPools >> 20, Runtime.getRuntime().maxMemory() >> 20);
    }

    private static void record(SourceRow row, AtomicLong count, AtomicLong chars, AtomicLong maxUsed) {
        chars.addAndGet(((String) row.value(2)).length());
        sample(count.incrementAndGet(), maxUsed);
    }

    private static void sample(long n, AtomicLong maxUsed) {
        if (n % 10_000 == 0) {
            Runtime rt = Runtime.getRuntime();
            maxUsed.accumulateAndGet(rt.totalMemory() - rt.freeMemory(), Math::max);
        }
    }
}
