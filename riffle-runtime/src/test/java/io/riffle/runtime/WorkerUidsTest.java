package io.riffle.runtime;

import io.riffle.core.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WorkerUidsTest {
    @TempDir
    Path dir;

    @Test
    void twoHoldersOfOneRangeNeverShareAUidAndAKeyGetsItsUidBackWhenFree() {
        List<Integer> fresh = new ArrayList<>();
        Path leases = dir.resolve("leases");
        var first = new WorkerUids(leases, dir.resolve("a/worker-uids"), 50_000, 4, fresh::add);
        var second = new WorkerUids(leases, dir.resolve("b/worker-uids"), 50_000, 4, fresh::add);

        int a = first.uidFor("p1");
        int b = second.uidFor("p1");
        int c = first.uidFor("check");

        assertThat(List.of(a, b, c)).doesNotHaveDuplicates().allMatch(uid -> uid >= 50_000 && uid < 50_004);
        assertThat(first.uidFor("p1")).isEqualTo(a);
        assertThat(first.holds(a)).isTrue();
        assertThat(first.holds(b)).isFalse();
        assertThat(fresh).containsExactly(a, b, c);
        assertThat(second.uidFor("p2")).isNotIn(a, b, c);
        assertThatThrownBy(() -> second.uidFor("p3")).hasMessageContaining("RIFFLE_WORKER_UID_COUNT");
    }

    @Test
    void theRememberedUidIsTakenAgainAfterARestart() throws Exception {
        Path prefs = dir.resolve("worker-uids");
        var before = new WorkerUids(dir.resolve("leases-1"), prefs, 50_000, 100, uid -> { });
        before.uidFor("x");
        int uid = before.uidFor("p1");

        var after = new WorkerUids(dir.resolve("leases-2"), prefs, 50_000, 100, uid2 -> { });

        assertThat(after.uidFor("p1")).isEqualTo(uid);
        assertThat(Files.readAllLines(prefs)).containsExactly("x 50000", "p1 50001");
    }

    @Test
    void isolationSettingsNameTheBadVariable() {
        assertThat(WorkerIsolation.fromEnvironment(Map.of())).isEqualTo(new WorkerIsolation(
                WorkerIsolation.Mode.AUTO, 40_000, 10_000, -1, 256));
        assertThat(WorkerIsolation.fromEnvironment(Map.of("RIFFLE_WORKER_ISOLATION", "Required",
                "RIFFLE_WORKER_USER", "1234")).fixedUid()).isEqualTo(1234);
        assertThatThrownBy(() -> WorkerIsolation.fromEnvironment(Map.of("RIFFLE_WORKER_ISOLATION", "maybe")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("RIFFLE_WORKER_ISOLATION")
                .hasMessageContaining("'maybe'");
        assertThatThrownBy(() -> WorkerIsolation.fromEnvironment(Map.of("RIFFLE_WORKER_UID_BASE", "x")))
                .hasMessageContaining("RIFFLE_WORKER_UID_BASE").hasMessageContaining("'x'");
        assertThatThrownBy(() -> WorkerIsolation.fromEnvironment(Map.of("RIFFLE_WORKER_USER", "root")))
                .hasMessageContaining("root");
        assertThatThrownBy(() -> WorkerIsolation.fromEnvironment(Map.of("RIFFLE_WORKER_USER", "no-such-user-xyz")))
                .hasMessageContaining("no-such-user-xyz");
        assertThatThrownBy(() -> WorkerIsolation.fromEnvironment(Map.of("RIFFLE_WORKER_MAX_PROCESSES", "0")))
                .hasMessageContaining("RIFFLE_WORKER_MAX_PROCESSES");
    }
}
