package io.riffle.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.riffle.testkit.NatsCluster;
import io.riffle.testkit.TestDatabase;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Riffle on a three-node NATS JetStream cluster with every stream at three replicas (RIFFLE_NATS_REPLICAS=3), as it
 * runs once users outgrow one machine. Mid-stream, one node that does not lead the input stream is SIGKILLed and
 * started again, then the node that leads it, then the node Riffle's NATS connection is on: the pipeline keeps running, clients retry what was refused (same
 * Idempotency-Key), and at the end published = results + dead letters with nothing lost and nothing twice. Figures
 * go to System.out ("NatsClusterIT: ..." lines).
 */
@Timeout(900)
class NatsClusterIT {
    static final int PART = 600;
    static final int BATCH = 100;
    static final Duration CATCH_UP = Duration.ofSeconds(120);

    @Test
    void killOfAFollowerAndOfTheStreamLeaderLosesAndDuplicatesNothing() {
        try (var db = TestDatabase.create(); var cluster = NatsCluster.start();
             var riffle = RiffleProcess.create("up", db, null, Map.of("RIFFLE_NATS_URL", cluster.url(),
                 "RIFFLE_NATS_PREFIX", cluster.prefix(), "RIFFLE_NATS_REPLICAS", "3")).start()) {
            var api = Api.of(riffle);
            var p = api.createPipeline(api.createSpace("cluster"), "counted", Ledger.HANDLER, Map.of());
            api.awaitReady(p);
            var inStream = cluster.prefix() + "_" + p.id() + "_IN";
            var ledger = new Ledger(api, p, "NatsClusterIT[3 nodes, R3]");
            var timing = new CrashIT.Timing();
            Await.await("the input stream current on all three nodes", CATCH_UP, () -> cluster.streamCurrent(inStream));
            var leaderAtStart = cluster.streamLeader(inStream).orElseThrow();

            ledger.publish(0, PART, BATCH);
            Await.await("results mid-stream", Duration.ofSeconds(60), () -> ledger.takeAvailable() > 0);
            var follower = cluster.names().stream().filter(n -> !n.equals(leaderAtStart)).findFirst().orElseThrow();
            cluster.kill(follower);
            timing.mark("follower " + follower + " killed");
            ledger.publish(PART, 2 * PART, BATCH);
            ledger.takeAvailable();
            timing.mark("published with a follower down");
            cluster.restart(follower);
            Await.await("the input stream current again after the follower returned", CATCH_UP,
                () -> cluster.streamCurrent(inStream));
            timing.mark("follower back and current");

            var leader = cluster.streamLeader(inStream).orElseThrow();
            cluster.kill(leader);
            timing.mark("stream leader " + leader + " killed");
            ledger.publish(2 * PART, 3 * PART, BATCH);
            ledger.takeAvailable();
            var newLeader = Await.awaitValue("a new leader of the input stream", CATCH_UP,
                () -> cluster.streamLeader(inStream).orElse(""), l -> !l.isEmpty() && !l.equals(leader));
            timing.mark("published with the leader down; new leader " + newLeader);
            cluster.restart(leader);
            Await.await("the input stream current again after the old leader returned", CATCH_UP,
                () -> cluster.streamCurrent(inStream));
            timing.mark("old leader back and current");

            var serving = Await.awaitValue("the node riffle is connected to", CATCH_UP,
                () -> cluster.nodesServing("riffle"), nodes -> !nodes.isEmpty());
            cluster.kill(serving.getFirst());
            timing.mark("node " + serving.getFirst() + " serving riffle's connection killed");
            ledger.publish(3 * PART, 4 * PART, BATCH);
            ledger.takeAvailable();
            timing.mark("published after riffle reconnected");
            cluster.restart(serving.getFirst());
            Await.await("the input stream current again", CATCH_UP, () -> cluster.streamCurrent(inStream));
            timing.mark("node back and current");

            ledger.publish(4 * PART, 5 * PART, BATCH);
            ledger.drain(Duration.ofSeconds(240));
            timing.mark("drained");
            System.out.println(ledger.report(3, timing));
            ledger.assertExactlyOnce();
            assertThat(ledger.published()).isEqualTo(5 * PART);
            assertThat(riffle.alive()).isTrue();
        }
    }
}
