package dev.chatplatform.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * CPU time spent by each process of the platform, read from {@code /proc/<pid>/stat} (user + system time of
 * all its threads, in clock ticks of 10 ms). A role is a named set of processes found again at every snapshot,
 * so processes started later (a PostgreSQL backend for a new connection) are counted too.
 */
final class ProcessCpu {

    private static final long NANOS_PER_TICK = 10_000_000L; // USER_HZ is 100 on Linux

    private final Map<String, Supplier<List<Long>>> roles = new LinkedHashMap<>();

    /** Adds a role; its processes are listed afresh at each snapshot. */
    ProcessCpu role(String name, Supplier<List<Long>> pids) {
        roles.put(name, pids);
        return this;
    }

    /** CPU nanoseconds per role so far. */
    Map<String, Long> snapshot() {
        Map<String, Long> cpu = new LinkedHashMap<>();
        roles.forEach((name, pids) -> cpu.put(name, pids.get().stream().mapToLong(ProcessCpu::cpuNanos).sum()));
        return cpu;
    }

    /** What each role spent between two snapshots. */
    static Map<String, Long> between(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> spent = new LinkedHashMap<>();
        after.forEach((name, nanos) -> spent.put(name, nanos - before.getOrDefault(name, 0L)));
        return spent;
    }

    /** The process and all its descendants (a PostgreSQL postmaster and its backends). */
    static List<Long> withDescendants(long pid) {
        return ProcessHandle.of(pid).stream()
                .flatMap(p -> java.util.stream.Stream.concat(java.util.stream.Stream.of(p), p.descendants()))
                .map(ProcessHandle::pid).toList();
    }

    /** The PostgreSQL postmaster whose data directory is {@code dataDir}, or -1. */
    static long postmaster(Path dataDir) {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains("postgres") && c.contains(dataDir.toString())).orElse(false))
                .filter(p -> p.parent().map(parent -> !parent.info().commandLine().orElse("").contains(dataDir.toString())).orElse(true))
                .mapToLong(ProcessHandle::pid).findFirst().orElse(-1);
    }

    private static long cpuNanos(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // fields after the command (which may hold spaces) start after the last ')'
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * NANOS_PER_TICK;
        } catch (IOException | RuntimeException gone) {
            return 0; // the process ended
        }
    }
}
