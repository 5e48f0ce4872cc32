package io.riffle.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Where the runtime's files and interpreter come from when nothing is configured, so that isolated workers (another
 * uid) can reach them. Root's defaults are the usual trap: {@code ~/.riffle} lies under {@code /root} (0700) and a
 * pyenv {@code python3} under {@code /root/.pyenv}; neither can be entered by a worker uid, and isolation would be
 * turned off with a warning. Pure file-system checks, no processes.
 */
final class RuntimePlacement {
    /** Interpreters tried, in order, when {@code RIFFLE_PYTHON} is unset and PATH's python3 cannot be reached. */
    static final List<String> SYSTEM_PYTHONS = List.of("/usr/bin/python3", "/usr/local/bin/python3");
    /** Parent of the runtime dirs of data dirs that worker uids cannot enter. */
    static final Path SHARED_RUNTIME_ROOT = Path.of("/var/lib/riffle");

    private RuntimePlacement() {
    }

    /**
     * The interpreter: {@code RIFFLE_PYTHON} when set; otherwise PATH's {@code python3} when other users can reach
     * it (or isolation is off, or Riffle is not root); otherwise the first reachable system interpreter.
     */
    static String python(Map<String, String> env, WorkerIsolation isolation, boolean root) {
        var configured = env.get("RIFFLE_PYTHON");
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        if (!root || isolation.mode() == WorkerIsolation.Mode.OFF) {
            return "python3";
        }
        var onPath = onPath(env.getOrDefault("PATH", ""), "python3");
        if (onPath != null && reachableByOthers(onPath)) {
            return "python3";
        }
        return SYSTEM_PYTHONS.stream().map(Path::of).filter(Files::isExecutable)
            .filter(RuntimePlacement::reachableByOthers).map(Path::toString).findFirst().orElse("python3");
    }

    /**
     * The directory for the harness, virtualenvs, handler files and work dirs: {@code RIFFLE_RUNTIME_DIR} when
     * set; the data dir itself when other users can enter its parents (or isolation is off, or Riffle is not root);
     * otherwise {@code /var/lib/riffle/runtime-<hash of the data dir>}. Secrets stay in the data dir either way.
     */
    static Path runtimeDir(Path dataDir, Map<String, String> env, WorkerIsolation isolation, boolean root) {
        var configured = env.get("RIFFLE_RUNTIME_DIR");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath();
        }
        var absolute = dataDir.toAbsolutePath().normalize();
        if (!root || isolation.mode() == WorkerIsolation.Mode.OFF || absolute.getParent() == null
            || reachableByOthers(absolute)) {
            return dataDir;
        }
        return SHARED_RUNTIME_ROOT.resolve("runtime-" + shortHash(absolute.toString()));
    }

    /** Whether every directory above {@code file} (after resolving links) lets other users pass (o+x). */
    static boolean reachableByOthers(Path file) {
        try {
            var real = file.toRealPath();
            for (var dir = real.getParent(); dir != null; dir = dir.getParent()) {
                if (!Files.getPosixFilePermissions(dir).contains(PosixFilePermission.OTHERS_EXECUTE)) {
                    return false;
                }
            }
            return true;
        } catch (IOException | UnsupportedOperationException e) {
            // not there yet, or not POSIX: judge by the nearest existing parent
            var parent = file.toAbsolutePath().getParent();
            return parent != null && !parent.equals(file) && Files.exists(parent) ? reachableByOthers(parent)
                && traversable(parent) : false;
        }
    }

    private static boolean traversable(Path dir) {
        try {
            return Files.getPosixFilePermissions(dir).contains(PosixFilePermission.OTHERS_EXECUTE);
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    private static Path onPath(String path, String name) {
        for (var dir : path.split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
                return Path.of(dir, name);
            }
        }
        return null;
    }

    private static String shortHash(String text) {
        try {
            var digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing", e);
        }
    }
}
