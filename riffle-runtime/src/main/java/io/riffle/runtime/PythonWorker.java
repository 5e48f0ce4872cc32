package io.riffle.runtime;

import io.riffle.core.RiffleException;
import io.riffle.runtime.WorkerProtocol.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/** A CPython process running the harness, spoken to over {@link WorkerProtocol}. */
final class PythonWorker implements FunctionWorker {
    static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration EXIT_GRACE = Duration.ofSeconds(2);
    private static final Duration READER_GRACE = Duration.ofSeconds(1);
    private static final int STDERR_LINES_PER_SECOND = 1000;
    private static final int LOG_ENTRIES_PER_SECOND = 10_000;
    private static final Logger LOG = LoggerFactory.getLogger(PythonWorker.class);

    private final Process process;
    private final String name;
    private final OutputStream stdin;
    private final BlockingQueue<Message> messages = new LinkedBlockingQueue<>();
    private final LogLines stderr;
    private final Thread stdoutReader;
    private final Thread stderrReader;
    private final ReentrantLock lock = new ReentrantLock();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Launch launch;
    private volatile boolean broken;

    private PythonWorker(Process process, WorkerSpec spec, Launch launch) {
        this.process = process;
        this.launch = launch;
        this.name = spec.handlerFile() + " (pid " + process.pid() + ")";
        this.stdin = new BufferedOutputStream(process.getOutputStream(), 1 << 16);
        Clock clock = Clock.systemUTC();
        this.stderr = new LogLines(spec.logs(), STDERR_LINES_PER_SECOND, clock);
        LogLines entries = new LogLines(spec.logs(), LOG_ENTRIES_PER_SECOND, clock);
        var in = new DataInputStream(new BufferedInputStream(process.getInputStream(), 1 << 16));
        this.stdoutReader = Thread.ofVirtual().name("riffle-worker-out-" + process.pid()).start(() -> {
            Message message;
            do {
                message = WorkerProtocol.read(in, entries);
                messages.add(message);
            } while (!(message instanceof WorkerProtocol.End || message instanceof WorkerProtocol.Bad));
            entries.finish();
        });
        this.stderrReader = Thread.ofVirtual().name("riffle-worker-err-" + process.pid())
                .start(() -> stderr.pump(process.getErrorStream()));
    }

    static FunctionWorker start(WorkerSpec spec) {
        return start(spec, Harness.extractToTemp(), START_TIMEOUT, Launch.PLAIN);
    }

    /**
     * Starts the process and waits for its hello.
     *
     * @throws FunctionLoadException when the handler does not import, the process exits or does not say hello
     */
    static PythonWorker start(WorkerSpec spec, Path harness, Duration startTimeout, Launch launch) {
        Objects.requireNonNull(spec, "spec");
        List<String> command = Launch.command(spec.python(), harness, spec.handlerFile(),
                "--memory-limit-mb", Integer.toString(spec.memoryLimitMb()),
                "--max-result-bytes", Integer.toString(spec.maxResultBytes()),
                "--async-concurrency", Integer.toString(spec.asyncConcurrency()));
        command.addAll(launch.harnessArgs());
        ProcessBuilder builder = new ProcessBuilder().directory(spec.workDir().toFile());
        Launch.isolate(builder.environment(), spec.environment(), spec.workDir());
        Process process;
        try {
            Files.createDirectories(spec.workDir());
            process = launch.start(builder, command);
        } catch (IOException e) {
            throw new RiffleException("cannot start " + spec.python() + " for " + spec.handlerFile(), e);
        }
        PythonWorker worker = new PythonWorker(process, spec, launch);
        try {
            worker.awaitHello(startTimeout);
        } catch (RuntimeException e) {
            worker.close(); // idempotent; also tells the launch the process is gone
            throw e;
        }
        LOG.debug("worker {} started", worker.name);
        return worker;
    }

    private void awaitHello(Duration timeout) {
        Message message;
        try {
            message = messages.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
            throw new RiffleException("interrupted while starting " + name);
        }
        switch (message) {
            case WorkerProtocol.Hello hello when hello.json().path("protocol").asInt() == WorkerProtocol.VERSION -> {
            }
            case WorkerProtocol.LoadError error -> {
                close();
                throw new FunctionLoadException(error.error(), error.traceback());
            }
            case null -> {
                kill();
                throw new FunctionLoadException("the handler did not load within " + timeout.toSeconds() + " s", "");
            }
            case WorkerProtocol.End end -> throw new FunctionLoadException(
                    "the worker stopped before loading the handler: " + exitDetail(), "");
            default -> {
                kill();
                throw new RiffleException("worker " + name + " does not speak protocol " + WorkerProtocol.VERSION
                        + ": " + message);
            }
        }
    }

    @Override
    public BatchResult process(List<byte[]> events, Duration perEventTimeout) {
        Objects.requireNonNull(events, "events");
        long timeout = Objects.requireNonNull(perEventTimeout, "perEventTimeout").toNanos();
        byte[] frame = WorkerProtocol.batchFrame(events);
        lock.lock();
        try {
            if (events.isEmpty()) {
                return new BatchResult(List.of(), null);
            }
            if (!alive()) {
                return new BatchResult(List.of(), new WorkerCrash(WorkerCrash.Reason.EXITED,
                        "the worker is not running: " + exitDetail()));
            }
            try {
                stdin.write(frame);
                stdin.flush();
            } catch (IOException e) {
                LOG.debug("worker {} stdin closed: {}", name, e.toString()); // the reader reports how it ended
            }
            return collect(events.size(), timeout, perEventTimeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
            return new BatchResult(List.of(), new WorkerCrash(WorkerCrash.Reason.EXITED, "interrupted; worker killed"));
        } finally {
            lock.unlock();
        }
    }

    private BatchResult collect(int count, long timeoutNanos, Duration timeout) throws InterruptedException {
        List<EventOutcome> outcomes = new ArrayList<>(count);
        while (outcomes.size() < count) {
            Message message = messages.poll(timeoutNanos, TimeUnit.NANOSECONDS);
            if (message instanceof WorkerProtocol.Outcome outcome && outcome.index() == outcomes.size()) {
                outcomes.add(outcome.outcome());
            } else {
                return new BatchResult(outcomes, crash(message, "event " + outcomes.size(), timeout));
            }
        }
        Message done = messages.poll(timeoutNanos, TimeUnit.NANOSECONDS);
        if (!(done instanceof WorkerProtocol.Done d && d.count() == count)) {
            // every event has its outcome, so the batch stands; the worker is not trusted any more
            WorkerCrash crash = crash(done, "the end of the batch", timeout);
            LOG.warn("worker {} failed after its batch: {} {}", name, crash.reason(), crash.detail());
        }
        return new BatchResult(outcomes, null);
    }

    private WorkerCrash crash(Message message, String waitingFor, Duration timeout) {
        return switch (message) {
            case null -> {
                kill();
                yield new WorkerCrash(WorkerCrash.Reason.TIMEOUT, waitingFor + " took longer than " + timeout
                        + "; worker killed");
            }
            case WorkerProtocol.End end -> new WorkerCrash(WorkerCrash.Reason.EXITED, exitDetail());
            case WorkerProtocol.Bad bad -> {
                kill();
                yield new WorkerCrash(WorkerCrash.Reason.PROTOCOL_ERROR, bad.detail());
            }
            case WorkerProtocol.Outcome outcome -> {
                kill();
                yield new WorkerCrash(WorkerCrash.Reason.PROTOCOL_ERROR, "outcome for event " + outcome.index()
                        + " while waiting for " + waitingFor);
            }
            default -> {
                kill();
                yield new WorkerCrash(WorkerCrash.Reason.PROTOCOL_ERROR, "unexpected " + message.getClass()
                        .getSimpleName() + " while waiting for " + waitingFor);
            }
        };
    }

    /** How the process ended, with its last stderr lines; waits a bounded time for it to end. */
    private String exitDetail() {
        broken = true;
        try {
            if (!process.waitFor(EXIT_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                kill();
            }
            stderrReader.join(READER_GRACE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        String how = process.isAlive() ? "closed its output" : describeExit(process.exitValue());
        String tail = stderr.tail();
        return tail.isEmpty() ? how : how + "; last stderr lines:\n" + tail;
    }

    private static String describeExit(int code) {
        return code > 128 ? "killed by signal " + (code - 128) : "exited with code " + code;
    }

    /** SIGKILL to the process and its descendants, in rounds, since a fork bomb keeps making new ones. */
    private void kill() {
        broken = true;
        for (int round = 0; round < 10; round++) {
            List<ProcessHandle> tree = process.descendants().toList();
            if (tree.isEmpty()) {
                break;
            }
            tree.forEach(ProcessHandle::destroyForcibly);
        }
        process.destroyForcibly();
        try {
            process.waitFor(EXIT_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean alive() {
        return !broken && !closed.get() && process.isAlive();
    }

    @Override
    public long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (lock.tryLock()) {
            try {
                if (!broken && process.isAlive()) {
                    stdin.write(WorkerProtocol.EXIT_FRAME);
                    stdin.flush();
                }
                stdin.close();
            } catch (IOException e) {
                LOG.debug("worker {} stdin already closed: {}", name, e.toString());
            } finally {
                lock.unlock();
            }
        } else {
            kill(); // a batch is in flight on another thread: end it now, it reports the crash
        }
        try {
            if (!process.waitFor(EXIT_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroy();
                if (!process.waitFor(EXIT_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                    kill();
                }
            }
            stdoutReader.join(READER_GRACE);
            stderrReader.join(READER_GRACE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
        }
        launch.tracker().ended(process.toHandle());
        LOG.debug("worker {} closed", name);
    }
}
