package io.riffle.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The Python SDK's own test suite (sdk/python/tests), end-to-end tests included, against a real server. */
class PythonSdkIT {
    @Test
    void pythonSdkTestsPassAgainstARunningServer() throws Exception {
        var root = Path.of(System.getProperty("riffle.root", "..")).toAbsolutePath().normalize();
        try (var riffle = RiffleProcess.embedded(Map.of()).start()) {
            var log = Files.createTempFile("python-sdk", ".log");
            var pb = new ProcessBuilder(List.of("python3", "-m", "unittest", "discover", "-s", "sdk/python/tests",
                "-v")).directory(root.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().put("RIFFLE_SERVER", riffle.baseUrl());
            pb.environment().put("RIFFLE_TOKEN", riffle.adminToken());
            pb.environment().put("PYTHONDONTWRITEBYTECODE", "1");
            var p = pb.start();
            assertThat(p.waitFor(10, TimeUnit.MINUTES)).as("python SDK tests finished").isTrue();
            var output = Files.readString(log);
            System.out.println(output.lines().filter(l -> l.startsWith("Ran ") || l.startsWith("OK")
                || l.startsWith("FAILED")).toList());
            assertThat(p.exitValue()).as(output).isZero();
            assertThat(output).contains("OK").doesNotContain("skipped=");
        }
    }
}
