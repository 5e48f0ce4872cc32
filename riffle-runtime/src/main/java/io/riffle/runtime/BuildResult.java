package io.riffle.runtime;

import java.nio.file.Path;

/**
 * The outcome of preparing a function version to run.
 *
 * @param ok     whether the environment is ready and the handler imports
 * @param python the interpreter to run the version with (meaningful when {@code ok})
 * @param log    pip output and the import check, or the error, for people
 */
public record BuildResult(boolean ok, Path python, String log) {
}
