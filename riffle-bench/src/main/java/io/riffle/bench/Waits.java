package io.riffle.bench;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Sleeping and polling for the bench's driver code; interruption ends the run. */
final class Waits {
    private Waits() {
    }

    static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Polls {@code condition} every {@code interval} until it holds; false when {@code timeout} passed first. */
    static boolean until(BooleanSupplier condition, Duration interval, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            sleep(interval);
        }
        return true;
    }
}
