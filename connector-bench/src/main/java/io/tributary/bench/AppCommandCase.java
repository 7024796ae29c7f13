package io.tributary.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.tributary.core.window.Window;

/**
 * (b) The app's own {@code import} command, as a user runs it: {@code java -Xmx256m -jar tributary.jar import --source
 * bench --from .. --to ..} with the source and the PostgreSQL store in environment variables (default settings but the
 * cap, as the other cases). Its time is the import's own, as the command prints it; the JVM's and Spring Boot's start
 * (the rest of the process's wall time) is reported apart.
 */
final class AppCommandCase implements ImportCase {

    private static final Pattern DONE = Pattern.compile(
            "imported \\S+ .* in (\\d+) chunk\\(s\\), (\\d+) ms: read (\\d+), inserted (\\d+), updated (\\d+), unchanged (\\d+)");

    private final BenchOptions options;
    private final String schema;
    private final String table;
    private long lastChunks;

    AppCommandCase(BenchOptions options, String schema, String table) {
        if (!Files.isRegularFile(options.appJar())) {
            throw new IllegalArgumentException("the app's import command needs the app jar at " + options.appJar()
                    + " (mvn -B -q package -DskipTests -pl connector-bench -am builds it); or leave 'cli' out of --cases");
        }
        this.options = options;
        this.schema = schema;
        this.table = table;
    }

    @Override
    public String name() {
        return "cli";
    }

    @Override
    public String label() {
        return "(b) the app's import command";
    }

    @Override
    public String schema() {
        return schema;
    }

    long lastChunks() {
        return lastChunks;
    }

    @Override
    public Counts run(Window window) throws Exception {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-Xmx256m",
                "-jar", options.appJar().toString(), "import", "--source", Stores.SOURCE_ID,
                "--from", window.lower().toString(), "--to", window.upper().toString()));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("TRIBUTARY_"));
        env.put("TRIBUTARY_SOURCES_BENCH_URL", "postgresql://" + options.user() + "@" + options.host() + ":" + options.port()
                + "/" + options.sourceDatabase());
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
        Path log = Files.createTempFile("tributary-bench-cli", ".log");
        long t0 = System.nanoTime();
        Process p = pb.redirectOutput(log.toFile()).start();
        if (!p.waitFor(1, java.util.concurrent.TimeUnit.HOURS)) {
            p.destroyForcibly();
        }
        int exit = p.waitFor();
        double wall = (System.nanoTime() - t0) / 1e9;
        String output = Files.readString(log);
        Files.deleteIfExists(log);
        Matcher m = DONE.matcher(output);
        if (exit != 0 || !m.find()) {
            throw new IllegalStateException("the app's import command failed (exit " + exit + "): " + output);
        }
        lastChunks = Long.parseLong(m.group(1));
        double seconds = Long.parseLong(m.group(2)) / 1000.0;
        return new Counts(Long.parseLong(m.group(3)), Long.parseLong(m.group(4)), Long.parseLong(m.group(5)),
                Long.parseLong(m.group(6)), Long.parseLong(m.group(3)), wall - seconds);
    }
}
