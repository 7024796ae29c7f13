package io.tributary.bench;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.tributary.core.SourcePipeline;
import io.tributary.core.sink.RunRecord;

/**
 * CPU per idle poll: automatic runs of a source whose checkpoint is now, so each finds no row. Each poll does
 * what a real one does: load the checkpoint, record the run's start, ask the source's clock, run the statement,
 * move the checkpoint, record the run. Measured over many polls after a warm-up: this JVM's CPU time, and the CPU
 * time of the PostgreSQL backends serving this process's connections (read from /proc).
 */
final class IdlePolls {

    /** What one idle poll costs, on average. */
    record Result(int polls, double wallMs, double jvmCpuMs, double postgresCpuMs) {
    }

    private IdlePolls() {
    }

    static Result measure(Pg pg, BenchOptions options, TributaryCase tributary, int polls) throws Exception {
        pg.execute(options.storeDatabase(), "INSERT INTO " + tributary.schema() + ".checkpoints (source_id, checkpoint, "
                + "updated_at) VALUES ('" + Stores.SOURCE_ID + "', now(), now()) ON CONFLICT (source_id) DO UPDATE SET "
                + "checkpoint = excluded.checkpoint, updated_at = excluded.updated_at");
        SourcePipeline pipeline = tributary.pipeline();
        for (int i = 0; i < Math.min(50, polls); i++) {
            poll(pipeline);
        }
        List<Long> backends = backends(pg, options);
        double[] pgBefore = cpu(backends);
        double jvmBefore = Machine.processCpuSeconds();
        long t0 = System.nanoTime();
        for (int i = 0; i < polls; i++) {
            poll(pipeline);
        }
        double wall = (System.nanoTime() - t0) / 1e6;
        double jvm = (Machine.processCpuSeconds() - jvmBefore) * 1000;
        double[] pgAfter = cpu(backends);
        double postgres = 0;
        for (int i = 0; i < pgBefore.length; i++) {
            if (!Double.isNaN(pgBefore[i]) && !Double.isNaN(pgAfter[i])) {
                postgres += (pgAfter[i] - pgBefore[i]) * 1000;
            }
        }
        return new Result(polls, wall / polls, jvm / polls, postgres / polls);
    }

    private static void poll(SourcePipeline pipeline) {
        RunRecord r = pipeline.runNow().block(Duration.ofMinutes(1));
        if (r == null || !r.succeeded() || r.read() != 0) {
            throw new IllegalStateException("an idle poll should read nothing and succeed: " + r);
        }
    }

    /** Backends connected to the bench's databases, but this very query's. */
    private static List<Long> backends(Pg pg, BenchOptions options) throws SQLException {
        List<Long> pids = new ArrayList<>();
        try (Connection c = pg.connect("postgres"); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT pid FROM pg_stat_activity WHERE datname IN ('"
                        + options.sourceDatabase() + "', '" + options.storeDatabase() + "') AND pid <> pg_backend_pid()")) {
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
