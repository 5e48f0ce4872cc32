package io.riffle.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * CPU time used by groups of processes during a measurement, from utime + stime of /proc/PID/stat (Linux), to say
 * where a run spent its 2 cores. Processes that exit during the measurement are not counted.
 */
final class CpuUsage {
    private static final double TICKS_PER_SECOND = 100.0; // USER_HZ on Linux
    private final Map<String, Supplier<List<ProcessHandle>>> groups;
    private final Map<String, Map<Long, Long>> start = new LinkedHashMap<>();

    private CpuUsage(Map<String, Supplier<List<ProcessHandle>>> groups) {
        this.groups = groups;
        groups.forEach((name, procs) -> start.put(name, ticks(procs.get())));
    }

    /** Starts measuring the named groups; each supplier is asked again at the end (workers come and go). */
    static CpuUsage start(Map<String, Supplier<List<ProcessHandle>>> groups) {
        return new CpuUsage(groups);
    }

    /** "JVM 1.23 s, python 2.34 s, ..." of CPU time since {@link #start}, with per-1,000-event cost. */
    String stop(long events) {
        return groups.entrySet().stream().map(g -> {
            var before = start.get(g.getKey());
            long used = ticks(g.getValue().get()).entrySet().stream()
                .mapToLong(e -> e.getValue() - before.getOrDefault(e.getKey(), 0L)).sum();
            double seconds = used / TICKS_PER_SECOND;
            return String.format(Locale.ROOT, "%s %.1f s (%.0f ms/1k events)", g.getKey(), seconds,
                seconds * 1e6 / Math.max(1, events));
        }).collect(Collectors.joining(", "));
    }

    private static Map<Long, Long> ticks(List<ProcessHandle> procs) {
        return procs.stream().collect(Collectors.toMap(ProcessHandle::pid, p -> ticks(p.pid()), (a, b) -> a));
    }

    static long ticks(long pid) {
        try {
            return parseTicks(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** utime + stime of a /proc/PID/stat line; the command in parentheses may contain spaces. */
    static long parseTicks(String stat) {
        var rest = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(rest[11]) + Long.parseLong(rest[12]);
    }
}
