package io.tributary.bench;

import java.nio.file.Files;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.tributary.core.window.Window;

/**
 * The import benchmark: the paths users take (the pipeline, the first automatic sync with default settings, the app's
 * {@code import} command, a MariaDB source, the embedded H2 store) against the raw COPY transfer limit, optionally
 * with the baselines (hand-written JDBC, Spring Batch, COPY + INSERT..SELECT), on one generated source table, in one
 * invocation: every case in turn (the order rotates each round), three scenarios per round (first import, unchanged
 * re-import, 10% changed), medians over the rounds; then the peak RSS of separate import processes at 1M and 5M rows,
 * and the CPU of an idle poll. Prints a table and writes JSON.
 */
public final class Bench {

    static final List<String> SCENARIOS = List.of("first", "unchanged", "changed");

    private final BenchOptions options;
    private final Pg pg;
    private final Stores stores;
    private final Dataset dataset;

    /** One timed import. */
    record Measurement(String caseName, String scenario, int round, double seconds, double jvmCpuSeconds,
            double machineCpuSeconds, ImportCase.Counts counts, double load1) {
    }

    private Bench(BenchOptions options) {
        this.options = options;
        this.pg = new Pg(options);
        this.stores = new Stores(pg, options);
        this.dataset = new Dataset(pg, options.sourceDatabase());
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("child-import")) {
            MemoryProbe.child(args);
            return;
        }
        if (args.length > 0 && args[0].equals("engine-probe")) {
            EngineProbe.run(args);
            System.exit(0);
            return;
        }
        BenchOptions options;
        try {
            options = BenchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            if (!e.getMessage().isEmpty()) {
                System.err.println(e.getMessage());
            }
            System.err.println(BenchOptions.USAGE);
            System.exit(2);
            return;
        }
        new Bench(options).run();
        System.exit(0);
    }

    static void log(String format, Object... args) {
        System.out.printf("[%s] %s%n", LocalTime.now().format(DateTimeFormatter.ofPattern("HH:mm:ss")),
                String.format(format, args));
        System.out.flush();
    }

    private void run() throws Exception {
        Report report = new Report(options);
        report.started(LocalDateTime.now(), Machine.loadAverage(), pgVersion());
        log("load average %s; %d cores, %,d MB, %s", Machine.loadAverage(), Runtime.getRuntime().availableProcessors(),
                Machine.memoryTotalMb(), Machine.cpuModel());
        pg.createDatabaseIfMissing(options.sourceDatabase());
        pg.createDatabaseIfMissing(options.storeDatabase());
        String table = dataset.prepare(options.rows());

        List<ImportCase> cases = new ArrayList<>();
        try {
            for (String name : options.cases()) {
                cases.add(create(name, table));
            }
            warmUp(cases);
            List<Measurement> measurements = new ArrayList<>();
            for (int round = 1; round <= options.rounds() && !cases.isEmpty(); round++) {
                measurements.addAll(round(cases, table, round, report));
            }
            report.measurements(measurements);
            report.load(Machine.loadAverage());

            ImportCase tributary = cases.stream().filter(c -> c.name().equals("tributary")).findFirst().orElse(null);
            if (tributary != null && options.idlePolls() > 0) {
                log("idle polls: %d", options.idlePolls());
                IdlePolls.Result idle = IdlePolls.measure(pg, options, (TributaryCase) tributary, options.idlePolls());
                log("idle poll: %.2f ms wall, %.2f ms JVM CPU (poll threads %.2f, JIT compiler %.2f, GC %.2f), "
                        + "%.2f ms PostgreSQL CPU (store %.2f ms, source %.2f ms)", idle.wallMs(), idle.jvmCpuMs(),
                        idle.pollThreadsCpuMs(), idle.compilerCpuMs(), idle.gcCpuMs(), idle.postgresCpuMs(),
                        idle.storeCpuMs(), idle.sourceCpuMs());
                report.idle(idle);
            }
        } finally {
            for (ImportCase c : cases) {
                c.close();
            }
        }
        for (List<String> jvm : options.rssJvm()) {
            for (long rows : options.rssRows()) {
                if (options.rssProcesses().contains("bench")) {
                    report.peak(peakRss(rows, jvm, false, false));
                }
                if (options.rssProcesses().contains("app") && Files.isRegularFile(options.appJar())) {
                    report.peak(peakRss(rows, jvm, true, false));
                }
                if (options.rssProcesses().contains("h2")) {
                    report.peak(peakRss(rows, jvm, false, true));
                }
            }
        }
        report.finished(Machine.loadAverage());
        System.out.println();
        System.out.println(report.table());
        report.writeJson(options.json());
        log("results written to %s", options.json().toAbsolutePath());
    }

    private ImportCase create(String name, String table) throws Exception {
        String schema = switch (name) {
            case "tributary" -> "tributary";
            case "autosync" -> "tributary_autosync";
            case "cli" -> "tributary_cli";
            case "mariadb" -> "tributary_mariadb";
            case "h2" -> "tributary_h2";
            case "raw" -> "raw_limit";
            case "jdbc" -> "jdbc_baseline";
            case "batch" -> "spring_batch";
            case "copy" -> "copy_limit";
            default -> throw new IllegalArgumentException(name);
        };
        if (!name.equals("h2")) {
            stores.migrate(schema);
        }
        return switch (name) {
            case "tributary" -> new TributaryCase(options, schema, table);
            case "autosync" -> new AutoSyncCase(options, schema, table);
            case "cli" -> new AppCommandCase(options, schema, table);
            case "mariadb" -> {
                MariaDbSource.prepare(options, options.rows());
                yield new TributaryCase(options, "mariadb", "(c) Tributary, MariaDB source", schema, table,
                        TributaryCase.Source.MARIADB, null);
            }
            case "h2" -> new TributaryCase(options, "h2", "(d) Tributary, embedded H2 store", schema, table,
                    TributaryCase.Source.POSTGRESQL, java.nio.file.Path.of("connector-bench/target/h2-store"));
            case "raw" -> new RawTransferCase(pg, options, schema, table);
            case "jdbc" -> new JdbcLoaderCase(pg, options, schema, table);
            case "batch" -> new SpringBatchCase(options, schema, table);
            default -> new CopyLimitCase(pg, options, schema, table);
        };
    }

    /** Each case imports the first rows twice (inserts, then unchanged), so that no case is timed while the JIT warms. */
    private void warmUp(List<ImportCase> cases) throws Exception {
        if (options.warmupRows() == 0) {
            return;
        }
        Window window = Dataset.firstRows(options.warmupRows());
        for (ImportCase c : cases) {
            if (!c.runs("warmup")) {
                continue;
            }
            c.reset(stores);
            long t0 = System.nanoTime();
            c.run(window);
            c.run(window);
            log("warm-up %-34s %,d rows twice in %.1f s", c.label(), options.warmupRows(), (System.nanoTime() - t0) / 1e9);
        }
    }

    private List<Measurement> round(List<ImportCase> cases, String table, int round, Report report) throws Exception {
        List<ImportCase> order = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            order.add(cases.get((i + round - 1) % cases.size()));
        }
        for (ImportCase c : order) {
            c.reset(stores);
        }
        List<Measurement> out = new ArrayList<>();
        long changedRows = 0;
        for (String scenario : SCENARIOS) {
            if (scenario.equals("changed")) {
                dataset.changeTenPercent(table, round);
                if (options.cases().contains("mariadb")) {
                    MariaDbSource.changeTenPercent(options, table, round);
                }
                changedRows = pg.queryLong(options.sourceDatabase(), "SELECT count(*) FROM " + table + " WHERE id % 10 = "
                        + (round % 10));
            }
            Map<String, String> checksums = new LinkedHashMap<>();
            for (ImportCase c : order) {
                if (!c.runs(scenario)) {
                    continue;
                }
                stores.checkpoint();
                double load = Machine.loadAverage1();
                double cpu0 = Machine.processCpuSeconds();
                double machine0 = Machine.machineBusySeconds();
                long t0 = System.nanoTime();
                ImportCase.Counts counts = c.run(Dataset.EVERYTHING);
                // the app's command: its own time, without the JVM's start
                double seconds = (System.nanoTime() - t0) / 1e9 - counts.extraSeconds();
                Measurement m = new Measurement(c.name(), scenario, round, seconds, Machine.processCpuSeconds() - cpu0,
                        Machine.machineBusySeconds() - machine0, counts, load);
                out.add(m);
                log("round %d %-9s %-34s %7.2f s  %,9.0f rows/s  JVM CPU %6.1f s  machine CPU %6.1f s  load %.2f%s%s%s", round,
                        scenario, c.label(), seconds, counts.read() / seconds, m.jvmCpuSeconds(), m.machineCpuSeconds(), load,
                        counts.inserted() < 0 ? "" : String.format("  inserted %,d updated %,d unchanged %,d",
                                counts.inserted(), counts.updated(), counts.unchanged()),
                        counts.sourceRows() != counts.read() ? String.format("  rows from the source %,d", counts.sourceRows()) : "",
                        counts.extraSeconds() > 0 ? String.format("  JVM start %.2f s", counts.extraSeconds()) : "");
                check(c, scenario, counts, changedRows);
            }
            for (ImportCase c : order) {
                if (!c.runs(scenario)) {
                    continue;
                }
                if (c.postgresStore()) {
                    stores.vacuum(c.schema());
                }
                String checksum = c.checksum(stores);
                if (!checksum.startsWith(options.rows() + "/")) {
                    throw new IllegalStateException(c.label() + " stored " + checksum.substring(0, checksum.indexOf('/'))
                            + " rows after the " + scenario + " import, expected " + options.rows());
                }
                if (!scenario.equals("unchanged") && c.postgresStore()) {
                    checksums.put(c.name(), checksum);
                }
            }
            if (!checksums.isEmpty()) {
                boolean same = checksums.values().stream().distinct().count() == 1;
                report.checksum(round, scenario, same, checksums);
                if (!same) {
                    log("WARNING: the stores differ after round %d %s: %s", round, scenario, checksums);
                }
            }
        }
        return out;
    }

    /** Every case must read every row; Tributary's counts must be exact (and store every row: see the checksums). */
    private void check(ImportCase c, String scenario, ImportCase.Counts counts, long changedRows) {
        long rows = options.rows();
        if (counts.read() != rows) {
            throw new IllegalStateException(c.label() + " read " + counts.read() + " rows, expected " + rows);
        }
        if (counts.inserted() < 0) {
            return;
        }
        ImportCase.Counts expected = switch (scenario) {
            case "first" -> new ImportCase.Counts(rows, rows, 0, 0);
            case "unchanged" -> new ImportCase.Counts(rows, 0, 0, rows);
            default -> new ImportCase.Counts(rows, 0, changedRows, rows - changedRows);
        };
        // the chunked command and the capped sync read some rows twice: those count as unchanged
        boolean rereads = c instanceof AppCommandCase || c instanceof AutoSyncCase;
        ImportCase.Counts got = rereads ? new ImportCase.Counts(counts.read(), counts.inserted(), counts.updated(),
                expected.unchanged()) : counts.exact();
        if (!expected.equals(got)) {
            throw new IllegalStateException(c.label() + " " + scenario + ": counted " + counts + ", expected " + expected);
        }
    }

    private MemoryProbe.Peak peakRss(long rows, List<String> jvm, boolean app, boolean h2) throws Exception {
        String table = dataset.prepare(rows);
        if (h2) {
            log("peak RSS: a bench child process importing %,d rows into the embedded H2 store with %s", rows,
                    MemoryProbe.label(jvm));
            MemoryProbe.Peak peak = MemoryProbe.benchChild(options, jvm, table, rows, "tributary_h2",
                    java.nio.file.Path.of("connector-bench/target/h2-rss"));
            log("peak RSS %,d MB (%s, %s, %.1f s; %s)", peak.peakRssKb() / 1024, peak.process(), peak.jvm(), peak.seconds(),
                    peak.detail());
            TributaryCase.deleteRecursively(java.nio.file.Path.of("connector-bench/target/h2-rss"));
            return peak;
        }
        String schema = app ? "tributary_app" : "tributary_rss";
        stores.migrate(schema);
        stores.truncate(schema);
        stores.vacuum(schema);
        stores.checkpoint();
        log("peak RSS: %s importing %,d rows with %s", app ? "the app's import command" : "a bench child process", rows,
                MemoryProbe.label(jvm));
        MemoryProbe.Peak peak = app ? MemoryProbe.appCli(options, jvm, options.appJar(), table, rows, schema)
                : MemoryProbe.benchChild(options, jvm, table, rows, schema, null);
        log("peak RSS %,d MB (%s, %s, %.1f s; %s)", peak.peakRssKb() / 1024, peak.process(), peak.jvm(), peak.seconds(),
                peak.detail());
        stores.truncate(schema);
        return peak;
    }

    private String pgVersion() throws Exception {
        return pg.queryString("postgres", "SHOW server_version");
    }
}
