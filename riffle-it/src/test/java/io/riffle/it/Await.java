package io.riffle.it;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Polling instead of fixed sleeps: wait for a condition up to a deadline, or check that one keeps holding. */
final class Await {
    private static final Duration POLL = Duration.ofMillis(100);

    private Await() {
    }

    /** Polls {@code condition} until it is true; fails after {@code timeout}. */
    static void await(Duration timeout, BooleanSupplier condition) {
        await("condition", timeout, condition);
    }

    /** Polls {@code condition} until it is true; fails after {@code timeout}, naming {@code what}. */
    static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + what);
            }
            sleep(POLL);
        }
    }

    /** Polls {@code probe} until its value passes {@code done}, and returns that value; fails after {@code timeout}. */
    static <T> T awaitValue(String what, Duration timeout, Supplier<T> probe, Predicate<? super T> done) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            T value = probe.get();
            if (done.test(value)) {
                return value;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + what
                    + "; last value: " + value);
            }
            sleep(POLL);
        }
    }

    /**
     * Checks that {@code condition} holds on every poll for the whole {@code window} (an observation period, e.g.
     * "no crash loop"), failing at the first poll where it does not.
     */
    static void holds(String what, Duration window, BooleanSupplier condition) {
        long end = System.nanoTime() + window.toNanos();
        do {
            if (!condition.getAsBoolean()) {
                throw new AssertionError("expected to keep holding, but did not: " + what);
            }
            sleep(POLL);
        } while (System.nanoTime() < end);
    }

    static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
