package io.riffle.runtime;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * How one Python process is launched: a command prefix that drops privileges (empty for none), extra harness
 * arguments (limits), and what to do once it has started and once it has ended (the sandbox's bookkeeping).
 */
record Launch(List<String> prefix, List<String> harnessArgs, Consumer<ProcessHandle> started,
              Consumer<ProcessHandle> ended) {
    /** As Riffle's own user, no extra limits. */
    static final Launch PLAIN = new Launch(List.of(), List.of(), p -> { }, p -> { });
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

    /** {@code prefix + command}. */
    List<String> wrap(List<String> command) {
        List<String> all = new ArrayList<>(prefix);
        all.addAll(command);
        return all;
    }
}
