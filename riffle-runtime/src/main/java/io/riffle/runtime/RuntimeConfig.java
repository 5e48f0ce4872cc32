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
 * @param isolation      which users and limits workers run with ({@code RIFFLE_WORKER_*})
 */
public record RuntimeConfig(Path dataDir, String basePython, Map<String, String> pipEnvironment,
                            Duration buildTimeout, WorkerIsolation isolation) {
    public static final Duration DEFAULT_BUILD_TIMEOUT = Duration.ofMinutes(10);

    public RuntimeConfig {
        pipEnvironment = Map.copyOf(pipEnvironment);
        isolation = isolation == null ? WorkerIsolation.OFF : isolation;
    }

    /** Settings without worker isolation (workers run as Riffle's own user). */
    public RuntimeConfig(Path dataDir, String basePython, Map<String, String> pipEnvironment, Duration buildTimeout) {
        this(dataDir, basePython, pipEnvironment, buildTimeout, WorkerIsolation.OFF);
    }

    /**
     * Settings from the process environment: RIFFLE_PYTHON, RIFFLE_RUNTIME_DIR, RIFFLE_WORKER_* and every PIP_*
     * variable. Unset, the interpreter and the runtime dir are chosen so that isolated workers can reach them
     * ({@link RuntimePlacement}).
     */
    public static RuntimeConfig fromEnvironment(Path dataDir, Map<String, String> env) {
        var pip = new java.util.HashMap<String, String>();
        env.forEach((k, v) -> {
            if (k.startsWith("PIP_")) {
                pip.put(k, v);
            }
        });
        var isolation = WorkerIsolation.fromEnvironment(env);
        boolean root = "root".equals(System.getProperty("user.name"));
        return new RuntimeConfig(RuntimePlacement.runtimeDir(dataDir, env, isolation, root),
                RuntimePlacement.python(env, isolation, root), pip, DEFAULT_BUILD_TIMEOUT, isolation);
    }
}
