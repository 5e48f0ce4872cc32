package io.riffle.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Child processes (nats-server, PostgreSQL) outlive a Riffle killed with SIGKILL. Their pid files let the next start
 * stop them cleanly before it starts its own on the same data.
 */
final class PidFiles {
    private static final Logger LOG = LoggerFactory.getLogger(PidFiles.class);

    private PidFiles() {
    }

    /** Stops the process named in the first line of {@code pidFile} if it still runs and is {@code expected}. */
    static void stopLeftover(Path pidFile, String expected) {
        readPid(pidFile).flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive)
            .filter(p -> p.info().command().map(c -> c.contains(expected)).orElse(false))
            .ifPresent(p -> {
                LOG.info("stopping {} (pid {}) left running by an earlier Riffle", expected, p.pid());
                p.destroy();
                if (!waitFor(p, Duration.ofSeconds(30))) {
                    p.destroyForcibly();
                    waitFor(p, Duration.ofSeconds(10));
                }
            });
    }

    static void write(Path pidFile, long pid) {
        try {
            Files.writeString(pidFile, pid + "\n");
        } catch (IOException e) {
            LOG.warn("cannot write {}: {}", pidFile, e.toString());
        }
    }

    private static Optional<Long> readPid(Path pidFile) {
        try {
            if (!Files.exists(pidFile)) {
                return Optional.empty();
            }
            var first = Files.readAllLines(pidFile).stream().findFirst().orElse("").trim();
            return first.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(first));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static boolean waitFor(ProcessHandle p, Duration d) {
        try {
            p.onExit().get(d.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return !p.isAlive();
        }
    }
}
