package io.tributary.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The benchmark's command line. Defaults measure what the issue asks for: 1,000,000 rows, 3 rounds of every case,
 * peak RSS at 1M and 5M rows, idle polls.
 *
 * @param rows        rows in the source table
 * @param rounds      rounds of every case and scenario; the table shows medians
 * @param cases       which cases run: tributary, jdbc, batch, copy
 * @param rssRows     row counts at which a separate Tributary process's peak RSS is measured; empty to skip
 * @param rssJvm      the JVM option sets each such process is measured with; an empty set is the JVM's defaults
 * @param idlePolls   idle polls to time; 0 to skip
 * @param warmupRows  rows each case imports once before the rounds, so that no case is measured while the JIT warms
 * @param host        PostgreSQL host (trust auth, or PGPASSWORD)
 * @param port        PostgreSQL port
 * @param user        PostgreSQL user
 * @param database    database prefix: the source is {@code <database>}, the stores live in {@code <database>_store}
 * @param fetchSize   Tributary's fetch size, or 0 for the product's default
 * @param batchSize   Tributary's batch size, or 0 for the product's default
 * @param lanes       Tributary's concurrent writes per run, or 0 for what the store asks for (an ablation knob)
 * @param h2Options   settings appended to the embedded H2 store's default URL, e.g. {@code ;CACHE_SIZE=8192}, or empty
 *                    (an ablation knob)
 * @param json        where the results go as JSON
 * @param appJar      the app jar whose {@code import} command is also measured for RSS, when it exists
 */
record BenchOptions(long rows, int rounds, List<String> cases, List<Long> rssRows, List<List<String>> rssJvm,
        List<String> rssProcesses, int idlePolls, long warmupRows,
        String host, int port, String user, String database, int fetchSize, int batchSize, int lanes, String h2Options, Path json, Path appJar) {

    static final List<String> ALL_CASES = List.of("tributary", "autosync", "cli", "mariadb", "h2", "raw", "jdbc", "batch",
            "copy");

    /** The paths users take and the raw limit; the baselines (jdbc, batch, copy) on request. */
    static final List<String> HEADLINE_CASES = List.of("tributary", "autosync", "cli", "mariadb", "h2", "raw");

    /** The heap docs/operations.md recommends, then the JVM's own defaults for comparison. */
    static final List<List<String>> RSS_JVM = List.of(List.of("-Xmx256m"), List.of());

    static final List<String> RSS_PROCESSES = List.of("bench", "app", "h2");

    static final String USAGE = """
            usage: java -jar connector-bench/target/tributary-bench.jar [options]
              --rows N           source rows (default 1000000)
              --rounds N         rounds, alternating the cases (default 3)
              --cases LIST       which cases, comma-separated (default tributary,autosync,cli,mariadb,h2,raw;
                                 also jdbc,batch,copy; none for memory and nothing else):
                                 tributary  the pipeline, PostgreSQL source and store, cap off
                                 autosync   the first automatic sync, default settings (capped), first import only
                                 cli        the app's import command (java -Xmx256m -jar tributary.jar import)
                                 mariadb    the pipeline from the local MariaDB (root, empty password)
                                 h2         the pipeline into the embedded default store (H2 file)
                                 raw        COPY out of the source into an empty copy of the store's table
                                 jdbc, batch, copy   hand-written JDBC, Spring Batch, COPY + INSERT..SELECT
              --rss-rows LIST    peak RSS of a separate import process at these sizes (default 1000000,5000000; none to skip)
              --rss-jvm SETS     JVM options of those processes, sets separated by '|', 'default' for none
                                 (default "-Xmx256m|default": the recommended heap, then the JVM's defaults)
              --rss-processes LIST  which import processes: bench (core + PostgreSQL store), app (the app's import
                                 command), h2 (core + embedded H2 store) (default bench,app,h2)
              --idle-polls N     idle polls timed for CPU per poll (default 200; 0 to skip)
              --warmup-rows N    rows every case imports once before the rounds (default 100000)
              --fetch-size N     Tributary's fetch size (default: the product's)
              --batch-size N     Tributary's batch size (default: the product's)
              --lanes N          Tributary's concurrent writes per run (default: what the store asks for)
              --h2-options S     appended to the embedded H2 store's default URL, e.g. ';CACHE_SIZE=8192' (default none)
              --host H --port P --user U   PostgreSQL (default 127.0.0.1 5432 postgres)
              --database NAME    source database; stores go to NAME_store (default tributary_bench)
              --json PATH        results as JSON (default connector-bench/target/bench-result.json)
              --app-jar PATH     app jar for the CLI's peak RSS (default connector-app/target/tributary.jar)""";

    static BenchOptions parse(String[] args) {
        long rows = 1_000_000;
        int rounds = 3;
        List<String> cases = HEADLINE_CASES;
        List<Long> rssRows = List.of(1_000_000L, 5_000_000L);
        List<List<String>> rssJvm = RSS_JVM;
        List<String> rssProcesses = RSS_PROCESSES;
        int idlePolls = 200;
        long warmupRows = 100_000;
        String host = "127.0.0.1";
        int port = 5432;
        String user = "postgres";
        String database = "tributary_bench";
        int fetchSize = 0;
        int batchSize = 0;
        int lanes = 0;
        String h2Options = "";
        Path json = Path.of("connector-bench/target/bench-result.json");
        Path appJar = Path.of("connector-app/target/tributary.jar");
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (name.equals("--help") || name.equals("-h")) {
                throw new IllegalArgumentException("");
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(name + " needs a value");
            }
            String value = args[++i];
            switch (name) {
                case "--rows" -> rows = positive(name, value);
                case "--rounds" -> rounds = (int) positive(name, value);
                case "--cases" -> cases = cases(value);
                case "--rss-rows" -> rssRows = value.equals("none") ? List.of() : longs(name, value);
                case "--rss-jvm" -> rssJvm = jvmSets(value);
                case "--rss-processes" -> rssProcesses = processes(value);
                case "--idle-polls" -> idlePolls = (int) nonNegative(name, value);
                case "--warmup-rows" -> warmupRows = nonNegative(name, value);
                case "--fetch-size" -> fetchSize = (int) positive(name, value);
                case "--batch-size" -> batchSize = (int) positive(name, value);
                case "--lanes" -> lanes = (int) positive(name, value);
                case "--h2-options" -> h2Options = h2Options(value);
                case "--host" -> host = value;
                case "--port" -> port = (int) positive(name, value);
                case "--user" -> user = value;
                case "--database" -> database = identifier(name, value);
                case "--json" -> json = Path.of(value);
                case "--app-jar" -> appJar = Path.of(value);
                default -> throw new IllegalArgumentException("unknown option " + name);
            }
        }
        return new BenchOptions(rows, rounds, cases, rssRows, rssJvm, rssProcesses, idlePolls, Math.min(warmupRows, rows), host, port, user,
                database, fetchSize, batchSize, lanes, h2Options, json, appJar);
    }

    private static String h2Options(String value) {
        if (!value.isEmpty() && !value.startsWith(";")) {
            throw new IllegalArgumentException("--h2-options must start with ';', as in ';CACHE_SIZE=8192'");
        }
        return value;
    }

    String jdbcUrl(String db) {
        return "jdbc:postgresql://" + host + ":" + port + "/" + db;
    }

    String sourceDatabase() {
        return database;
    }

    String storeDatabase() {
        return database + "_store";
    }

    private static List<String> cases(String value) {
        if (value.equals("none")) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (String c : value.split(",")) {
            String name = c.strip().toLowerCase(Locale.ROOT);
            if (!ALL_CASES.contains(name)) {
                throw new IllegalArgumentException("--cases: unknown case '" + name + "', expected some of " + ALL_CASES);
            }
            out.add(name);
        }
        return List.copyOf(out);
    }

    private static List<String> processes(String value) {
        List<String> out = new ArrayList<>();
        for (String p : value.split(",")) {
            String name = p.strip().toLowerCase(Locale.ROOT);
            if (!RSS_PROCESSES.contains(name)) {
                throw new IllegalArgumentException("--rss-processes: unknown process '" + name + "', expected some of "
                        + RSS_PROCESSES);
            }
            out.add(name);
        }
        return List.copyOf(out);
    }

    private static List<List<String>> jvmSets(String value) {
        List<List<String>> out = new ArrayList<>();
        for (String set : value.split("\\|")) {
            String options = set.strip();
            if (options.isEmpty()) {
                throw new IllegalArgumentException("--rss-jvm: an empty option set; write 'default' for the JVM's defaults");
            }
            List<String> list = options.equals("default") ? List.of() : List.of(options.split("\\s+"));
            for (String o : list) {
                if (!o.startsWith("-")) {
                    throw new IllegalArgumentException("--rss-jvm: '" + o + "' is not a JVM option");
                }
            }
            out.add(list);
        }
        return List.copyOf(out);
    }

    private static List<Long> longs(String name, String value) {
        List<Long> out = new ArrayList<>();
        for (String v : value.split(",")) {
            out.add(positive(name, v.strip()));
        }
        return List.copyOf(out);
    }

    private static long positive(String name, String value) {
        long v = nonNegative(name, value);
        if (v == 0) {
            throw new IllegalArgumentException(name + " must be > 0 but it was " + value);
        }
        return v;
    }

    private static long nonNegative(String name, String value) {
        try {
            long v = Long.parseLong(value.replace("_", ""));
            if (v < 0) {
                throw new IllegalArgumentException(name + " must be >= 0 but it was " + value);
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number but it was '" + value + "'");
        }
    }

    private static String identifier(String name, String value) {
        if (!value.matches("[a-z_][a-z0-9_]{0,50}")) {
            throw new IllegalArgumentException(name + " must be a lower-case identifier but it was '" + value + "'");
        }
        if (!value.startsWith("tributary_bench")) {
            throw new IllegalArgumentException(name + " must start with tributary_bench (the bench drops and recreates its tables)");
        }
        return value;
    }
}
