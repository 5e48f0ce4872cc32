package io.riffle.runtime;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

class VenvBuilderTest {
    @TempDir
    Path dataDir;
    @TempDir
    Path wheels;

    @Test
    void normalisedRequirementsIgnoreCommentsBlanksAndOrder() {
        assertThat(VenvBuilder.normalise("# deps\nrequests==2.0  # http\n\n  attrs\n"))
                .isEqualTo("attrs\nrequests==2.0");
        assertThat(VenvBuilder.normalise(null)).isEmpty();
    }

    @Test
    void buildsFromLocalWheelsOnceAndRunsHandlersThatImportThem() throws Exception {
        writeWheel(wheels);
        VenvBuilder builder = new VenvBuilder(dataDir.resolve("venvs"), TestPython.path().toString(),
                Map.of("PIP_NO_INDEX", "1", "PIP_FIND_LINKS", wheels.toString()), Duration.ofMinutes(2));
        String requirements = "riffletestpkg==1.0\n";

        List<VenvBuilder.Build> builds;
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            Callable<VenvBuilder.Build> build = () -> builder.build(requirements);
            List<Future<VenvBuilder.Build>> futures = executor.invokeAll(List.of(build, build));
            builds = List.of(futures.get(0).get(), futures.get(1).get());
        }

        assertThat(builds).allSatisfy(b -> assertThat(b.ok()).as(b.log()).isTrue());
        assertThat(builds).filteredOn(VenvBuilder.Build::cached).hasSize(1);
        assertThat(builds.get(0).python()).isEqualTo(builds.get(1).python())
                .startsWithRaw(dataDir.resolve("venvs")).isExecutable();
        Path venv = builds.get(0).python().getParent().getParent();
        assertThat(venv.resolve(VenvBuilder.MARKER)).exists();
        assertThat(Files.readString(venv.resolve("bin/pip"))).as("scripts name the final directory")
                .startsWith("#!" + venv).doesNotContain(".tmp-");
        try (var listing = Files.list(dataDir.resolve("venvs"))) {
            assertThat(listing.map(p -> p.getFileName().toString())).noneMatch(name -> name.contains(".tmp-"));
        }

        long start = System.nanoTime();
        VenvBuilder.Build again = builder.build("# same set\n  riffletestpkg==1.0");
        assertThat(again.cached()).isTrue();
        assertThat(again.python()).isEqualTo(builds.get(0).python());
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));

        FunctionRuntime runtime = FunctionRuntime.create(new RuntimeConfig(dataDir, TestPython.path().toString(),
                Map.of("PIP_NO_INDEX", "1", "PIP_FIND_LINKS", wheels.toString()), Duration.ofMinutes(2)));
        TestRun run = runtime.test("import riffletestpkg\ndef handler(data, log):\n    return riffletestpkg.VALUE\n",
                requirements, Map.of(), "{}".getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(10), 0);
        assertThat(PythonWorkerTest.texts(run.outcome())).containsExactly("\"from the wheel\"");
    }

    @Test
    void unknownPackageFailsWithPipsError() {
        FunctionRuntime runtime = FunctionRuntime.create(new RuntimeConfig(dataDir, TestPython.path().toString(),
                Map.of("PIP_NO_INDEX", "1", "PIP_FIND_LINKS", wheels.toString()), Duration.ofMinutes(2)));

        BuildResult result = runtime.build("def handler(d, log):\n    return d\n", "no-such-package-xyz\n", Map.of());

        assertThat(result.ok()).isFalse();
        assertThat(result.log()).contains("no-such-package-xyz").contains("ERROR");
        try (var listing = Files.list(dataDir.resolve("venvs"))) {
            assertThat(listing.map(p -> p.getFileName().toString())).noneMatch(name -> name.contains(".tmp-"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A wheel is a zip with the package and its dist-info. */
    private static void writeWheel(Path dir) throws IOException {
        try (OutputStream file = Files.newOutputStream(dir.resolve("riffletestpkg-1.0-py3-none-any.whl"));
             ZipOutputStream zip = new ZipOutputStream(file)) {
            entry(zip, "riffletestpkg/__init__.py", "VALUE = 'from the wheel'\n");
            entry(zip, "riffletestpkg-1.0.dist-info/METADATA",
                    "Metadata-Version: 2.1\nName: riffletestpkg\nVersion: 1.0\n");
            entry(zip, "riffletestpkg-1.0.dist-info/WHEEL",
                    "Wheel-Version: 1.0\nGenerator: riffle-test\nRoot-Is-Purelib: true\nTag: py3-none-any\n");
            entry(zip, "riffletestpkg-1.0.dist-info/RECORD", "riffletestpkg/__init__.py,,\n"
                    + "riffletestpkg-1.0.dist-info/METADATA,,\nriffletestpkg-1.0.dist-info/WHEEL,,\n"
                    + "riffletestpkg-1.0.dist-info/RECORD,,\n");
        }
    }

    private static void entry(ZipOutputStream zip, String name, String content) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(content.getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
    }
}
