package io.riffle.runtime;

import io.riffle.core.RiffleException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A short-lived helper process (venv, pip, import check) run to completion with a time limit. */
final class ChildProcess {
    private static final int MAX_OUTPUT_BYTES = 1 << 20;

    /** How it ended: {@code exitCode} is -1 after a timeout; {@code output} is stdout (stderr too when merged). */
    record Result(int exitCode, boolean timedOut, byte[] output, String errors) {
        boolean ok() {
            return !timedOut && exitCode == 0;
        }

        String text() {
            return new String(output, StandardCharsets.UTF_8);
        }
    }

    private ChildProcess() {
    }

    /**
     * Runs {@code command} in {@code dir} with exactly {@code environment}; stderr is merged into the output when
     * {@code mergeErrors}. Output beyond 1 MiB is cut.
     */
    static Result run(List<String> command, Map<String, String> environment, Path dir, Duration timeout,
                      boolean mergeErrors) {
        return run(Launch.PLAIN, command, environment, dir, timeout, mergeErrors);
    }

    /** {@link #run(List, Map, Path, Duration, boolean)} through a launch (its prefix and bookkeeping). */
    static Result run(Launch launch, List<String> command, Map<String, String> environment, Path dir,
                      Duration timeout, boolean mergeErrors) {
        ProcessBuilder builder = new ProcessBuilder().directory(dir.toFile()).redirectErrorStream(mergeErrors);
        builder.environment().clear();
        builder.environment().putAll(environment);
        Process process;
        try {
            process = launch.start(builder, command);
        } catch (IOException e) {
            throw new RiffleException("cannot run " + command.getFirst(), e);
        }
        try {
            return await(process, command, timeout);
        } finally {
            launch.tracker().ended(process.toHandle());
        }
    }

    private static Result await(Process process, List<String> command, Duration timeout) {
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            // nothing to send anyway
        }
        var output = new ByteArrayOutputStream();
        var errors = new ByteArrayOutputStream();
        Thread out = Thread.ofVirtual().start(() -> drain(process.getInputStream(), output::write));
        Thread err = Thread.ofVirtual().start(() -> drain(process.getErrorStream(), errors::write));
        try {
            boolean finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
            out.join(Duration.ofSeconds(5));
            err.join(Duration.ofSeconds(5));
            return new Result(finished ? process.exitValue() : -1, !finished, output.toByteArray(),
                    errors.toString(StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            throw new RiffleException("interrupted while running " + command.getFirst());
        }
    }

    private interface Chunks {
        void write(byte[] bytes, int offset, int length);
    }

    private static void drain(InputStream in, Chunks sink) {
        byte[] buffer = new byte[8192];
        long total = 0;
        try (in) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                if (total < MAX_OUTPUT_BYTES) {
                    sink.write(buffer, 0, (int) Math.min(n, MAX_OUTPUT_BYTES - total));
                }
                total += n;
            }
        } catch (IOException e) {
            // the process ended or was killed: what was read is the output
        }
    }
}
