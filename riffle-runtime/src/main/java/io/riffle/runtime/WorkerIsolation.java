package io.riffle.runtime;

import io.riffle.core.InvalidInputException;
import io.riffle.core.RiffleException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * How function workers are separated from Riffle and from each other.
 *
 * <p>When Riffle may switch users (it runs as root, or holds CAP_SETUID, CAP_SETGID, CAP_CHOWN and CAP_FOWNER),
 * every pipeline's workers run under their own unprivileged uid from {@code [uidBase + 1, uidBase + uidCount)}
 * (kept in {@code <dataDir>/runtime/worker-uids}), import checks and test runs under {@code uidBase}, each with
 * {@code RLIMIT_NPROC = maxProcesses}. With {@code fixedUid} set, all of them run under that one uid instead.
 *
 * @param mode         {@code RIFFLE_WORKER_ISOLATION}: {@code auto} (default), {@code required} or {@code off}
 * @param uidBase      {@code RIFFLE_WORKER_UID_BASE} (default 40000)
 * @param uidCount     {@code RIFFLE_WORKER_UID_COUNT} (default 10000): how many uids Riffle may use from the base
 * @param fixedUid     {@code RIFFLE_WORKER_USER} (a user name or uid), or -1 for one uid per pipeline
 * @param maxProcesses {@code RIFFLE_WORKER_MAX_PROCESSES} (default 256): processes and threads one uid may have
 */
public record WorkerIsolation(Mode mode, int uidBase, int uidCount, int fixedUid, int maxProcesses) {
    public static final int DEFAULT_UID_BASE = 40_000;
    public static final int DEFAULT_UID_COUNT = 10_000;
    public static final int DEFAULT_MAX_PROCESSES = 256;
    /** Workers run as Riffle's own user, with no process limit. */
    public static final WorkerIsolation OFF = new WorkerIsolation(Mode.OFF, DEFAULT_UID_BASE, DEFAULT_UID_COUNT, -1,
            DEFAULT_MAX_PROCESSES);

    /** What Riffle does when it cannot switch users or the worker user cannot run Python on the data dir. */
    public enum Mode {
        /** Isolate when possible; otherwise run workers as Riffle's user and say why at start-up. */
        AUTO,
        /** Isolate or refuse to start. */
        REQUIRED,
        /** Never switch users. */
        OFF
    }

    public WorkerIsolation {
        if (mode == null) {
            throw new InvalidInputException("RIFFLE_WORKER_ISOLATION must be auto, required or off");
        }
        if (uidBase < 1 || uidCount < 2 || (long) uidBase + uidCount > Integer.MAX_VALUE) {
            throw new InvalidInputException("RIFFLE_WORKER_UID_BASE and RIFFLE_WORKER_UID_COUNT must give a range of "
                    + "at least 2 uids above 0; got base " + uidBase + " and count " + uidCount);
        }
        if (fixedUid == 0) {
            throw new InvalidInputException("RIFFLE_WORKER_USER must not be root (uid 0)");
        }
        if (maxProcesses < 1) {
            throw new InvalidInputException("RIFFLE_WORKER_MAX_PROCESSES must be at least 1; got " + maxProcesses);
        }
    }

    /** The settings from {@code RIFFLE_WORKER_*} variables; names the variable and value that is wrong. */
    public static WorkerIsolation fromEnvironment(Map<String, String> env) {
        String modeText = env.getOrDefault("RIFFLE_WORKER_ISOLATION", "auto").strip();
        Mode mode;
        try {
            mode = Mode.valueOf(modeText.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("RIFFLE_WORKER_ISOLATION must be auto, required or off; got '"
                    + modeText + "'");
        }
        String user = env.get("RIFFLE_WORKER_USER");
        return new WorkerIsolation(mode,
                intVar(env, "RIFFLE_WORKER_UID_BASE", DEFAULT_UID_BASE),
                intVar(env, "RIFFLE_WORKER_UID_COUNT", DEFAULT_UID_COUNT),
                user == null || user.isBlank() ? -1 : uidOf(user.strip(), Path.of("/etc/passwd")),
                intVar(env, "RIFFLE_WORKER_MAX_PROCESSES", DEFAULT_MAX_PROCESSES));
    }

    /** Whether all workers share the one {@link #fixedUid}. */
    public boolean fixedUser() {
        return fixedUid > 0;
    }

    /** A uid given as a number or as a user name looked up in {@code passwd}. */
    static int uidOf(String user, Path passwd) {
        if (user.chars().allMatch(Character::isDigit)) {
            try {
                return Integer.parseInt(user);
            } catch (NumberFormatException e) {
                throw new InvalidInputException("RIFFLE_WORKER_USER is not a valid uid: '" + user + "'");
            }
        }
        try {
            for (String line : Files.readAllLines(passwd)) {
                String[] fields = line.split(":");
                if (fields.length > 2 && fields[0].equals(user)) {
                    return Integer.parseInt(fields[2]);
                }
            }
        } catch (IOException | NumberFormatException e) {
            throw new RiffleException("cannot look up RIFFLE_WORKER_USER '" + user + "' in " + passwd, e);
        }
        throw new InvalidInputException("RIFFLE_WORKER_USER names no user of this machine: '" + user + "'");
    }

    private static int intVar(Map<String, String> env, String key, int fallback) {
        String text = env.get(key);
        if (text == null || text.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw new InvalidInputException(key + " must be a whole number; got '" + text + "'");
        }
    }
}
