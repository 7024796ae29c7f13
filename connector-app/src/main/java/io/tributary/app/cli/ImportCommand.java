package io.tributary.app.cli;

import java.io.PrintStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import io.tributary.app.imports.HistoricalImports;
import io.tributary.app.web.WindowInput;
import io.tributary.core.SourcePipeline;
import io.tributary.core.Tributary;
import io.tributary.core.event.ImportEvent;
import io.tributary.core.history.HistoricalImport;
import io.tributary.core.history.ImportStatus;
import io.tributary.core.window.Window;
import reactor.core.Disposable;

/**
 * {@code import --source ID --from ISO --to ISO}: a historical import of that range into the configured store,
 * split into chunks exactly as {@code POST /api/sources/{id}/imports} does, without moving the source's checkpoint.
 * Prints progress per chunk. Exit 0 on success, 1 when the import failed, 2 for bad arguments.
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
        if (!options.containsKey("source")) {
            throw new IllegalArgumentException("--source is missing");
        }
        Window window = WindowInput.parse("--from", options.get("from"), "--to", options.get("to"));
        return new Arguments(options.get("source").toLowerCase(Locale.ROOT), window);
    }

    /** Runs the import on a started core; returns the exit code. */
    public static int run(Tributary tributary, HistoricalImports imports, Arguments arguments, PrintStream out,
            PrintStream err) {
        SourcePipeline pipeline = tributary.pipeline(arguments.source()).orElse(null);
        if (pipeline == null) {
            err.println("no source '" + arguments.source() + "'; configured: "
                    + tributary.pipelines().stream().map(SourcePipeline::id).toList());
            return 2;
        }
        Disposable progress = tributary.events().ofType(ImportEvent.ImportProgress.class)
                .filter(e -> e.state().equals("running") && e.chunk() > 0)
                .subscribe(e -> out.printf("chunk %d of about %d done: %d rows, %.1f%%%s%n", e.chunk(), e.chunks(),
                        e.rows(), e.percent(), e.eta() == null ? "" : ", about " + e.eta().toSeconds() + " s left"));
        HistoricalImport done;
        try {
            done = imports.runToEnd(pipeline, arguments.window()).block(Duration.ofDays(7));
        } finally {
            progress.dispose();
        }
        if (done == null) {
            err.println("the import did not run");
            return 1;
        }
        if (done.status() != ImportStatus.SUCCEEDED) {
            err.println("import " + done.id() + " of " + arguments.source() + " " + arguments.window() + " "
                    + done.status().label() + " after " + done.chunksDone() + " chunk(s), imported up to " + done.cursor()
                    + ": " + done.error());
            return 1;
        }
        HistoricalImport.Counts c = done.rows();
        out.printf("imported %s %s in %d chunk(s), %d ms: read %d, inserted %d, updated %d, unchanged %d, rejected %d "
                + "(import %s)%n", arguments.source(), arguments.window(), done.chunksDone(), done.activeTime().toMillis(),
                c.read(), c.inserted(), c.updated(), c.unchanged(), c.rejected(), done.id());
        return 0;
    }
}
