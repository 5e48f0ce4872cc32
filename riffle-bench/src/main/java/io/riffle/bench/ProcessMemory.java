package io.riffle.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Resident memory of processes from /proc (Linux): VmRSS of /proc/PID/status and Pss of smaps_rollup. */
final class ProcessMemory {
    private ProcessMemory() {
    }

    /** VmRSS in kB; 0 when the process is gone or /proc is not there. */
    static long rssKb(long pid) {
        return field(Path.of("/proc", Long.toString(pid), "status"), "VmRSS:");
    }

    /** Proportional set size in kB (shared pages divided among their users); 0 when unknown. */
    static long pssKb(long pid) {
        return field(Path.of("/proc", Long.toString(pid), "smaps_rollup"), "Pss:");
    }

    static long rssKb(List<ProcessHandle> processes) {
        return processes.stream().mapToLong(p -> rssKb(p.pid())).sum();
    }

    static long pssKb(List<ProcessHandle> processes) {
        return processes.stream().mapToLong(p -> pssKb(p.pid())).sum();
    }

    /** The value in kB of a {@code Name:   1234 kB} line. */
    static long parseKb(String text, String name) {
        for (var line : text.split("\n")) {
            if (line.startsWith(name)) {
                var parts = line.substring(name.length()).trim().split("\\s+");
                return Long.parseLong(parts[0]);
            }
        }
        return 0;
    }

    private static long field(Path file, String name) {
        try {
            return parseKb(Files.readString(file), name);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
