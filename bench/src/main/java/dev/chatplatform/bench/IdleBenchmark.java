package dev.chatplatform.bench;

import dev.chatplatform.launcher.LocalPlatform;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Start-up and idle cost of the platform (issue 14, item 4). Starts the platform as the first command does on a
 * fresh data folder, stops it, and starts it again on the same folder ({@code BENCH_STARTS}, default 2: the second
 * start is the warm one, with whatever the first one left behind, such as the JVMs' class caches). For each start
 * it prints every service's time to ready and the CPU it spent getting there, and the platform's total time to
 * ready. After the last start it lets the platform settle ({@code BENCH_SETTLE_SECONDS}, default 180: the JIT
 * compilers of the eight JVMs are still busy minutes after ready, so a shorter settle measures warm-up), then
 * measures {@code BENCH_IDLE_SECONDS} (default 60) of idle from {@code /proc}: per process (the seven services,
 * the launcher's JVM that hosts Kafka, PostgreSQL with its backends) the CPU as a share of one core and how much of
 * it the JIT compiler threads used, the thread count and the resident memory; then the threads that used the most
 * CPU or woke up most often (context switches per second), which is where idle polling shows. The load average is
 * printed beside each figure: on a shared machine they are rough.
 */
public final class IdleBenchmark {

    private static final long TICK_NANOS = 10_000_000L; // USER_HZ is 100 on Linux
    private static final int JCMD_TIMEOUT_SECONDS = 20;
    private static final Pattern NID = Pattern.compile("^\"(.*)\" .* nid=(\\d+) ");

    private IdleBenchmark() {
    }

    /**
     * One thread (or one PostgreSQL process): its role, CPU ticks and context switches so far, and whether it is one
     * of the JVM's JIT compiler threads (the kernel names them {@code C1 CompilerThre}, {@code C2 CompilerThre}).
     */
    private record ThreadSample(String role, long pid, long tid, long ticks, long switches, boolean jit) {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> settings = System.getenv();
        int starts = Integer.parseInt(settings.getOrDefault("BENCH_STARTS", "2"));
        int settle = Integer.parseInt(settings.getOrDefault("BENCH_SETTLE_SECONDS", "180"));
        int idle = Integer.parseInt(settings.getOrDefault("BENCH_IDLE_SECONDS", "60"));
        Map<String, String> env = BenchPlatform.environment();
        System.out.println("JVM options of the services: " + env.getOrDefault("PLATFORM_SERVICE_JVM_OPTS", "(the launcher's default)"));
        for (int start = 1; start <= starts; start++) {
            System.out.printf("%nStart %d of %d (%s data folder), load average %s%n", start, starts,
                    start == 1 ? "fresh" : "the same", loadAverage());
            try (LocalPlatform platform = LocalPlatform.startFromEnvironment(env)) {
                printStartup(platform);
                if (start == starts) {
                    measureIdle(platform, Path.of(env.get("PLATFORM_DATA_DIR")), settle, idle);
                }
                System.out.println("Stopping the platform...");
            }
        }
    }

    private static void printStartup(LocalPlatform platform) {
        long totalCpu = 0;
        for (Map.Entry<String, long[]> e : platform.serviceStats().entrySet()) {
            long pid = platform.servicePids().get(e.getKey());
            long cpu = threads(pid).stream().mapToLong(tid -> stat(pid, tid)[0]).sum() * TICK_NANOS;
            totalCpu += cpu;
            System.out.printf("  %-18s ready after %5.1f s, CPU to get there %5.1f s%n", e.getKey(), e.getValue()[0] / 1000.0, cpu / 1e9);
        }
        System.out.printf("Platform ready in %.1f s (the seven services used %.1f s of CPU); load average %s%n",
                platform.startupTime().toMillis() / 1000.0, totalCpu / 1e9, loadAverage());
    }

    private static void measureIdle(LocalPlatform platform, Path dataDir, int settle, int idle) throws InterruptedException {
        System.out.printf("Settling for %d s, then measuring %d s of idle...%n", settle, idle);
        Thread.sleep(settle * 1000L);
        long postmaster = ProcessCpu.postmaster(dataDir.resolve("postgres"));
        Map<String, Supplier<List<Long>>> roles = new LinkedHashMap<>();
        platform.servicePids().forEach((service, pid) -> roles.put(service, () -> List.of(pid)));
        roles.put("kafka + launcher JVM", () -> List.of(ProcessHandle.current().pid()));
        roles.put("postgresql", () -> ProcessCpu.withDescendants(postmaster));
        String loadBefore = loadAverage();
        Map<String, ThreadSample> before = sample(roles);
        long begin = System.nanoTime();
        Thread.sleep(idle * 1000L);
        Map<String, ThreadSample> after = sample(roles);
        double seconds = (System.nanoTime() - begin) / 1e9;
        String loadAfter = loadAverage();

        System.out.printf("%nIdle over %.0f s (load average before %s, after %s):%n", seconds, loadBefore, loadAfter);
        System.out.printf("  %-22s %10s %14s %12s %8s %9s%n", "process", "CPU % core", "of which JIT", "wake-ups/s",
                "threads", "RSS MiB");
        double totalCpu = 0;
        double totalJit = 0;
        double totalWakeups = 0;
        long totalThreads = 0;
        long totalRss = 0;
        for (Map.Entry<String, Supplier<List<Long>>> role : roles.entrySet()) {
            List<Long> pids = role.getValue().get();
            long ticks = 0;
            long jitTicks = 0;
            long switches = 0;
            for (Map.Entry<String, ThreadSample> t : after.entrySet()) {
                if (t.getValue().role().equals(role.getKey())) {
                    ThreadSample b = before.get(t.getKey());
                    long used = t.getValue().ticks() - (b == null ? 0 : b.ticks());
                    ticks += used;
                    jitTicks += t.getValue().jit() ? used : 0;
                    switches += t.getValue().switches() - (b == null ? 0 : b.switches());
                }
            }
            double cpu = 100.0 * ticks * TICK_NANOS / 1e9 / seconds;
            double jit = 100.0 * jitTicks * TICK_NANOS / 1e9 / seconds;
            long threads = pids.stream().mapToLong(pid -> statusValue(pid, "Threads:")).sum();
            long rss = pids.stream().mapToLong(pid -> statusValue(pid, "VmRSS:")).sum() / 1024;
            totalCpu += cpu;
            totalJit += jit;
            totalWakeups += switches / seconds;
            totalThreads += threads;
            totalRss += rss;
            System.out.printf("  %-22s %10.2f %14.2f %12.0f %8d %9d%n", role.getKey(), cpu, jit, switches / seconds,
                    threads, rss);
        }
        System.out.printf("  %-22s %10.2f %14.2f %12.0f %8d %9d%n", "all", totalCpu, totalJit, totalWakeups,
                totalThreads, totalRss);
        System.out.printf("  all but the JIT compilers: %.2f %% of a core%n", totalCpu - totalJit);
        printBusiestThreads(roles, before, after, seconds);
    }

    /** The threads that used the most CPU or woke up most often over the idle window, named as the JVM names them. */
    private static void printBusiestThreads(Map<String, Supplier<List<Long>>> roles, Map<String, ThreadSample> before,
                                            Map<String, ThreadSample> after, double seconds) {
        Map<Long, Map<Long, String>> names = new HashMap<>();
        roles.forEach((role, pids) -> pids.get().forEach(pid -> names.put(pid, threadNames(pid))));
        record Busy(String role, String name, long ticks, long switches) {
        }
        List<Busy> busy = new ArrayList<>();
        after.forEach((key, t) -> {
            ThreadSample b = before.get(key);
            long ticks = t.ticks() - (b == null ? 0 : b.ticks());
            long switches = t.switches() - (b == null ? 0 : b.switches());
            String name = names.getOrDefault(t.pid(), Map.of()).getOrDefault(t.tid(), comm(t.pid(), t.tid()));
            busy.add(new Busy(t.role(), name, ticks, switches));
        });
        busy.sort(Comparator.comparingLong(Busy::switches).reversed());
        System.out.printf("%nThe 30 threads that woke up most often (CPU in ms over the window, wake-ups per second):%n");
        busy.stream().limit(30).forEach(b -> System.out.printf("  %-22s %-60s %7d ms %8.1f/s%n",
                b.role(), truncate(b.name(), 60), b.ticks() * 10, b.switches() / seconds));
        busy.sort(Comparator.comparingLong(Busy::ticks).reversed());
        System.out.printf("%nThe 20 threads that used the most CPU:%n");
        busy.stream().limit(20).forEach(b -> System.out.printf("  %-22s %-60s %7d ms %8.1f/s%n",
                b.role(), truncate(b.name(), 60), b.ticks() * 10, b.switches() / seconds));
    }

    private static Map<String, ThreadSample> sample(Map<String, Supplier<List<Long>>> roles) {
        Map<String, ThreadSample> samples = new HashMap<>();
        roles.forEach((role, pids) -> pids.get().forEach(pid -> threads(pid).forEach(tid -> {
            long[] stat = stat(pid, tid);
            samples.put(pid + "/" + tid, new ThreadSample(role, pid, tid, stat[0], stat[1],
                    comm(pid, tid).matches("C[12] CompilerThre.*")));
        })));
        return samples;
    }

    private static List<Long> threads(long pid) {
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            return tasks.map(p -> Long.parseLong(p.getFileName().toString())).toList();
        } catch (IOException | RuntimeException gone) {
            return List.of();
        }
    }

    /** User + system ticks and voluntary + involuntary context switches of one thread, zeros when it is gone. */
    private static long[] stat(long pid, long tid) {
        Path task = Path.of("/proc", Long.toString(pid), "task", Long.toString(tid));
        try {
            String stat = Files.readString(task.resolve("stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long switches = 0;
            for (String line : Files.readAllLines(task.resolve("status"))) {
                if (line.startsWith("voluntary_ctxt_switches:") || line.startsWith("nonvoluntary_ctxt_switches:")) {
                    switches += Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
            return new long[]{Long.parseLong(fields[11]) + Long.parseLong(fields[12]), switches};
        } catch (IOException | RuntimeException gone) {
            return new long[]{0, 0};
        }
    }

    private static long statusValue(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException gone) {
            return 0;
        }
        return 0;
    }

    /**
     * Native thread id to the Java thread's full name, from {@code jcmd Thread.print}; empty for a non-JVM process.
     * jcmd gets {@link #JCMD_TIMEOUT_SECONDS}: attaching to a JVM can hang (it did once on the launcher's own JVM,
     * for minutes), and then the process is destroyed and its threads keep the kernel's 15-character names.
     */
    private static Map<Long, String> threadNames(long pid) {
        Map<Long, String> names = new HashMap<>();
        if (!comm(pid, pid).equals("java")) {
            return names;
        }
        Path out = null;
        try {
            out = Files.createTempFile("jcmd-" + pid, ".txt");
            Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    Long.toString(pid), "Thread.print").redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!jcmd.waitFor(JCMD_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                jcmd.destroyForcibly();
                System.err.printf("jcmd %d Thread.print did not answer in %d s: that process's thread names are "
                        + "the kernel's (cut to 15 characters)%n", pid, JCMD_TIMEOUT_SECONDS);
                return names;
            }
            for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
                Matcher m = NID.matcher(line);
                if (m.find()) {
                    names.put(Long.parseLong(m.group(2)), m.group(1));
                }
            }
        } catch (IOException e) {
            System.err.println("jcmd " + pid + " failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (out != null) {
                out.toFile().delete();
            }
        }
        return names;
    }

    /** The kernel's name of a thread; for a PostgreSQL process its command line, which says what it is. */
    private static String comm(long pid, long tid) {
        try {
            String comm = Files.readString(Path.of("/proc", Long.toString(pid), "task", Long.toString(tid), "comm")).trim();
            if (comm.startsWith("postgres")) {
                return Files.readString(Path.of("/proc", Long.toString(pid), "cmdline")).replace('\0', ' ').trim();
            }
            return comm;
        } catch (IOException gone) {
            return "(ended)";
        }
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }

    private static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException e) {
            return "unknown";
        }
    }
}
