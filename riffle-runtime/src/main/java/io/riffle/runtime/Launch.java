package io.riffle.runtime;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How one Python process is launched: a command prefix that drops privileges (empty for none), extra harness
 * arguments (limits), and the sandbox's bookkeeping of which processes are live workers.
 */
record Launch(List<String> prefix, List<String> harnessArgs, Tracker tracker) {
    /** As Riffle's own user, no extra limits. */
    static final Launch PLAIN = new Launch(List.of(), List.of(), new Tracker() {
        @Override
        public Process start(ProcessBuilder builder) throws IOException {
            return builder.start();
        }

        @Override
        public void ended(ProcessHandle process) {
        }
    });

    /** Starts processes and hears when they have ended; thread-safe. */
    interface Tracker {
        /** Starts the (already wrapped) command and records the process as live, atomically. */
        Process start(ProcessBuilder builder) throws IOException;

        /** The process has ended (or been killed): clean up after it. */
        void ended(ProcessHandle process);
    }
    private static final String DEFAULT_PATH = "/usr/local/bin:/usr/bin:/bin";

    Launch {
        prefix = List.copyOf(prefix);
        harnessArgs = List.copyOf(harnessArgs);
    }

    /** {@code <python> -u <harness> --handler <file> args...}. */
    static List<String> command(Path python, Path harness, Path handler, String... args) {
        List<String> command = new ArrayList<>(List.of(python.toString(), "-u", harness.toString(),
                "--handler", handler.toAbsolutePath().toString()));
        command.addAll(List.of(args));
        return command;
    }

    /** Replaces a child's environment: the given variables plus PATH, LANG, HOME and Python's I/O settings. */
    static void isolate(Map<String, String> environment, Map<String, String> given, Path home) {
        environment.clear();
        environment.put("PATH", Objects.requireNonNullElse(System.getenv("PATH"), DEFAULT_PATH));
        environment.put("LANG", "C.UTF-8");
        environment.put("HOME", home.toAbsolutePath().toString());
        environment.put("PYTHONUNBUFFERED", "1");
        environment.put("PYTHONDONTWRITEBYTECODE", "1");
        environment.putAll(given);
    }

    /** Starts {@code prefix + command} as set up in {@code builder} (whose command is replaced). */
    Process start(ProcessBuilder builder, List<String> command) throws IOException {
        return tracker.start(builder.command(wrap(command)));
    }

    /** {@code prefix + command}. */
    List<String> wrap(List<String> command) {
        List<String> all = new ArrayList<>(prefix);
        all.addAll(command);
        return all;
    }
}
