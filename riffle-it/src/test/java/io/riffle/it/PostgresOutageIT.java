package io.riffle.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.riffle.testkit.TcpProxy;
import io.riffle.testkit.TestDatabase;
import io.riffle.testkit.TestNats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * PostgreSQL unavailable for a while, without stopping the shared server: Riffle reaches its schema through a
 * {@link TcpProxy} that the test stops (every connection cut, new ones refused) and starts again. While it is cut, the
 * data plane of a running pipeline keeps going (publish, processing, consume; counted), management calls answer 503
 * with a JSON {@code {detail, msg}} and Retry-After (no 500, no stack trace); after it is restored everything works
 * again without a restart. Figures go to System.out ("PostgresOutageIT: ..." lines).
 */
@Timeout(600)
class PostgresOutageIT {
    static final int BEFORE = 400;
    static final int DURING = 400;
    static final int AFTER = 400;
    static final int BATCH = 100;

    @Test
    void dataPlaneKeepsWorkingAndManagementAnswers503UntilPostgresReturns() {
        outage("PostgresOutageIT[PostgreSQL cut]", TcpProxy::stop, TcpProxy::start);
    }

    /** A network partition: PostgreSQL's connections hang instead of being refused. */
    @Test
    void dataPlaneKeepsWorkingAndManagementAnswers503WhilePostgresHangs() {
        outage("PostgresOutageIT[PostgreSQL partitioned]", TcpProxy::blackhole, TcpProxy::heal);
    }

    private static void outage(String label, java.util.function.Consumer<TcpProxy> cut,
                               java.util.function.Consumer<TcpProxy> restore) {
        try (var db = TestDatabase.create(); var nats = TestNats.start();
             var proxy = TcpProxy.start(db.address().getHostString(), db.address().getPort());
             var riffle = RiffleProcess.external(db, nats, Map.of("RIFFLE_DATABASE_URL",
                 db.jdbcUrlVia(proxy.port()))).start()) {
            var api = Api.of(riffle);
            var space = api.createSpace("pg-outage");
            var p = api.createPipeline(space, "counted", Ledger.HANDLER, Map.of());
            api.awaitReady(p);
            var ledger = new Ledger(api, p, label);
            var timing = new CrashIT.Timing();
            ledger.publish(0, BEFORE, BATCH);
            Await.await("first results", Duration.ofSeconds(60), () -> ledger.takeAvailable() > 0);
            timing.mark("before: published " + BEFORE);

            cut.accept(proxy);
            timing.mark("PostgreSQL cut");
            var refusals = managementCalls(api, p, space);
            timing.mark(refusals.size() + " management calls answered 503");
            ledger.publish(BEFORE, BEFORE + DURING, BATCH);
            timing.mark("during: published " + DURING);
            // processing and consume keep going: every event published before and during the outage comes back
            Await.await("every event processed and consumed while PostgreSQL is cut", Duration.ofSeconds(120),
                () -> {
                    ledger.takeAvailable();
                    return ledger.outstanding() == 0;
                });
            int duringOutage = ledger.distinctResults();
            timing.mark("during: " + duringOutage + " results consumed");
            assertThat(ledger.distinctResults()).isEqualTo(BEFORE + DURING);
            var ready = api.send("GET", "/readyz", Map.of(), java.net.http.HttpRequest.BodyPublishers.noBody());
            assertThat(ready.status()).as("readyz while PostgreSQL is cut: %s", ready).isEqualTo(503);

            restore.accept(proxy);
            timing.mark("PostgreSQL restored");
            Await.await("management calls work again", Duration.ofSeconds(60),
                () -> api.get("/v1/spaces").status() == 200);
            timing.mark("management back");
            var again = api.createPipeline(space, "after-outage", "def handler(data, log):\n    return data\n",
                Map.of());
            api.awaitReady(again);
            // a token never seen before the outage is checked against PostgreSQL: within a second or so of its return
            Await.await("the new pipeline's token accepted", Duration.ofSeconds(30), () -> {
                var r = api.publish(again, "{\"n\":1}");
                if (r.status() != 200) {
                    Api.assertProblem(r, 503);
                }
                return r.status() == 200;
            });
            assertThat(api.consumeResults(again, 1, Duration.ofSeconds(60))).hasSize(1);
            api.patch(p.path(""), Map.of("metadata", Map.of("after", "outage"))).expect(200);
            ledger.publish(BEFORE + DURING, BEFORE + DURING + AFTER, BATCH);
            ledger.drain(Duration.ofSeconds(120));
            timing.mark("after: drained");
            System.out.println(ledger.report(1, timing) + "; management calls refused during the outage="
                + refusals.size() + " (all 503), results consumed during the outage=" + duringOutage
               );
            ledger.assertExactlyOnce();
            assertThat(ledger.published()).isEqualTo(BEFORE + DURING + AFTER);
            assertThat(riffle.alive()).isTrue();
        }
    }

    /** Management calls while PostgreSQL is cut: each must be a clean 503. Returns the answers. */
    private static List<Api.Response> managementCalls(Api api, Api.Pipeline p, String space) {
        var calls = new ArrayList<Supplier<Api.Response>>();
        calls.add(() -> api.get("/v1/spaces"));
        calls.add(() -> api.post("/v1/spaces", Map.of("name", "during-outage")));
        calls.add(() -> api.get("/v1/pipelines"));
        calls.add(() -> api.get(p.path("")));
        calls.add(() -> api.patch(p.path(""), Map.of("metadata", Map.of("during", "outage"))));
        calls.add(() -> api.post("/v1/pipelines", Map.of("name", "x", "space_id", space,
            "transformation_function", "def handler(data, log):\n    return data\n")));
        calls.add(() -> api.get(p.path("/functions/main/artifacts/latest")));
        var out = new ArrayList<Api.Response>();
        for (var call : calls) {
            var r = call.get();
            Api.assertProblem(r, 503);
            assertThat(r.header("Retry-After")).as("Retry-After of %s", r).isNotBlank();
            HostileBodies.assertNoInternals(r);
            assertThat(r.json().path("detail").asText()).as("detail of %s", r).containsIgnoringCase("database");
            out.add(r);
        }
        return out;
    }
}
