package io.tributary.app.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The packaged jar run as a user runs it: a separate process, configured by real environment variables. */
public final class AppProcess {

    /** What the process printed and how it ended. */
    public record Result(int exitCode, String output) {
    }

    private AppProcess() {
    }

    public static Result run(Map<String, String> environment, String... args) throws IOException, InterruptedException {
        Path jar = Path.of("target", "tributary.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar.toAbsolutePath() + " is missing: run the package phase first");
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-jar", jar.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("TRIBUTARY_"));
        pb.environment().putAll(environment);
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the process did not end within 120 s: " + new String(p.getInputStream().readAllBytes(),
                    StandardCharsets.UTF_8));
        }
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }
}
