package io.riffle.runtime;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Settings of the Python runtime.
 *
 * @param dataDir        root for the harness copy, virtualenvs ({@code venvs/<hash>}) and handler files
 * @param basePython     interpreter used for functions without requirements and to create virtualenvs
 *                       ({@code RIFFLE_PYTHON}, default {@code python3})
 * @param pipEnvironment variables handed to pip only (PIP_INDEX_URL, PIP_EXTRA_INDEX_URL, PIP_FIND_LINKS,
 *                       PIP_NO_INDEX, PIP_TRUSTED_HOST ...), taken from Riffle's own environment
 * @param buildTimeout   longest a virtualenv build may take
 */
public record RuntimeConfig(Path dataDir, String basePython, Map<String, String> pipEnvironment,
                            Duration buildTimeout) {
    public static final Duration DEFAULT_BUILD_TIMEOUT = Duration.ofMinutes(10);

    public RuntimeConfig {
        pipEnvironment = Map.copyOf(pipEnvironment);
    }

    /** Settings from the process environment: RIFFLE_PYTHON and every PIP_* variable. */
    public static RuntimeConfig fromEnvironment(Path dataDir, Map<String, String> env) {
        var pip = new java.util.HashMap<String, String>();
        env.forEach((k, v) -> {
            if (k.startsWith("PIP_")) {
                pip.put(k, v);
            }
        });
        return new RuntimeConfig(dataDir, env.getOrDefault("RIFFLE_PYTHON", "python3"), pip, DEFAULT_BUILD_TIMEOUT);
    }
}
