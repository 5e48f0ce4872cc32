package io.riffle.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.riffle.testkit.TestDatabase;
import io.riffle.testkit.TestNats;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Riffle run by an unprivileged user (the test drops to uid {@value #UID} with setpriv, as a service account
 * would be): it says that functions are not isolated, and what docs/reliability.md promises for that case still
 * holds: a function sees only its own environment, and a fork bomb fails inside the function (RLIMIT_NPROC of the
 * user's current tasks plus RIFFLE_WORKER_MAX_PROCESSES) and is dead-lettered. A {@code ulimit -u} of 3000 around
 * the whole process is the test's own safety net.
 */
@Timeout(300)
class NonRootIT {
    static final int UID = 41_097;
    static final String FORK_BOMB = """
        import os, time

        def handler(data, log):
            made = 0
            try:
                while True:
                    if os.fork() == 0:
                        time.sleep(20)
                        os._exit(0)
                    made += 1
            except OSError as e:
                raise RuntimeError("fork failed after %d children: %s" % (made, type(e).__name__))
        """;

    @Test
    void withoutRootFunctionsAreNotIsolatedButStillLimited() throws Exception {
        assumeThat(ProcessHandle.current().info().user().orElse("")).as("running as root").isEqualTo("root");
        assumeThat(Files.isExecutable(Path.of("/usr/bin/setpriv"))).isTrue();
        assumeThat(Files.isExecutable(Path.of("/usr/bin/python3"))).isTrue();
        try (var db = TestDatabase.create(); var nats = TestNats.start();
             var riffle = RiffleProcess.external(db, nats, Map.of("RIFFLE_PYTHON", "/usr/bin/python3",
                 "RIFFLE_WORKER_MAX_PROCESSES", "64"))) {
            Files.setOwner(riffle.dataDir(), riffle.dataDir().getFileSystem().getUserPrincipalLookupService()
                .lookupPrincipalByName(Integer.toString(UID)));
            riffle.withCommandPrefix(List.of("bash", "-c", "ulimit -u 3000; exec \"$@\"", "riffle",
                "setpriv", "--reuid=" + UID, "--regid=" + UID, "--clear-groups")).start();
            try {
                var api = Api.of(riffle);
                var space = api.createSpace("nonroot");
                var bomb = api.createPipeline(space, "bomb", FORK_BOMB, Map.of());
                var env = api.createPipeline(space, "env", "import os\ndef handler(d, log):\n    return sorted(os.environ)\n",
                    Map.of());
                api.awaitReady(bomb);
                api.awaitReady(env);

                api.publish(bomb, Map.of("n", 1)).expect(200);
                api.publish(env, Map.of("n", 1)).expect(200);
                var letter = api.consumeFailures(bomb, 1, Duration.ofSeconds(120)).getFirst().toString();
                var names = api.consumeResults(env, 1, Duration.ofSeconds(120)).getFirst().path("response");

                assertThat(riffle.logText()).contains("functions:  not isolated: Riffle runs as an unprivileged user");
                assertThat(letter).contains("fork failed after").contains("BlockingIOError");
                var seen = new ArrayList<String>();
                names.forEach(n -> seen.add(n.asText()));
                assertThat(seen).containsExactlyInAnyOrder("PATH", "HOME", "LANG", "PYTHONUNBUFFERED",
                    "PYTHONDONTWRITEBYTECODE");
                System.out.printf("NonRootIT: %s; fork bomb: %s%n", "not isolated",
                    letter.replaceAll(".*(fork failed after \\d+ children: \\w+).*", "$1"));
            } finally {
                riffle.stop();
                killAll(UID); // the bomb's sleeping children belong to the test's uid only
            }
        }
    }

    private static void killAll(int uid) {
        for (int round = 0; round < 5; round++) {
            var left = ProcessHandle.allProcesses().filter(p -> uidOf(p) == uid).toList();
            if (left.isEmpty()) {
                return;
            }
            left.forEach(ProcessHandle::destroyForcibly);
            Await.sleep(Duration.ofMillis(500));
        }
    }

    private static int uidOf(ProcessHandle p) {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc", Long.toString(p.pid())), "unix:uid");
        } catch (java.io.IOException | RuntimeException e) {
            return -1;
        }
    }
}
