package io.riffle.runtime;

import io.riffle.core.RiffleException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

/**
 * Builds one virtualenv per distinct requirements text under {@code <dataDir>/venvs/<hash16>}, once: concurrent
 * builds of the same hash wait for each other (a lock per hash in this JVM, a lock file across processes), and a
 * directory is only used once its {@code .riffle-ready} marker exists. Thread-safe.
 */
final class VenvBuilder {
    static final String MARKER = ".riffle-ready";
    private static final Logger LOG = LoggerFactory.getLogger(VenvBuilder.class);

    /** The outcome of {@link #build}: {@code python} is meaningful when {@code ok}. */
    record Build(boolean ok, Path python, String log, boolean cached) {
    }

    private final Path venvs;
    private final String basePython;
    private final Map<String, String> pipEnvironment;
    private final Duration timeout;
    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();
    private final Builder builder;

    /**
     * Who runs {@code venv} and {@code pip} (and so the packages' build scripts): Riffle itself, or the sandbox,
     * which builds each virtualenv under a uid of its own and gives the result back to Riffle before it is used.
     */
    interface Builder {
        /** As Riffle's own user. */
        Builder SELF = new Builder() {
            @Override
            public Launch prepare(Path temp, Path home, String name) {
                return Launch.PLAIN;
            }

            @Override
            public void seal(Path temp) {
            }
        };

        /** Creates {@code temp} and {@code home} for the build of {@code name}; returns how to run its commands. */
        Launch prepare(Path temp, Path home, String name) throws IOException;

        /** The build succeeded: make {@code temp} Riffle's and readable by workers, before it is moved in place. */
        void seal(Path temp) throws IOException;
    }

    VenvBuilder(Path venvs, String basePython, Map<String, String> pipEnvironment, Duration timeout) {
        this(venvs, basePython, pipEnvironment, timeout, Builder.SELF);
    }

    VenvBuilder(Path venvs, String basePython, Map<String, String> pipEnvironment, Duration timeout,
                Builder builder) {
        this.venvs = venvs;
        this.basePython = basePython;
        this.pipEnvironment = Map.copyOf(pipEnvironment);
        this.timeout = timeout;
        this.builder = builder;
    }

    /** Comments and blank lines dropped, lines trimmed and sorted: equal sets of requirements hash alike. */
    static String normalise(String requirementsTxt) {
        if (requirementsTxt == null) {
            return "";
        }
        return requirementsTxt.lines()
                .map(line -> line.startsWith("#") ? "" : line.replaceFirst("\\s+#.*$", ""))
                .map(String::strip)
                .filter(line -> !line.isEmpty())
                .sorted()
                .reduce((a, b) -> a + "\n" + b)
                .orElse("");
    }

    /** The virtualenv directory for these requirements (which may not exist yet). */
    Path directory(String requirementsTxt) {
        String normalised = normalise(requirementsTxt);
        return venvs.resolve(Harness.sha256(normalised.getBytes(StandardCharsets.UTF_8)).substring(0, 16));
    }

    /** Returns the interpreter for these requirements, building the virtualenv when it is not there. Blocking. */
    Build build(String requirementsTxt) {
        String normalised = normalise(requirementsTxt);
        if (normalised.isEmpty()) {
            return new Build(true, Path.of(basePython), "no requirements: using " + basePython + "\n", true);
        }
        Path dir = directory(normalised);
        if (Files.exists(dir.resolve(MARKER))) {
            return cached(dir);
        }
        ReentrantLock lock = locks.computeIfAbsent(dir.getFileName().toString(), k -> new ReentrantLock());
        lock.lock();
        try {
            Files.createDirectories(venvs);
            try (FileChannel channel = FileChannel.open(venvs.resolve(dir.getFileName() + ".lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                FileLock fileLock = channel.lock(); // other Riffle processes on this machine build the same hash
                try {
                    return Files.exists(dir.resolve(MARKER)) ? cached(dir) : buildInto(dir, normalised);
                } finally {
                    fileLock.release();
                }
            }
        } catch (IOException e) {
            throw new RiffleException("cannot build the virtualenv " + dir, e);
        } finally {
            lock.unlock();
        }
    }

    private static Build cached(Path dir) {
        return new Build(true, dir.resolve("bin/python"), "using the cached virtualenv " + dir + "\n", true);
    }

    private Build buildInto(Path dir, String normalised) throws IOException {
        Path temp = venvs.resolve(dir.getFileName() + ".tmp-" + UUID.randomUUID().toString().substring(0, 8));
        Path home = venvs.resolve(temp.getFileName() + ".home");
        long deadline = System.nanoTime() + timeout.toNanos();
        StringBuilder log = new StringBuilder();
        try {
            Launch launch = builder.prepare(temp, home, dir.getFileName().toString());
            Map<String, String> env = environment(launch == Launch.PLAIN ? null : home);
            log.append("$ python -m venv\n");
            ChildProcess.Result venv = ChildProcess.run(launch, List.of(basePython, "-m", "venv", temp.toString()),
                    env, launch == Launch.PLAIN ? venvs : temp, remaining(deadline), true);
            log.append(venv.text());
            if (!venv.ok()) {
                return failed(log, venv);
            }
            Path requirements = temp.resolve("requirements.txt");
            Files.writeString(requirements, normalised + "\n");
            log.append("$ pip install -r requirements.txt\n");
            ChildProcess.Result pip = ChildProcess.run(launch, List.of(temp.resolve("bin/python").toString(), "-m",
                            "pip", "install", "--disable-pip-version-check", "--no-input", "-r",
                            requirements.toString()), env, temp, remaining(deadline), true);
            log.append(pip.text());
            if (!pip.ok()) {
                return failed(log, pip);
            }
            relocate(temp, dir);
            builder.seal(temp);
            Files.writeString(temp.resolve(MARKER), normalised + "\n");
            install(temp, dir);
            LOG.info("virtualenv {} built", dir);
            return new Build(true, dir.resolve("bin/python"), log.append("virtualenv ready\n").toString(), false);
        } finally {
            deleteTree(temp);
            deleteTree(home);
        }
    }

    private Build failed(StringBuilder log, ChildProcess.Result result) {
        log.append(result.timedOut() ? "timed out after " + timeout.toSeconds() + " s\n"
                : "failed with exit code " + result.exitCode() + "\n");
        LOG.info("virtualenv build failed: {}", result.timedOut() ? "timeout" : "exit code " + result.exitCode());
        return new Build(false, null, log.toString(), false);
    }

    private void install(Path temp, Path dir) throws IOException {
        if (Files.exists(dir) && !Files.exists(dir.resolve(MARKER))) {
            deleteTree(dir); // left over by hand: only complete directories are ever renamed into place
        }
        try {
            Files.move(temp, dir, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
            if (!Files.exists(dir.resolve(MARKER))) {
                throw e;
            }
            LOG.debug("virtualenv {} was built by another process meanwhile; using it", dir);
        }
    }

    /** Scripts in bin/ name the directory they were installed in; point them at the final one. */
    private static void relocate(Path from, Path to) throws IOException {
        String oldPath = from.toString();
        try (Stream<Path> files = Files.list(from.resolve("bin"))) {
            for (Path file : files.toList()) {
                if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) && Files.size(file) < 1 << 20) {
                    // Latin-1 maps bytes one to one, so binary files survive untouched when they do not match
                    String text = Files.readString(file, StandardCharsets.ISO_8859_1);
                    if (text.contains(oldPath)) {
                        Files.writeString(file, text.replace(oldPath, to.toString()), StandardCharsets.ISO_8859_1);
                    }
                }
            }
        }
    }

    /** PATH, HOME ({@code home}, or Riffle's own when null), LANG and the PIP_* variables. */
    private Map<String, String> environment(Path home) {
        Map<String, String> env = new HashMap<>();
        env.put("PATH", Objects.requireNonNullElse(System.getenv("PATH"), "/usr/local/bin:/usr/bin:/bin"));
        env.put("HOME", home != null ? home.toString()
                : Objects.requireNonNullElse(System.getenv("HOME"), venvs.toString()));
        env.put("LANG", "C.UTF-8");
        env.putAll(pipEnvironment);
        return env;
    }

    private static Duration remaining(long deadline) {
        return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
    }

    static void deleteTree(Path root) {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    LOG.debug("cannot delete {}: {}", path, e.toString());
                }
            });
        } catch (IOException e) {
            LOG.debug("cannot delete {}: {}", root, e.toString());
        }
    }
}
