package io.tributary.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Collects the results; prints them as a table and writes them as JSON. */
final class Report {

    private static final Map<String, String> LABELS = Map.of("tributary", "(a) pipeline, cap off",
            "autosync", "(a') first automatic sync, capped", "cli", "(b) app's import command", "mariadb",
            "(c) MariaDB source", "h2", "(d) embedded H2 store", "raw", "(e) raw COPY transfer",
            "jdbc", "hand-written JDBC", "batch", "Spring Batch", "copy", "COPY + INSERT..SELECT");
    private static final Map<String, String> SCENARIO_LABELS = Map.of("first", "first import (all inserts)",
            "unchanged", "re-import, all unchanged", "changed", "re-import, 10% changed");

    private final BenchOptions options;
    private LocalDateTime started;
    private String loadAtStart = "";
    private String loadAfterRounds = "";
    private String loadAtEnd = "";
    private String postgres = "";
    private List<Bench.Measurement> measurements = List.of();
    private final List<String> checksums = new ArrayList<>();
    private boolean storesIdentical = true;
    private IdlePolls.Result idle;
    private final List<MemoryProbe.Peak> peaks = new ArrayList<>();

    Report(BenchOptions options) {
        this.options = options;
    }

    void started(LocalDateTime at, String load, String postgresVersion) {
        this.started = at;
        this.loadAtStart = load;
        this.postgres = postgresVersion;
    }

    void measurements(List<Bench.Measurement> all) {
        this.measurements = List.copyOf(all);
    }

    void load(String load) {
        this.loadAfterRounds = load;
    }

    void finished(String load) {
        this.loadAtEnd = load;
    }

    void checksum(int round, String scenario, boolean same, Map<String, String> values) {
        storesIdentical &= same;
        checksums.add("round " + round + " " + scenario + ": " + (same ? "identical " : "DIFFERENT ") + values);
    }

    void idle(IdlePolls.Result result) {
        this.idle = result;
    }

    void peak(MemoryProbe.Peak peak) {
        peaks.add(peak);
    }

    /** The median seconds of a case in a scenario; NaN when it did not run. */
    double median(String caseName, String scenario) {
        return median(values(caseName, scenario, Bench.Measurement::seconds));
    }

    private double[] values(String caseName, String scenario, java.util.function.ToDoubleFunction<Bench.Measurement> f) {
        return measurements.stream().filter(m -> m.caseName().equals(caseName) && m.scenario().equals(scenario))
                .mapToDouble(f).toArray();
    }

    private static double median(double[] v) {
        if (v.length == 0) {
            return Double.NaN;
        }
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    /** The targets: name, measured value, limit. */
    private List<Object[]> targets() {
        List<Object[]> t = new ArrayList<>();
        double pipeline = median("tributary", "first");
        t.add(new Object[] {"first import: pipeline / raw transfer", pipeline / median("raw", "first"), 2.0});
        t.add(new Object[] {"unchanged re-import: pipeline / raw transfer",
                median("tributary", "unchanged") / median("raw", "unchanged"), 1.0});
        t.add(new Object[] {"first automatic sync / pipeline, time", median("autosync", "first") / pipeline, 1.5});
        t.add(new Object[] {"first automatic sync / pipeline, rows read from the source",
                median(values("autosync", "first", m -> m.counts().sourceRows())) / options.rows(), 2.0});
        t.add(new Object[] {"app's import command / pipeline (JVM start apart)", median("cli", "first") / pipeline, 1.2});
        t.add(new Object[] {"MariaDB source / PostgreSQL source", median("mariadb", "first") / pipeline, 1.5});
        t.add(new Object[] {"embedded H2 store / PostgreSQL store", median("h2", "first") / pipeline, 2.0});
        if (options.cases().contains("jdbc")) {
            t.add(new Object[] {"first import: pipeline / hand-written JDBC", pipeline / median("jdbc", "first"), 0.75});
            t.add(new Object[] {"unchanged re-import: pipeline / hand-written JDBC",
                    median("tributary", "unchanged") / median("jdbc", "unchanged"), 0.6});
        }
        // the targets hold for the recommended options: the first set measured
        String jvm = options.rssJvm().isEmpty() ? "" : MemoryProbe.label(options.rssJvm().get(0));
        for (String process : List.of("bench", "app", "h2")) {
            MemoryProbe.Peak small = peak(1_000_000, process, jvm);
            MemoryProbe.Peak large = peak(5_000_000, process, jvm);
            String who = process.equals("bench") ? "bench child" : process.equals("h2") ? "H2 store child" : "app import";
            if (small != null) {
                t.add(new Object[] {who + " peak RSS at 1M rows (MB), " + jvm, small.peakRssKb() / 1024.0, 400.0});
            }
            if (large != null) {
                t.add(new Object[] {who + " peak RSS at 5M rows (MB), " + jvm, large.peakRssKb() / 1024.0, 400.0});
            }
            if (small != null && large != null) {
                t.add(new Object[] {who + " peak RSS 5M / 1M, " + jvm, (double) large.peakRssKb() / small.peakRssKb(), 1.2});
            }
        }
        return t;
    }

    private MemoryProbe.Peak peak(long rows, String process, String jvm) {
        return peaks.stream().filter(p -> p.rows() == rows && p.process().startsWith(process) && p.jvm().equals(jvm))
                .findFirst().orElse(null);
    }

    String table() {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "Tributary import benchmark, %s: %,d rows, %d rounds, %s%n", started, options.rows(),
                options.rounds(), machine()));
        out.append(String.format(Locale.ROOT, "load average (1/5/15 min): %s at start, %s after the rounds, %s at the end%n%n",
                loadAtStart, loadAfterRounds, loadAtEnd));
        out.append(String.format(Locale.ROOT, "%-28s %-34s %9s %10s %-26s %8s %8s %12s %9s%n", "scenario", "case", "median s",
                "rows/s", "runs (s)", "JVM cpu", "all cpu", "source rows", "JVM start"));
        for (String scenario : Bench.SCENARIOS) {
            for (String c : options.cases()) {
                double[] runs = values(c, scenario, Bench.Measurement::seconds);
                if (runs.length == 0) {
                    continue;
                }
                double med = median(runs);
                StringBuilder each = new StringBuilder();
                for (double r : runs) {
                    each.append(String.format(Locale.ROOT, "%.2f ", r));
                }
                double start = median(values(c, scenario, m -> m.counts().extraSeconds()));
                out.append(String.format(Locale.ROOT, "%-28s %-34s %9.2f %,10.0f %-26s %8.1f %8.1f %,12.0f %9s%n",
                        SCENARIO_LABELS.get(scenario), LABELS.get(c), med, options.rows() / med, each.toString().strip(),
                        median(values(c, scenario, Bench.Measurement::jvmCpuSeconds)),
                        median(values(c, scenario, Bench.Measurement::machineCpuSeconds)),
                        median(values(c, scenario, m -> m.counts().sourceRows())),
                        start > 0 ? String.format(Locale.ROOT, "%.2f s", start) : ""));
            }
        }
        out.append(String.format("%n(JVM cpu: CPU seconds of the bench process during the run, median; all cpu: the whole "
                + "machine's busy CPU seconds, PostgreSQL included, and other users' work if any; source rows: rows the source "
                + "returned, re-reads included; JVM start: the app command's wall time outside its import)%n"));
        out.append(String.format("stores identical across cases after every first and changed import: %s%n%n",
                storesIdentical ? "yes" : "NO"));
        out.append("targets\n");
        for (Object[] t : targets()) {
            double v = (double) t[1];
            double limit = (double) t[2];
            out.append(String.format(Locale.ROOT, "  %-62s %8.2f  (target <= %.2f)  %s%n", t[0], v, limit,
                    Double.isNaN(v) ? "not measured" : v <= limit ? "met" : "NOT MET"));
        }
        if (!peaks.isEmpty()) {
            out.append("\npeak RSS of an import process\n");
            for (MemoryProbe.Peak p : peaks) {
                out.append(String.format(Locale.ROOT, "  %-40s %-14s %,10d rows %,6d MB  %6.1f s  %s%n", p.process(),
                        p.jvm(), p.rows(), p.peakRssKb() / 1024, p.seconds(), p.detail()));
            }
        }
        if (idle != null) {
            out.append(String.format(Locale.ROOT, "%nidle poll (an automatic run that finds no row), mean of %d: %.2f ms "
                    + "wall, %.2f ms JVM CPU (poll threads %.2f ms, JIT compiler %.2f ms, GC %.2f ms), %.2f ms PostgreSQL "
                    + "CPU (store %.2f ms, source %.2f ms)%n", idle.polls(), idle.wallMs(), idle.jvmCpuMs(),
                    idle.pollThreadsCpuMs(), idle.compilerCpuMs(), idle.gcCpuMs(), idle.postgresCpuMs(), idle.storeCpuMs(),
                    idle.sourceCpuMs()));
        }
        return out.toString();
    }

    private String machine() {
        return Runtime.getRuntime().availableProcessors() + " cores, " + Machine.memoryTotalMb() + " MB, "
                + Machine.cpuModel() + ", Java " + System.getProperty("java.version") + ", PostgreSQL " + postgres;
    }

    void writeJson(Path path) throws IOException {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("started", started.toString());
        root.put("machine", machine());
        root.put("loadAverage", Map.of("start", loadAtStart, "afterRounds", loadAfterRounds, "end", loadAtEnd));
        Map<String, Object> opts = new LinkedHashMap<>();
        opts.put("rows", options.rows());
        opts.put("rounds", options.rounds());
        opts.put("warmupRows", options.warmupRows());
        opts.put("tributaryFetchSize", options.fetchSize() == 0 ? "default" : options.fetchSize());
        opts.put("tributaryBatchSize", options.batchSize() == 0 ? "default" : options.batchSize());
        opts.put("tributaryLanes", options.lanes() == 0 ? "default" : options.lanes());
        root.put("options", opts);
        List<Object> runs = new ArrayList<>();
        for (Bench.Measurement m : measurements) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("case", m.caseName());
            r.put("scenario", m.scenario());
            r.put("round", m.round());
            r.put("seconds", m.seconds());
            r.put("jvmCpuSeconds", m.jvmCpuSeconds());
            r.put("machineCpuSeconds", m.machineCpuSeconds());
            r.put("load1", m.load1());
            r.put("read", m.counts().read());
            r.put("sourceRows", m.counts().sourceRows());
            if (m.counts().extraSeconds() > 0) {
                r.put("jvmStartSeconds", m.counts().extraSeconds());
            }
            if (m.counts().inserted() >= 0) {
                r.put("inserted", m.counts().inserted());
                r.put("updated", m.counts().updated());
                r.put("unchanged", m.counts().unchanged());
            }
            runs.add(r);
        }
        root.put("runs", runs);
        Map<String, Object> medians = new LinkedHashMap<>();
        for (String scenario : Bench.SCENARIOS) {
            Map<String, Object> perCase = new LinkedHashMap<>();
            for (String c : options.cases()) {
                perCase.put(c, median(c, scenario));
            }
            medians.put(scenario, perCase);
        }
        root.put("medianSeconds", medians);
        List<Object> targets = new ArrayList<>();
        for (Object[] t : targets()) {
            double v = (double) t[1];
            targets.add(Map.of("name", t[0], "value", v, "limit", t[2], "met", !Double.isNaN(v) && v <= (double) t[2]));
        }
        root.put("targets", targets);
        root.put("storesIdentical", storesIdentical);
        root.put("checksums", checksums);
        List<Object> rss = new ArrayList<>();
        for (MemoryProbe.Peak p : peaks) {
            rss.add(Map.of("process", p.process(), "jvm", p.jvm(), "rows", p.rows(), "peakRssMb", p.peakRssKb() / 1024.0,
                    "seconds", p.seconds(), "detail", p.detail()));
        }
        root.put("peakRss", rss);
        if (idle != null) {
            root.put("idlePoll", Map.of("polls", idle.polls(), "wallMs", idle.wallMs(), "jvmCpuMs", idle.jvmCpuMs(),
                    "pollThreadsCpuMs", idle.pollThreadsCpuMs(), "compilerCpuMs", idle.compilerCpuMs(), "gcCpuMs",
                    idle.gcCpuMs(), "postgresCpuMs", idle.postgresCpuMs(), "storeCpuMs", idle.storeCpuMs(), "sourceCpuMs",
                    idle.sourceCpuMs()));
        }
        StringBuilder json = new StringBuilder();
        write(json, root, "");
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(path, json.append('\n').toString());
    }

    private static void write(StringBuilder out, Object value, String indent) {
        if (value instanceof Map<?, ?> map) {
            out.append("{");
            String inner = indent + "  ";
            boolean first = true;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                out.append(first ? "\n" : ",\n").append(inner);
                io.tributary.core.mapping.FieldValues.appendString(out, String.valueOf(e.getKey()));
                out.append(": ");
                write(out, e.getValue(), inner);
                first = false;
            }
            out.append(first ? "}" : "\n" + indent + "}");
        } else if (value instanceof List<?> list) {
            out.append("[");
            String inner = indent + "  ";
            boolean first = true;
            for (Object v : list) {
                out.append(first ? "\n" : ",\n").append(inner);
                write(out, v, inner);
                first = false;
            }
            out.append(first ? "]" : "\n" + indent + "]");
        } else if (value instanceof Double d) {
            out.append(d.isNaN() || d.isInfinite() ? "null" : String.format(Locale.ROOT, "%.4f", d));
        } else if (value instanceof Number || value instanceof Boolean) {
            out.append(value);
        } else {
            io.tributary.core.mapping.FieldValues.appendString(out, String.valueOf(value));
        }
    }
}
