package dev.chatplatform.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;

/**
 * The memory processes hold, as their proportional set size ({@code Pss} of {@code /proc/<pid>/smaps_rollup}): each
 * page a process maps is counted once, split between the processes that share it. The sum of their resident sizes
 * (RSS) counts a shared page once per process: PostgreSQL's shared buffers once per backend, the JVM's libraries and
 * class data once per JVM, so summed RSS overstates what a set of processes uses.
 */
final class ProcessMemory {

    private ProcessMemory() {
    }

    /** The processes' summed proportional set size in KiB (a process that ended counts 0). */
    static long pssKib(Collection<Long> pids) {
        return pids.stream().mapToLong(ProcessMemory::pssKib).sum();
    }

    static long pssKib(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "smaps_rollup"))) {
                if (line.startsWith("Pss:")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException | RuntimeException gone) {
            // ended, or not ours to read
        }
        return 0;
    }
}
