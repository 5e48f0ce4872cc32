package io.riffle.runtime;

import io.riffle.core.RiffleException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.stream.Collectors;

/**
 * Runs user code under unprivileged uids (see {@link WorkerIsolation}) with {@code setpriv}: no supplementary
 * groups, no capabilities, no new privileges (setuid binaries stay powerless), and {@code RLIMIT_NPROC} set by the
 * harness. Owns the files a worker may touch ({@link SandboxFiles}) and kills what a worker leaves behind: after a
 * worker ends, every process of its uid that is neither a live worker nor a descendant of one is killed.
 * Thread-safe.
 */
final class Sandbox {
    private static final Logger LOG = LoggerFactory.getLogger(Sandbox.class);
    private static final long NEEDED_CAPABILITIES = 1L | 1L << 1 | 1L << 3 | 1L << 6 | 1L << 7; // CHOWN DAC FOWNER SETGID SETUID
    private static final Duration REAP_WAIT = Duration.ofSeconds(2);
    private static final String PROBE = "import sys, os, json; os.listdir(sys.argv[2]); open(sys.argv[1]).close(); "
            + "print(sys.version); print(sys.prefix)";

    private final String status;
    private final String setpriv;
    private final WorkerIsolation isolation;
    private final WorkerUids uids;
    private final SandboxFiles files;
    private final Map<Long, ProcessHandle> live = new ConcurrentHashMap<>();
    private final ReentrantReadWriteLock startLock = new ReentrantReadWriteLock();

    private Sandbox(String status, String setpriv, WorkerIsolation isolation, Path dataDir) {
        this.status = status;
        this.setpriv = setpriv;
        this.isolation = isolation;
        this.files = dataDir == null ? null : new SandboxFiles(dataDir);
        this.uids = dataDir == null ? null : new WorkerUids(leaseDir(), dataDir.resolve("runtime")
                .resolve("worker-uids"), isolation.uidBase(), isolation.uidCount(), this::reap);
    }

    /** Where uid leases live: one directory for every Riffle of the machine. */
    private static Path leaseDir() {
        Path run = Path.of("/run");
        return Files.isDirectory(run) && Files.isWritable(run) ? run.resolve("riffle").resolve("worker-uids")
                : Path.of(System.getProperty("java.io.tmpdir"), "riffle-worker-uids");
    }

    /** No isolation, for the reason given. */
    static Sandbox disabled(String why) {
        return disabled(why, WorkerIsolation.OFF);
    }

    private static Sandbox disabled(String why, WorkerIsolation isolation) {
        return new Sandbox(why, null, isolation, null);
    }

    /**
     * Decides whether workers can be isolated here: Riffle may switch users, {@code setpriv} is installed, and the
     * check uid runs {@code python} in a directory under {@code dataDir} exactly as Riffle does (same version and
     * prefix: an interpreter under a directory others cannot enter would silently be a different one).
     *
     * @throws RiffleException when isolation is {@code required} and not possible
     */
    static Sandbox create(WorkerIsolation isolation, Path dataDir, String python, Path harness) {
        if (isolation.mode() == WorkerIsolation.Mode.OFF) {
            return disabled("off (RIFFLE_WORKER_ISOLATION=off): functions run as Riffle's own user");
        }
        String setpriv = findSetpriv();
        String missing = !privileged() ? "Riffle runs as an unprivileged user (not root, no CAP_SETUID)"
                : setpriv == null ? "setpriv (util-linux) is not installed" : null;
        if (missing == null) {
            var sandbox = new Sandbox(describe(isolation), setpriv, isolation, dataDir);
            sandbox.files.prepareRoots(harness);
            missing = sandbox.probe(dataDir, python, harness);
            if (missing == null) {
                LOG.info("function workers: {}", sandbox.status);
                return sandbox;
            }
        }
        if (isolation.mode() == WorkerIsolation.Mode.REQUIRED) {
            throw new RiffleException("RIFFLE_WORKER_ISOLATION=required, but workers cannot be isolated: " + missing);
        }
        LOG.warn("function workers are NOT isolated from Riffle: {}. They run as Riffle's own user and can read its "
                + "data dir. See docs/reliability.md (Hostile user code).", missing);
        return disabled("not isolated: " + missing, isolation);
    }

    private static String describe(WorkerIsolation isolation) {
        return (isolation.fixedUser() ? "isolated as uid " + isolation.fixedUid()
                : "isolated, one uid per pipeline from " + isolation.uidBase())
                + ", at most " + isolation.maxProcesses() + " processes each";
    }

    boolean enabled() {
        return setpriv != null;
    }

    /** One line for the start-up banner and logs. */
    String status() {
        return status;
    }

    /** The uid a pipeline's workers run as. */
    int uidFor(String pipelineId) {
        return isolation.fixedUser() ? isolation.fixedUid() : uids.uidFor(pipelineId);
    }

    /** The uid of import checks and test runs. */
    int checkUid() {
        return isolation.fixedUser() ? isolation.fixedUid() : uids.uidFor("check");
    }

    SandboxFiles files() {
        return files;
    }

    /** The uid a worker in {@code workDir} runs as: the directory's owner, which must be a sandbox uid. */
    int ownerOf(Path workDir) {
        int owner = SandboxFiles.uid(workDir);
        if (isolation.fixedUser() ? owner != isolation.fixedUid() : !uids.holds(owner)) {
            throw new RiffleException("the work dir " + workDir + " belongs to uid " + owner
                    + ", not to a worker uid: it was not made by FunctionRuntime.workDir");
        }
        return owner;
    }

    /**
     * Builds each virtualenv under a uid of its own (the packages' build scripts are user code too), then, after
     * every process of that uid is gone, gives the tree to Riffle and makes it read-only for everyone else, so no
     * function, test run or later build can change a virtualenv another pipeline uses.
     */
    VenvBuilder.Builder venvBuilder() {
        return new VenvBuilder.Builder() {
            @Override
            public Launch prepare(Path temp, Path home, String name) {
                int uid = isolation.fixedUser() ? isolation.fixedUid() : uids.uidFor("venv:" + name);
                files.own(temp, uid);
                files.own(home, uid);
                return launch(uid);
            }

            @Override
            public void seal(Path temp) throws IOException {
                SandboxFiles.reclaim(temp);
                SandboxFiles.publish(temp);
            }
        };
    }

    /**
     * How to start user code when it is not isolated: as Riffle's user, with a process limit of what that user
     * runs now plus {@code RIFFLE_WORKER_MAX_PROCESSES} (so a fork bomb fails inside the function), unless
     * isolation is off or Riffle is root (whom the limit does not hold).
     */
    Launch unisolated() {
        int self = SandboxFiles.processUid(ProcessHandle.current().pid());
        if (isolation.mode() == WorkerIsolation.Mode.OFF || self <= 0) {
            return Launch.PLAIN;
        }
        long limit = tasksOf(self) + isolation.maxProcesses();
        return new Launch(List.of(), List.of("--max-processes", Long.toString(Math.min(limit, Integer.MAX_VALUE))),
                Launch.PLAIN.tracker());
    }

    /** Processes and threads of {@code uid} (what RLIMIT_NPROC counts). */
    static long tasksOf(int uid) {
        return ProcessHandle.allProcesses().filter(p -> SandboxFiles.processUid(p.pid()) == uid).mapToLong(p -> {
            try (var tasks = Files.list(Path.of("/proc", Long.toString(p.pid()), "task"))) {
                return tasks.count();
            } catch (IOException | RuntimeException e) {
                return 1; // gone meanwhile, or not Linux
            }
        }).sum();
    }

    /** How to start user code as {@code uid}. */
    Launch launch(int uid) {
        List<String> prefix = List.of(setpriv, "--reuid=" + uid, "--regid=" + uid, "--clear-groups",
                "--inh-caps=-all", "--no-new-privs", "--");
        List<String> args = List.of("--max-processes", Integer.toString(isolation.maxProcesses()));
        return new Launch(prefix, args, new Launch.Tracker() {
            @Override
            public Process start(ProcessBuilder builder) throws IOException {
                startLock.readLock().lock(); // a reap never sees a started worker that is not live yet
                try {
                    Process process = builder.start();
                    live.put(process.pid(), process.toHandle());
                    return process;
                } finally {
                    startLock.readLock().unlock();
                }
            }

            @Override
            public void ended(ProcessHandle process) {
                live.remove(process.pid());
                reap(uid);
            }
        });
    }

    /**
     * Kills every process of {@code uid} outside the live workers' trees (what os.fork left behind), in rounds
     * (strays may fork while they are being killed), waiting a bounded time for each round to die.
     */
    int reap(int uid) {
        if (isolation.fixedUser()) {
            return 0; // the uid is not ours alone: only a worker's own descendants are killed
        }
        startLock.writeLock().lock();
        try {
            return reapLocked(uid);
        } finally {
            startLock.writeLock().unlock();
        }
    }

    private int reapLocked(int uid) {
        Set<Long> keep = new HashSet<>();
        for (ProcessHandle worker : live.values()) {
            keep.add(worker.pid());
            worker.descendants().forEach(d -> keep.add(d.pid()));
        }
        Set<Long> killed = new HashSet<>();
        for (int round = 0; round < 10; round++) {
            List<ProcessHandle> strays = ProcessHandle.allProcesses()
                    .filter(p -> !keep.contains(p.pid()) && SandboxFiles.processUid(p.pid()) == uid).toList();
            if (strays.isEmpty()) {
                break;
            }
            strays.forEach(ProcessHandle::destroyForcibly);
            strays.forEach(p -> killed.add(p.pid()));
            awaitExit(strays);
        }
        if (!killed.isEmpty()) {
            LOG.info("killed {} process(es) of worker uid {} left behind by a worker", killed.size(), uid);
        }
        return killed.size();
    }

    private static void awaitExit(List<ProcessHandle> processes) {
        try {
            CompletableFuture.allOf(processes.stream().map(ProcessHandle::onExit).toArray(CompletableFuture[]::new))
                    .get(REAP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.debug("worker leftovers still exiting: {}", e.toString());
        }
    }

    private String probe(Path dataDir, String python, Path harness) {
        Path dir = files.scratch("probe", checkUid());
        try {
            Map<String, String> env = new HashMap<>();
            Launch.isolate(env, Map.of(), dir);
            List<String> command = List.of(python, "-c", PROBE, harness.toString(), dir.toString());
            ChildProcess.Result mine = ChildProcess.run(command, env, dir, PythonWorker.START_TIMEOUT, false);
            ChildProcess.Result theirs = ChildProcess.run(launch(checkUid()), command, env, dir,
                    PythonWorker.START_TIMEOUT, false);
            if (!theirs.ok()) {
                return "uid " + checkUid() + " cannot run " + python + " on " + dataDir + ": "
                        + theirs.errors().strip().lines().reduce((a, b) -> b).orElse("exit code " + theirs.exitCode());
            }
            if (!mine.text().equals(theirs.text())) {
                return "uid " + checkUid() + " cannot read " + python + "'s installation (it is in a directory "
                        + "other users cannot enter; set RIFFLE_PYTHON to an interpreter they can run)";
            }
            return null;
        } finally {
            VenvBuilder.deleteTree(dir);
        }
    }

    private static String findSetpriv() {
        List<String> dirs = new ArrayList<>(List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin"));
        dirs.addAll(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
        return dirs.stream().filter(d -> !d.isEmpty()).map(d -> Path.of(d, "setpriv")).filter(Files::isExecutable)
                .map(Path::toString).findFirst().orElse(null);
    }

    /** Root, or the capabilities to switch users and own their files. */
    private static boolean privileged() {
        try {
            String capEff = Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .filter(l -> l.startsWith("CapEff:")).map(l -> l.substring(7).strip())
                    .collect(Collectors.joining());
            return !capEff.isEmpty() && (Long.parseUnsignedLong(capEff, 16) & NEEDED_CAPABILITIES)
                    == NEEDED_CAPABILITIES;
        } catch (IOException | NumberFormatException e) {
            return false; // not Linux
        }
    }
}
