package io.riffle.server;

import io.riffle.core.BackpressureException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Brute-force protection for password logins: after {@link #MAX_FAILURES} failures for one email within
 * {@link #WINDOW}, further attempts for that email answer 429 until the oldest failure leaves the window. Unknown
 * emails are counted the same way, so the answer never tells whether an account exists. In memory, per server.
 * Thread-safe.
 */
final class LoginGuard {
    static final int MAX_FAILURES = 5;
    static final Duration WINDOW = Duration.ofMinutes(15);
    private static final int MAX_EMAILS = 100_000;
    private final Clock clock;
    private final Map<String, Deque<Long>> failures = new ConcurrentHashMap<>();

    LoginGuard(Clock clock) {
        this.clock = clock;
    }

    /** @throws BackpressureException (429 with Retry-After) while the email is locked */
    void check(String email) {
        var times = failures.get(key(email));
        if (times == null) {
            return;
        }
        long now = clock.millis();
        synchronized (times) {
            prune(times, now);
            if (times.size() >= MAX_FAILURES) {
                long wait = times.peekFirst() + WINDOW.toMillis() - now;
                throw new BackpressureException("too many failed logins for this email; try again later",
                    (int) Math.max(1, (wait + 999) / 1000));
            }
        }
    }

    void failed(String email) {
        if (failures.size() >= MAX_EMAILS) {
            failures.clear();
        }
        var times = failures.computeIfAbsent(key(email), k -> new ArrayDeque<>());
        long now = clock.millis();
        synchronized (times) {
            prune(times, now);
            times.addLast(now);
        }
    }

    void succeeded(String email) {
        failures.remove(key(email));
    }

    private static void prune(Deque<Long> times, long now) {
        while (!times.isEmpty() && times.peekFirst() + WINDOW.toMillis() <= now) {
            times.removeFirst();
        }
    }

    private static String key(String email) {
        return email == null ? "" : email.trim().toLowerCase(Locale.ROOT);
    }
}
