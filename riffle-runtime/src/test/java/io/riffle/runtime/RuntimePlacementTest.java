package io.riffle.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuntimePlacementTest {
    private static final WorkerIsolation AUTO = WorkerIsolation.fromEnvironment(Map.of());

    @TempDir
    Path temp;

    @Test
    void aDataDirBehindAClosedDirectoryGetsASharedRuntimeDir() throws Exception {
        var closed = Files.createDirectories(temp.resolve("home"));
        Files.setPosixFilePermissions(closed, PosixFilePermissions.fromString("rwx------"));
        Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwx--x--x"));
        var dataDir = closed.resolve(".riffle");

        var chosen = RuntimePlacement.runtimeDir(dataDir, Map.of(), AUTO, true);
        assertThat(chosen.getParent()).isEqualTo(RuntimePlacement.SHARED_RUNTIME_ROOT);
        assertThat(chosen).isEqualTo(RuntimePlacement.runtimeDir(dataDir, Map.of(), AUTO, true));
        assertThat(chosen).isNotEqualTo(RuntimePlacement.runtimeDir(closed.resolve("other"), Map.of(), AUTO, true));
    }

    @Test
    void anOpenDataDirNonRootOrIsolationOffKeepTheDataDir() throws Exception {
        Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwx--x--x"));
        var open = temp.resolve("data");
        assertThat(RuntimePlacement.runtimeDir(open, Map.of(), AUTO, true)).isEqualTo(open);
        var closed = Files.createDirectories(temp.resolve("home"));
        Files.setPosixFilePermissions(closed, PosixFilePermissions.fromString("rwx------"));
        assertThat(RuntimePlacement.runtimeDir(closed.resolve("d"), Map.of(), AUTO, false)).isEqualTo(closed.resolve("d"));
        assertThat(RuntimePlacement.runtimeDir(closed.resolve("d"), Map.of("RIFFLE_WORKER_ISOLATION", "off"),
            WorkerIsolation.fromEnvironment(Map.of("RIFFLE_WORKER_ISOLATION", "off")), true))
            .isEqualTo(closed.resolve("d"));
        assertThat(RuntimePlacement.runtimeDir(closed.resolve("d"), Map.of("RIFFLE_RUNTIME_DIR", "/srv/rt"), AUTO,
            true)).isEqualTo(Path.of("/srv/rt"));
    }

    @Test
    void anUnreachablePythonOnThePathGivesWayToASystemOne() throws Exception {
        var closed = Files.createDirectories(temp.resolve("shims"));
        var python = Files.writeString(closed.resolve("python3"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(python, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(closed, PosixFilePermissions.fromString("rwx------"));
        var env = Map.of("PATH", closed.toString());

        assertThat(RuntimePlacement.python(Map.of("RIFFLE_PYTHON", "/opt/py"), AUTO, true)).isEqualTo("/opt/py");
        assertThat(RuntimePlacement.python(env, AUTO, false)).isEqualTo("python3");
        var chosen = RuntimePlacement.python(env, AUTO, true);
        assertThat(chosen).isIn("python3", "/usr/bin/python3", "/usr/local/bin/python3");
        if (Files.isExecutable(Path.of("/usr/bin/python3"))) {
            assertThat(chosen).isEqualTo("/usr/bin/python3");
        }
    }
}
