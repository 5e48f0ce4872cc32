package io.riffle.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** The real CPython behind {@code python3} (not a pyenv shim, which adds variables of its own). */
final class TestPython {
    private static final Path PYTHON = resolve();

    private TestPython() {
    }

    static Path path() {
        return PYTHON;
    }

    private static Path resolve() {
        try {
            Process process = new ProcessBuilder("python3", "-c", "import sys; print(sys.executable)").start();
            String executable = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (process.waitFor() != 0 || executable.isEmpty()) {
                throw new IllegalStateException("python3 is needed for these tests");
            }
            return Path.of(executable);
        } catch (IOException e) {
            throw new IllegalStateException("python3 is needed for these tests", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
