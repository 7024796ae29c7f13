package io.tributary.bench;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What the machine is and how busy it is, from /proc where there is one. */
final class Machine {

    private Machine() {
    }

    /** The 1, 5 and 15 minute load averages, as /proc/loadavg has them. */
    static String loadAverage() {
        String line = read("/proc/loadavg");
        if (line.isEmpty()) {
            return String.format("%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
        String[] f = line.split("\\s+");
        return f[0] + " " + f[1] + " " + f[2];
    }

    static double loadAverage1() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    static String cpuModel() {
        for (String line : lines("/proc/cpuinfo")) {
            if (line.startsWith("model name")) {
                return line.substring(line.indexOf(':') + 1).strip();
            }
        }
        return System.getProperty("os.arch");
    }

    static long memoryTotalMb() {
        for (String line : lines("/proc/meminfo")) {
            if (line.startsWith("MemTotal:")) {
                return Long.parseLong(line.replaceAll("\\D+", "")) / 1024;
            }
        }
        return -1;
    }

    /** CPU seconds this JVM has used so far, all threads. */
    static double processCpuSeconds() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime() / 1e9;
        }
        return Double.NaN;
    }

    /** CPU seconds the whole machine has been busy (every core, every process): /proc/stat minus idle and iowait. */
    static double machineBusySeconds() {
        String first = read("/proc/stat").lines().findFirst().orElse("");
        if (!first.startsWith("cpu ")) {
            return Double.NaN;
        }
        String[] f = first.substring(4).strip().split("\\s+");
        long busy = 0;
        for (int i = 0; i < Math.min(f.length, 8); i++) {
            if (i != 3 && i != 4) {
                busy += Long.parseLong(f[i]);
            }
        }
        return busy / 100.0;
    }

    /** User plus system CPU seconds of a process, from /proc/PID/stat; NaN when it is gone. */
    static double cpuSecondsOf(long pid) {
        String stat = read("/proc/" + pid + "/stat");
        if (stat.isEmpty()) {
            return Double.NaN;
        }
        return cpuSeconds(stat);
    }

    /** User plus system CPU seconds from a /proc stat line (fields after the command's closing parenthesis). */
    private static double cpuSeconds(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split("\\s+");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
    }

    /** A field of /proc/PID/status in kB (VmRSS, VmHWM); -1 when it is gone. */
    static long statusKb(long pid, String field) {
        for (String line : lines("/proc/" + pid + "/status")) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.replaceAll("\\D+", ""));
            }
        }
        return -1;
    }

    /**
     * CPU seconds of this JVM's threads by what they do: {@code [JIT compiler, garbage collector, everything else]}, from
     * /proc/self/task (Linux; NaNs elsewhere). Threads that ended since the last reading take their CPU with them.
     */
    static double[] threadCpuSeconds() {
        double[] byKind = new double[3];
        File[] tasks = new File("/proc/self/task").listFiles();
        if (tasks == null) {
            return new double[] {Double.NaN, Double.NaN, Double.NaN};
        }
        for (File task : tasks) {
            String stat = read(task.getPath() + "/stat");
            if (stat.isEmpty()) {
                continue;
            }
            String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
            double seconds = cpuSeconds(stat);
            int kind = name.contains("CompilerThre") ? 0
                    : name.startsWith("GC Thread") || name.startsWith("G1 ") || name.equals("VM Thread") ? 1 : 2;
            byKind[kind] += seconds;
        }
        return byKind;
    }

    private static String read(String path) {
        try {
            return Files.readString(Path.of(path));
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    private static List<String> lines(String path) {
        return read(path).lines().toList();
    }
}
