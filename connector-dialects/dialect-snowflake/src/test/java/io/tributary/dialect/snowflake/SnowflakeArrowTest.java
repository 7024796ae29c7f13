package io.tributary.dialect.snowflake;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Why the sessions ask for JSON results: the driver's shaded Arrow cannot allocate memory on this Java without
 * {@code --add-opens=java.base/java.nio=ALL-UNNAMED}. If a driver upgrade makes the first case pass, Arrow can be
 * allowed again.
 */
class SnowflakeArrowTest {

    /** Allocates through the driver's Arrow in a fresh JVM; prints {@code arrow ok} or {@code arrow failed: ...}. */
    public static void main(String[] args) {
        try {
            Object allocator = Class.forName("net.snowflake.client.jdbc.internal.apache.arrow.memory.RootAllocator")
                    .getConstructor().newInstance();
            ((AutoCloseable) allocator).close();
            System.out.println("arrow ok");
        } catch (Throwable t) {
            Throwable root = t;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            System.out.println("arrow failed: " + root);
        }
    }

    @Test
    @DisplayName("Arrow fails on Java 17 without --add-opens, and works with it")
    void arrowNeedsAddOpens() throws IOException, InterruptedException {
        assertThat(run()).contains("arrow failed:").contains("does not \"opens java.nio\"");
        assertThat(run("--add-opens=java.base/java.nio=ALL-UNNAMED")).contains("arrow ok");
    }

    private static String run(String... jvmFlags) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(jvmFlags));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), SnowflakeArrowTest.class.getName()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(output).isZero();
        return output;
    }
}
