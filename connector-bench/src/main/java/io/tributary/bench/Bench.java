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
 * The import benchmark: Tributary against a hand-written JDBC loader, Spring Batch and the COPY limit, on one
 * generated PostgreSQL source table, in one invocation: every case in turn (the order rotates each round), three
 * scenarios per round (first import, unchanged re-import, 10% changed), medians over the rounds; then the peak
 * RSS of a separate import process at 1M and 5M rows, and the CPU of an idle poll. Prints a table and writes JSON.
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

            ImportCase tributary = cases.stream().filter(c -> c instanceof TributaryCase).findFirst().orElse(null);
            if (tributary != null && options.idlePolls() > 0) {
                log("idle polls: %d", options.idlePolls());
                IdlePolls.Result idle = IdlePolls.measure(pg, options, (TributaryCase) tributary, options.idlePolls());
                log("idle poll: %.2f ms wall, %.2f ms JVM CPU, %.2f ms PostgreSQL CPU", idle.wallMs(), idle.jvmCpuMs(),
                        idle.postgresCpuMs());
                report.idle(idle);
            }
        } finally {
            for (ImportCase c : cases) {
                c.close();
            }
        }
        for (List<String> jvm : options.rssJvm()) {
            for (long rows : options.rssRows()) {
                report.peak(peakRss(rows, jvm, false));
                if (Files.isRegularFile(options.appJar())) {
                    report.peak(peakRss(rows, jvm, true));
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
            case "jdbc" -> "jdbc_baseline";
            case "batch" -> "spring_batch";
            case "copy" -> "copy_limit";
            default -> throw new IllegalArgumentException(name);
        };
        stores.migrate(schema);
        return switch (name) {
            case "tributary" -> new TributaryCase(options, schema, table);
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
            stores.truncate(c.schema());
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
            stores.truncate(c.schema());
            stores.vacuum(c.schema());
        }
        List<Measurement> out = new ArrayList<>();
        long changedRows = 0;
        for (String scenario : SCENARIOS) {
            if (scenario.equals("changed")) {
                dataset.changeTenPercent(table, round);
                changedRows = pg.queryLong(options.sourceDatabase(), "SELECT count(*) FROM " + table + " WHERE id % 10 = "
                        + (round % 10));
            }
            Map<String, String> checksums = new LinkedHashMap<>();
            for (ImportCase c : order) {
                stores.checkpoint();
                double load = Machine.loadAverage1();
                double cpu0 = Machine.processCpuSeconds();
                double machine0 = Machine.machineBusySeconds();
                long t0 = System.nanoTime();
                ImportCase.Counts counts = c.run(Dataset.EVERYTHING);
                double seconds = (System.nanoTime() - t0) / 1e9;
                Measurement m = new Measurement(c.name(), scenario, round, seconds, Machine.processCpuSeconds() - cpu0,
                        Machine.machineBusySeconds() - machine0, counts, load);
                out.add(m);
                log("round %d %-9s %-34s %7.2f s  %,9.0f rows/s  JVM CPU %6.1f s  machine CPU %6.1f s%s", round, scenario,
                        c.label(), seconds, counts.read() / seconds, m.jvmCpuSeconds(), m.machineCpuSeconds(),
                        counts.inserted() < 0 ? "" : String.format("  inserted %,d updated %,d unchanged %,d",
                                counts.inserted(), counts.updated(), counts.unchanged()));
                check(c, scenario, counts, changedRows);
            }
            for (ImportCase c : order) {
                stores.vacuum(c.schema());
                if (!scenario.equals("unchanged")) {
                    checksums.put(c.name(), stores.checksum(c.schema()));
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

    /** Every case must read every row; Tributary's counts must be exact. */
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
        if (!expected.equals(counts)) {
            throw new IllegalStateException(c.label() + " " + scenario + ": counted " + counts + ", expected " + expected);
        }
    }

    private MemoryProbe.Peak peakRss(long rows, List<String> jvm, boolean app) throws Exception {
        String table = dataset.prepare(rows);
        String schema = app ? "tributary_app" : "tributary_rss";
        stores.migrate(schema);
        stores.truncate(schema);
        stores.vacuum(schema);
        stores.checkpoint();
        log("peak RSS: %s importing %,d rows with %s", app ? "the app's import command" : "a bench child process", rows,
                MemoryProbe.label(jvm));
        MemoryProbe.Peak peak = app ? MemoryProbe.appCli(options, jvm, options.appJar(), table, rows, schema)
                : MemoryProbe.benchChild(options, jvm, table, rows, schema);
        log("peak RSS %,d MB (%s, %s, %.1f s; %s)", peak.peakRssKb() / 1024, peak.process(), peak.jvm(), peak.seconds(),
                peak.detail());
        stores.truncate(schema);
        return peak;
    }

    private String pgVersion() throws Exception {
        return pg.queryString("postgres", "SHOW server_version");
    }
}
