package io.riffle.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.TimeUnit;

/** What the numbers were measured on, for the report. */
record MachineFacts(String date, int cores, String cpu, String memory, String jdk, String nats, String python) {

    static MachineFacts collect(String natsServer) {
        return new MachineFacts(Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
            Runtime.getRuntime().availableProcessors(), cpuModel(), memTotal(),
            System.getProperty("java.vm.vendor") + " " + System.getProperty("java.runtime.version"),
            command(natsServer, "--version"), command(System.getenv().getOrDefault("RIFFLE_PYTHON", "python3"),
                "--version"));
    }

    String markdown() {
        return "- date: " + date + "\n- cores: " + cores + " (" + cpu + ")\n- memory: " + memory + "\n- JDK: " + jdk
            + "\n- nats-server: " + nats + "\n- Python: " + python + "\n";
    }

    private static String cpuModel() {
        return proc("/proc/cpuinfo", "model name");
    }

    private static String memTotal() {
        var kb = proc("/proc/meminfo", "MemTotal").replace("kB", "").trim();
        try {
            return Math.round(Long.parseLong(kb) / 1024.0 / 1024.0) + " GiB";
        } catch (NumberFormatException e) {
            return "unknown";
        }
    }

    private static String proc(String file, String key) {
        try {
            for (var line : Files.readAllLines(Path.of(file))) {
                if (line.startsWith(key)) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException ignored) {
            // not Linux
        }
        return "unknown";
    }

    private static String command(String... cmd) {
        try {
            var p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            var out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            p.waitFor(10, TimeUnit.SECONDS);
            return out.isEmpty() ? "unknown" : out.lines().findFirst().orElse(out);
        } catch (IOException e) {
            return "not found";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }
}
