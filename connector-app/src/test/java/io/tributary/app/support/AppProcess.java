package io.tributary.app.support;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
        Process p = builder(environment, args).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the process did not end within 120 s: " + new String(p.getInputStream().readAllBytes(),
                    StandardCharsets.UTF_8));
        }
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    /** Starts the server on a free port and waits until its health endpoint answers. */
    public static Server start(Map<String, String> environment) throws IOException, InterruptedException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Process p = builder(environment, "--server.port=" + port).start();
        Server server = new Server(p, port);
        server.awaitHealthy(Duration.ofSeconds(90));
        return server;
    }

    private static ProcessBuilder builder(Map<String, String> environment, String... args) {
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
        return pb;
    }

    /** A running server process; everything it prints is kept. */
    public static final class Server implements AutoCloseable {
        private final Process process;
        private final int port;
        private final StringBuffer output = new StringBuffer();
        private final Thread reader;

        private Server(Process process, int port) {
            this.process = process;
            this.port = port;
            this.reader = new Thread(() -> copy(process.getInputStream()), "app-output-" + process.pid());
            reader.setDaemon(true);
            reader.start();
        }

        private void copy(InputStream in) {
            byte[] buffer = new byte[8192];
            try {
                for (int n; (n = in.read(buffer)) > 0;) {
                    output.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                // the process ended
            }
        }

        private void awaitHealthy(Duration timeout) throws InterruptedException {
            HttpClient http = HttpClient.newHttpClient();
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new AssertionError("the app exited with " + process.exitValue() + ":\n" + output());
                }
                try {
                    HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/actuator/health"))
                            .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                    if (r.statusCode() == 200) {
                        return;
                    }
                } catch (IOException notYet) {
                    // not listening yet
                }
                Thread.sleep(200); // polling for start-up, not timing anything
            }
            throw new AssertionError("the app was not healthy within " + timeout + ":\n" + output());
        }

        public int port() {
            return port;
        }

        public String baseUrl() {
            return "http://127.0.0.1:" + port;
        }

        public long pid() {
            return process.pid();
        }

        /** Everything printed so far. */
        public String output() {
            return output.toString();
        }

        /** {@code kill -9}: no shutdown hook, no graceful stop. */
        public void kill9() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }

        /** SIGTERM, a graceful stop; returns everything printed. */
        @Override
        public void close() throws InterruptedException {
            if (process.isAlive()) {
                process.destroy();
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            }
            reader.join(5_000);
        }
    }
}
