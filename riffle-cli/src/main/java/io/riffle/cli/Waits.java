package io.riffle.cli;

import io.riffle.client.RiffleClientException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.function.Supplier;

/** Retrying the calls the server answers with "too early" (a function build in progress) or "too many requests". */
final class Waits {
    static final Duration BUILD_WAIT = Duration.ofMinutes(10);
    private static final long POLL_MS = 2_000;

    private Waits() {
    }

    /** Runs {@code call}, waiting while the server says a function build is still in progress. */
    static <T> T whileBuilding(Supplier<T> call, PrintStream err) {
        long deadline = System.nanoTime() + BUILD_WAIT.toNanos();
        boolean told = false;
        while (true) {
            try {
                return call.get();
            } catch (RiffleClientException.TooEarly e) {
                if (System.nanoTime() > deadline) {
                    throw new CliException(e.getMessage() + " (waited " + BUILD_WAIT.toMinutes() + " minutes)");
                }
                if (!told) {
                    err.println("riffle: waiting for the function build to finish...");
                    told = true;
                }
                sleep(POLL_MS);
            }
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted");
        }
    }
}
