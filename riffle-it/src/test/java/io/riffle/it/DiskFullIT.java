package io.riffle.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The data dir's disk nearly full, for real: {@code riffle up} on embedded defaults with RIFFLE_DATA_DIR on a small
 * tmpfs of the test's own ({@code mount -t tmpfs}, so it needs root; skipped otherwise), and a ballast file that
 * takes the free space away while a paused pipeline is being published to. Publishing must answer a clear 507 with
 * Retry-After (never a 500) once less than RIFFLE_MIN_FREE_DISK_BYTES is free, nothing accepted may be lost or
 * corrupted, and when the ballast is removed publishing works again by itself and every accepted event is processed
 * exactly once with its payload intact. Figures go to System.out ("DiskFullIT: ..." lines).
 */
@Timeout(600)
class DiskFullIT {
    static final String SIZE = "256m";
    static final long RESERVE = 16L << 20;
    static final long LEFT = 6L << 20;
    static final int PAD = 2_000;

    @Test
    void publishIsRefusedWith507WhileTheDiskIsFullAndNothingAcceptedIsLost() throws Exception {
        var mount = Files.createTempDirectory("riffle-disk-full");
        Assumptions.assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=" + SIZE, "tmpfs", mount.toString()) == 0,
            "mounting a tmpfs needs root");
        var ballast = mount.resolve("ballast");
        // the logs stream reserves RIFFLE_MAX_STREAM_BYTES of JetStream's store up front: keep it small here
        try (var riffle = RiffleProcess.embedded(Map.of("RIFFLE_DATA_DIR", mount.resolve("riffle").toString(),
            "RIFFLE_MIN_FREE_DISK_BYTES", Long.toString(RESERVE), "RIFFLE_MAX_STREAM_BYTES", "8388608")).start()) {
            var api = Api.of(riffle);
            var p = api.createPipeline(api.createSpace("disk"), "disk", "def handler(data, log):\n    return data\n",
                Map.of("state", "paused"));
            api.awaitReady(p);
            var accepted = new LinkedHashMap<Integer, String>();
            var refusals = new TreeMap<Integer, Integer>();
            int id = 0;
            for (; id < 200; id++) {
                publish(api, p, id, accepted, refusals);
            }
            assertThat(refusals).as("refusals before the disk fills").isEmpty();
            long ballastBytes = fill(ballast, mount);
            var timing = new CrashIT.Timing();
            timing.mark("ballast of " + ballastBytes / 1024 + " KiB, " + mount.toFile().getUsableSpace() / 1024
                + " KiB left");
            Api.Response refused = null;
            for (int tries = 0; tries < 2_000 && refused == null; tries++, id++) {
                var r = publish(api, p, id, accepted, refusals);
                if (r.status() != 200) {
                    refused = r;
                }
            }
            assertThat(refused).as("a refusal once the disk is nearly full").isNotNull();
            timing.mark("refused after " + accepted.size() + " accepted: " + refused.json().path("detail").asText());
            for (int i = 0; i < 20; i++, id++) {
                publish(api, p, id, accepted, refusals);
            }
            var batch = api.data("POST", p.path("/topics/input/events/batch"), p.token(), "[{\"id\":-1}]");
            Api.assertProblem(batch, 507);
            Files.delete(ballast);
            timing.mark("ballast removed");
            int retried = id++;
            Await.await("publishing works again once space is back", Duration.ofSeconds(60),
                () -> publish(api, p, retried, accepted, refusals).status() == 200);
            timing.mark("publishing again");
            api.setState(p, "running");
            var seen = new TreeMap<Integer, Integer>();
            int corrupted = 0;
            for (var result : api.consumeResults(p, accepted.size(), Duration.ofSeconds(120))) {
                var r = result.path("response");
                seen.merge(r.path("id").asInt(), 1, Integer::sum);
                if (!r.path("pad").asText().equals(accepted.get(r.path("id").asInt()))) {
                    corrupted++;
                }
            }
            Await.awaitValue("nothing pending", Duration.ofSeconds(60), () -> api.status(p),
                s -> s.path("backlog").asInt() == 0 && s.path("in_flight").asInt() == 0);
            int extra = 0;
            while (api.consume(p).status() == 200) {
                extra++;
            }
            int dead = 0;
            while (api.consumeFailed(p).status() == 200) {
                dead++;
            }
            System.out.printf("DiskFullIT: tmpfs of %s with RIFFLE_MIN_FREE_DISK_BYTES=%d, faults injected=1 (disk "
                    + "filled to %d KiB free), events published=%d, accepted=%d, refused by status=%s, results=%d, "
                    + "lost=%d, duplicates=%d, corrupted=%d, dead letters=%d; %s%n", SIZE, RESERVE, LEFT / 1024, id,
                accepted.size(), refusals, seen.size() + extra, accepted.size() - seen.size(), extra, corrupted, dead,
                timing);
            assertThat(refusals.keySet()).as("refusal statuses").containsOnly(507);
            assertThat(seen.keySet()).isEqualTo(accepted.keySet());
            assertThat(seen.values()).allMatch(n -> n == 1);
            assertThat(extra).as("duplicates").isZero();
            assertThat(corrupted).as("corrupted payloads").isZero();
            assertThat(dead).as("dead letters").isZero();
        } finally {
            Files.deleteIfExists(ballast);
            run("umount", "-l", mount.toString());
            Files.deleteIfExists(mount);
        }
    }

    /** Publishes event {@code id} (Idempotency-Key {@code disk-<id>}); books it as accepted or refused. */
    private static Api.Response publish(Api api, Api.Pipeline p, int id, Map<Integer, String> accepted,
                                        Map<Integer, Integer> refusals) {
        var pad = Integer.toString(id).repeat(PAD / Integer.toString(id).length() + 1).substring(0, PAD);
        var r = api.send("POST", p.path("/topics/input/events"), Map.of(Api.DATA_TOKEN, p.token(), "Content-Type",
            "application/json", "Idempotency-Key", "disk-" + id), java.net.http.HttpRequest.BodyPublishers.ofString(
            "{\"id\":" + id + ",\"pad\":\"" + pad + "\"}"));
        if (r.status() == 200) {
            accepted.put(id, pad);
        } else {
            refusals.merge(r.status(), 1, Integer::sum);
            Api.assertProblem(r, r.status());
            assertThat(r.header("Retry-After")).as("Retry-After of %s", r).isNotBlank();
            HostileBodies.assertNoInternals(r);
        }
        return r;
    }

    /** Writes the ballast until only {@link #LEFT} bytes are free; returns its size. */
    private static long fill(Path ballast, Path mount) {
        var chunk = ByteBuffer.allocate(256 * 1024);
        try (var ch = FileChannel.open(ballast, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            while (mount.toFile().getUsableSpace() > LEFT + chunk.capacity()) {
                chunk.clear();
                ch.write(chunk);
            }
            ch.force(true);
            return ch.size();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int run(String... cmd) {
        try {
            var p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
            return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
