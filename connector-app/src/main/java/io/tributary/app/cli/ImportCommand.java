package io.tributary.app.cli;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

import io.tributary.core.SourcePipeline;
import io.tributary.core.Tributary;
import io.tributary.core.sink.RunRecord;
import io.tributary.core.window.Window;

/**
 * {@code import --source ID --from ISO --to ISO}: one import of that window into the configured store, without
 * moving the source's checkpoint. Exit 0 on success, 1 when the run failed, 2 for bad arguments.
 */
public final class ImportCommand {

    public static final String USAGE = "usage: java -jar tributary.jar import --source ID --from 2024-01-01T00:00:00Z --to 2024-02-01T00:00:00Z";

    private ImportCommand() {
    }

    /** Parsed arguments; {@link #parse} reports the first mistake. */
    public record Arguments(String source, Window window) {
    }

    public static Arguments parse(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + a + "'");
            }
            String name = a.substring(2);
            String value;
            if (name.contains("=")) {
                value = name.substring(name.indexOf('=') + 1);
                name = name.substring(0, name.indexOf('='));
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new IllegalArgumentException("--" + name + " needs a value");
            }
            if (!name.equals("source") && !name.equals("from") && !name.equals("to")) {
                throw new IllegalArgumentException("unknown option --" + name);
            }
            options.put(name, value);
        }
        for (String required : new String[] {"source", "from", "to"}) {
            if (!options.containsKey(required)) {
                throw new IllegalArgumentException("--" + required + " is missing");
            }
        }
        Instant from = instant("--from", options.get("from"));
        Instant to = instant("--to", options.get("to"));
        if (!to.isAfter(from)) {
            throw new IllegalArgumentException("--to must be after --from");
        }
        return new Arguments(options.get("source").toLowerCase(java.util.Locale.ROOT), new Window(from, to));
    }

    /** Runs the import on a started core; returns the exit code. */
    public static int run(Tributary tributary, Arguments arguments, PrintStream out, PrintStream err) {
        SourcePipeline pipeline = tributary.pipeline(arguments.source()).orElse(null);
        if (pipeline == null) {
            err.println("no source '" + arguments.source() + "'; configured: "
                    + tributary.pipelines().stream().map(SourcePipeline::id).toList());
            return 2;
        }
        RunRecord r = pipeline.importWindow(arguments.window()).block(Duration.ofDays(7));
        if (r == null) {
            err.println("the import did not run");
            return 1;
        }
        if (!r.succeeded()) {
            err.println("import of " + arguments.source() + " " + r.window() + " failed: " + r.error());
            return 1;
        }
        out.printf("imported %s %s in %d ms: read %d, inserted %d, updated %d, unchanged %d, rejected %d, duplicates %d%n",
                arguments.source(), r.window(), r.duration().toMillis(), r.read(), r.inserted(), r.updated(),
                r.unchanged(), r.rejected(), r.duplicates());
        r.rejections().stream().limit(20).forEach(rej -> out.println("  rejected " + rej.reason()));
        return 0;
    }

    private static Instant instant(String option, String value) {
        try {
            return java.time.OffsetDateTime.parse(value).toInstant();
        } catch (java.time.format.DateTimeParseException e) {
            try {
                return java.time.LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (java.time.format.DateTimeParseException e2) {
                throw new IllegalArgumentException(option + " '" + value + "' is not an ISO date or timestamp");
            }
        }
    }
}
