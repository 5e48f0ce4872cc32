package io.riffle.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.riffle.it.Api.Pipeline;
import io.riffle.testkit.TestDatabase;
import io.riffle.testkit.TestNats;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code requirements_txt} without the internet: a tiny wheel built by the test, offered through
 * {@code PIP_NO_INDEX=1} and {@code PIP_FIND_LINKS}. One Riffle for the class; each test has its own pipelines.
 */
class RequirementsIT {
    static final Duration BUILD = Duration.ofSeconds(180);
    static final String USES_PACKAGE = """
        import riffletiny

        def handler(data, log):
            return {"shout": riffletiny.shout(data["text"]), "version": riffletiny.VERSION}
        """;
    private static Path wheels;
    private static TestDatabase db;
    private static TestNats nats;
    private static RiffleProcess riffle;
    private static Api api;
    private static String space;

    @BeforeAll
    static void up() throws IOException {
        // readable by all: when Riffle runs as root, pip runs under a worker uid (docs/reliability.md)
        wheels = Files.createTempDirectory("riffle-it-wheels",
            java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x")));
        writeWheel(wheels, "riffletiny", "1.0", """
            VERSION = "1.0"


            def shout(text):
                return text.upper() + "!"
            """);
        db = TestDatabase.create();
        nats = TestNats.start();
        riffle = RiffleProcess.external(db, nats, Map.of("PIP_NO_INDEX", "1", "PIP_FIND_LINKS", wheels.toString(),
            "PIP_DISABLE_PIP_VERSION_CHECK", "1")).start();
        api = Api.of(riffle);
        space = api.createSpace("requirements");
    }

    @AfterAll
    static void down() {
        if (riffle != null) {
            riffle.close();
        }
        if (nats != null) {
            nats.close();
        }
        if (db != null) {
            db.close();
        }
        RiffleProcess.deleteTree(wheels);
    }

    @Test
    void functionImportsAnOfflinePackageAndASecondPipelineReusesItsVirtualenv() {
        long started = System.nanoTime();
        var first = api.createPipeline(space, "first", USES_PACKAGE, Map.of("requirements_txt", "riffletiny==1.0\n"));
        api.awaitReady(first);
        long firstBuild = (System.nanoTime() - started) / 1_000_000;
        api.publish(first, Map.of("text", "hello")).expect(200);
        var result = api.consumeResults(first, 1, Duration.ofSeconds(60)).get(0);
        assertThat(result.path("response").path("shout").asText()).isEqualTo("HELLO!");
        assertThat(result.path("response").path("version").asText()).isEqualTo("1.0");

        started = System.nanoTime();
        var second = api.createPipeline(space, "second", USES_PACKAGE,
            Map.of("requirements_txt", "# the same set, written differently\nriffletiny==1.0   \n\n"));
        api.awaitReady(second);
        long secondBuild = (System.nanoTime() - started) / 1_000_000;
        var log = buildLog(second, 1);
        assertThat(log).contains("using the cached virtualenv");
        assertThat(venvsFor("riffletiny==1.0")).as("virtualenvs holding riffletiny==1.0").hasSize(1);
        api.publish(second, Map.of("text", "again")).expect(200);
        assertThat(api.consumeResults(second, 1, Duration.ofSeconds(60)).get(0).path("response").path("shout")
            .asText()).isEqualTo("AGAIN!");
        System.out.printf("RequirementsIT: first build with a virtualenv %d ms, second (cached) %d ms%n",
            firstBuild, secondBuild);
    }

    @Test
    void missingPackageFailsTheBuildWithPipsError() {
        var p = api.createPipeline(space, "missing", USES_PACKAGE,
            Map.of("requirements_txt", "no-such-package-riffle\n"));
        var status = api.awaitFunctionStatus(p, "failed", BUILD);
        assertThat(status.path("function_status").asText()).isEqualTo("failed");
        assertThat(status.path("error").asText()).contains("no-such-package-riffle")
            .containsAnyOf("No matching distribution found", "Could not find a version");
        assertThat(status.path("replicas").asInt()).isZero();
        assertThat(venvsFor("no-such-package-riffle")).isEmpty();
    }

    @Test
    void callsThatNeedTheFunctionAnswer425WhileItBuilds() {
        // requirements no other test uses, so this build creates a virtualenv (seconds), not a cache hit
        var p = api.createPipeline(space, "slow-build", USES_PACKAGE,
            Map.of("requirements_txt", "riffletiny>=1.0\n"));
        var test = api.post(p.path("/functions/main/test"), Map.of("text", "early"));
        var parts = new LinkedHashMap<String, String>();
        parts.put("file", USES_PACKAGE);
        var upload = api.multipart(p.path("/functions/main/artifacts"), parts, "file");
        var stillBuilding = api.status(p).path("function_status").asText();
        assertThat(stillBuilding).as("the build must still run for this test to mean anything").isEqualTo("building");
        Api.assertProblem(test, 425);
        Api.assertProblem(upload, 425);

        api.awaitReady(p);
        var run = api.post(p.path("/functions/main/test"), Map.of("text", "late")).expect(200).json();
        assertThat(run.path("status").asText()).isEqualTo("Success");
        assertThat(run.path("response").path("shout").asText()).isEqualTo("LATE!");
    }

    private static String buildLog(Pipeline p, int version) {
        return api.get(p.path("/functions/main/versions/" + version)).expect(200).json().path("build_log").asText();
    }

    /** The finished virtualenvs whose ready marker names exactly these (normalised) requirements. */
    private static List<Path> venvsFor(String normalised) {
        try (Stream<Path> found = Files.walk(riffle.dataDir(), 3)) {
            var dirs = found.filter(d -> d.getFileName().toString().equals("venvs") && Files.isDirectory(d)).toList();
            assertThat(dirs).as("the venvs directory under the data dir").hasSize(1);
            try (Stream<Path> venvs = Files.list(dirs.get(0))) {
                return venvs.filter(v -> Files.isRegularFile(v.resolve(".riffle-ready")))
                    .filter(v -> read(v.resolve(".riffle-ready")).strip().equals(normalised)).toList();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A pure-Python wheel with one module, {@code name/__init__.py}, and the dist-info pip checks. */
    static Path writeWheel(Path dir, String name, String version, String source) throws IOException {
        var info = name + "-" + version + ".dist-info/";
        var files = new LinkedHashMap<String, byte[]>();
        files.put(name + "/__init__.py", source.getBytes(StandardCharsets.UTF_8));
        files.put(info + "METADATA", ("Metadata-Version: 2.1\nName: " + name + "\nVersion: " + version
            + "\nSummary: a wheel built by Riffle's tests\n").getBytes(StandardCharsets.UTF_8));
        files.put(info + "WHEEL", ("Wheel-Version: 1.0\nGenerator: riffle-it\nRoot-Is-Purelib: true\n"
            + "Tag: py3-none-any\n").getBytes(StandardCharsets.UTF_8));
        var record = new StringBuilder();
        files.forEach((path, bytes) -> record.append(path).append(",sha256=").append(sha256(bytes)).append(',')
            .append(bytes.length).append('\n'));
        record.append(info).append("RECORD,,\n");
        files.put(info + "RECORD", record.toString().getBytes(StandardCharsets.UTF_8));
        var wheel = dir.resolve(name + "-" + version + "-py3-none-any.whl");
        var bytes = new ByteArrayOutputStream();
        try (var zip = new ZipOutputStream(bytes)) {
            for (var e : files.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
        Files.write(wheel, bytes.toByteArray());
        return wheel;
    }

    private static String sha256(byte[] bytes) {
        try {
            return Base64.getUrlEncoder().withoutPadding()
                .encodeToString(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
