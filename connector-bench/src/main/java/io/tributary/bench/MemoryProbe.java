package io.tributary.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;


/**
 * Peak RSS of a Tributary import in a process of its own, with given JVM options: this jar's
 * {@code child-import} command (the core pipeline and the app's store, no Spring) and, when the app jar is there,
 * the app's own {@code import} command (Spring Boot and all). The peak is the kernel's high-water mark (VmHWM).
 */
final class MemoryProbe {

    /** One measured process. */
    record Peak(String process, String jvm, long rows, long peakRssKb, double seconds, String detail) {
    }

    /** How a set of JVM options is shown. */
    static String label(List<String> jvm) {
        return jvm.isEmpty() ? "JVM defaults" : String.join(" ", jvm);
    }

    private MemoryProbe() {
    }

    /** In the child: one full import, then a line with the figures. */
    static void child(String[] args) throws Exception {
        List<String> rest = new ArrayList<>(Arrays.asList(args).subList(1, args.length));
        String table = take(rest, "--table");
        String schema = take(rest, "--schema");
        String h2 = rest.contains("--h2") ? take(rest, "--h2") : null;
        BenchOptions options = BenchOptions.parse(rest.toArray(String[]::new));
        long t0 = System.nanoTime();
        ImportCase.Counts counts;
        try (TributaryCase tributary = h2 == null ? new TributaryCase(options, schema, table)
                : new TributaryCase(options, "h2", "H2", schema, table, TributaryCase.Source.POSTGRESQL, Path.of(h2))) {
            counts = tributary.run(Dataset.EVERYTHING);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        Runtime rt = Runtime.getRuntime();
        System.out.printf("RESULT %d %d %.3f %d %d%n", Machine.statusKb(ProcessHandle.current().pid(), "VmHWM"),
                counts.inserted(), seconds, rt.maxMemory() >> 20, rt.totalMemory() >> 20);
        System.out.flush();
        System.exit(0);
    }

    /**
     * Runs this jar's {@code child-import} on {@code table} and returns its peak RSS.
     *
     * @param h2 the embedded H2 store's directory, or {@code null} for the PostgreSQL store schema {@code schema}
     */
    static Peak benchChild(BenchOptions options, List<String> jvm, String table, long rows, String schema, Path h2)
            throws Exception {
        List<String> command = java(jvm);
        if (h2 != null) {
            command.addAll(List.of("-jar", ownJar(), "child-import", "--h2", h2.toString()));
        } else {
            command.addAll(List.of("-jar", ownJar(), "child-import"));
        }
        command.addAll(List.of("--table", table,
                "--schema", schema, "--host", options.host(), "--port", Integer.toString(options.port()),
                "--user", options.user(), "--database", options.database()));
        if (options.fetchSize() > 0) {
            command.addAll(List.of("--fetch-size", Integer.toString(options.fetchSize())));
        }
        if (options.batchSize() > 0) {
            command.addAll(List.of("--batch-size", Integer.toString(options.batchSize())));
        }
        if (options.lanes() > 0) {
            command.addAll(List.of("--lanes", Integer.toString(options.lanes())));
        }
        if (!options.h2Options().isEmpty()) {
            command.addAll(List.of("--h2-options", options.h2Options()));
        }
        Run run = Run.of(new ProcessBuilder(command).redirectErrorStream(true));
        String result = run.output.lines().filter(l -> l.startsWith("RESULT ")).findFirst().orElse(null);
        if (run.exitCode != 0 || result == null) {
            throw new IllegalStateException("the import process failed: " + run.output);
        }
        String[] f = result.split(" ");
        long hwm = Long.parseLong(f[1]);
        if (Long.parseLong(f[2]) != rows) {
            throw new IllegalStateException("the import process inserted " + f[2] + " rows, expected " + rows);
        }
        return new Peak(h2 != null ? "h2 child-import (core + embedded H2 store)" : "bench child-import (core + app store)",
                label(jvm), rows, Math.max(hwm, run.peakKb),
                Double.parseDouble(f[3]), "max heap " + f[4] + " MB, heap committed at end " + f[5] + " MB");
    }

    /** Runs the app jar's {@code import} command on {@code table} and returns its peak RSS. */
    static Peak appCli(BenchOptions options, List<String> jvm, Path appJar, String table, long rows, String schema)
            throws Exception {
        String source = "postgresql://" + options.user() + "@" + options.host() + ":" + options.port() + "/"
                + options.sourceDatabase();
        List<String> command = java(jvm);
        command.addAll(List.of("-jar", appJar.toString(), "import", "--source", Stores.SOURCE_ID, "--from",
                Dataset.EVERYTHING.lower().toString(), "--to", Dataset.EVERYTHING.upper().toString()));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("TRIBUTARY_"));
        env.put("TRIBUTARY_SOURCES_BENCH_URL", source);
        env.put("TRIBUTARY_SOURCES_BENCH_STATEMENT", Dataset.statement(table));
        env.put("TRIBUTARY_SOURCES_BENCH_MAX_ROWS_PER_MINUTE", "0");
        if (options.fetchSize() > 0) {
            env.put("TRIBUTARY_SOURCES_BENCH_FETCH_SIZE", Integer.toString(options.fetchSize()));
        }
        if (options.batchSize() > 0) {
            env.put("TRIBUTARY_SOURCES_BENCH_BATCH_SIZE", Integer.toString(options.batchSize()));
        }
        env.put("TRIBUTARY_STORE_URL", options.jdbcUrl(options.storeDatabase()));
        env.put("TRIBUTARY_STORE_USERNAME", options.user());
        env.put("TRIBUTARY_STORE_SCHEMA", schema);
        Run run = Run.of(pb);
        // a halved chunk's rows are stored once and counted unchanged when read again: read is the rows in the range
        if (run.exitCode != 0 || !run.output.contains(": read " + rows + ", inserted ")) {
            throw new IllegalStateException("the app's import command failed (exit " + run.exitCode + "): " + run.output);
        }
        return new Peak("app jar import command (Spring Boot)", label(jvm), rows, run.peakKb, run.seconds,
                "wall time includes JVM and Spring start-up");
    }

    /** A finished process: its output, exit code, wall time and the highest VmHWM sampled while it ran. */
    private record Run(String output, int exitCode, double seconds, long peakKb) {

        static Run of(ProcessBuilder pb) throws Exception {
            Path log = Files.createTempFile("tributary-bench-child", ".log");
            long t0 = System.nanoTime();
            Process p = pb.redirectOutput(log.toFile()).start();
            long peak = 0;
            while (!p.waitFor(20, TimeUnit.MILLISECONDS)) {
                peak = Math.max(peak, Machine.statusKb(p.pid(), "VmHWM"));
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            String output = Files.readString(log);
            Files.deleteIfExists(log);
            return new Run(output, p.exitValue(), seconds, peak);
        }
    }

    /** This JVM's java binary and {@code jvm}: the start of a child's command line. */
    private static List<String> java(List<String> jvm) {
        List<String> command = new ArrayList<>(List.of(javaBinary()));
        command.addAll(jvm);
        return command;
    }

    private static String javaBinary() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    private static String ownJar() {
        String classPath = System.getProperty("java.class.path");
        if (classPath == null || classPath.contains(java.io.File.pathSeparator) || !classPath.endsWith(".jar")) {
            throw new IllegalStateException("peak RSS needs the packaged bench jar (java -jar tributary-bench.jar); "
                    + "class path is " + classPath);
        }
        return classPath;
    }

    private static String take(List<String> args, String name) {
        int i = args.indexOf(name);
        if (i < 0 || i + 1 >= args.size()) {
            throw new IllegalArgumentException(name + " is missing");
        }
        String value = args.get(i + 1);
        args.remove(i + 1);
        args.remove(i);
        return value;
    }

}
