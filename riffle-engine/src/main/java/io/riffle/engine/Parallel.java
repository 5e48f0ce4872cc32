package io.riffle.engine;

import java.util.ArrayList;
import java.util.List;

/** Runs blocking stops side by side, each on its own virtual thread, and waits for all of them. */
final class Parallel {
    private Parallel() {
    }

    /** Runs every task at once and returns when all have finished (or the caller is interrupted). */
    static void runAll(List<Runnable> tasks) {
        var threads = new ArrayList<Thread>(tasks.size());
        for (var task : tasks) {
            threads.add(Thread.ofVirtual().start(task));
        }
        for (var t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
