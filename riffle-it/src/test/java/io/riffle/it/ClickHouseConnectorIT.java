package io.riffle.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.riffle.testkit.TestClickHouse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The {@code clickhouse} sink end to end: the real jar, events published over the API, a Python function, and a
 * real ClickHouse server (Debian's clickhouse-server, a child process of the test). Counts rows across a kill of
 * Riffle, ClickHouse going away and coming back, dead letters for rows ClickHouse refuses, and configuration
 * refused at create.
 */
class ClickHouseConnectorIT {
    private static final Duration DELIVERY = Duration.ofSeconds(180);
    private static final AtomicInteger TABLES = new AtomicInteger();
    /** Skips every tenth event with {@code {}}; sends a row {@code {id, name}} for the others. */
    private static final String ROWS = "def handler(data, log):\n"
        + "    n = data['n']\n"
        + "    if n % 10 == 0:\n"
        + "        return {}\n"
        + "    return {'id': n if n >= 0 else 'bad', 'name': 'n' + str(n)}\n";
    private static ConnectorHarness h;
    private static TestClickHouse clickhouse;

    @BeforeAll
    static void start() throws Exception {
        clickhouse = new TestClickHouse();
        clickhouse.sql("CREATE DATABASE IF NOT EXISTS riffle");
        h = ConnectorHarness.start("clickhouse");
        h.secret("CH_PASSWORD", TestClickHouse.PASSWORD);
    }

    @AfterAll
    static void stop() throws Exception {
        if (h != null) {
            h.close();
        }
        clickhouse.close();
    }

    private static String table() throws Exception {
        var name = "rows" + TABLES.incrementAndGet();
        clickhouse.sql("CREATE TABLE riffle." + name + " (id UInt32, name String) ENGINE = MergeTree ORDER BY id");
        return name;
    }

    private static Map<String, Object> sink(String table, Object password, String addr) {
        return ConnectorHarness.connector("clickhouse", Map.of("addr", addr, "database", "riffle",
            "username", TestClickHouse.USER, "password", password, "table", table));
    }

    private static Map<String, Object> sink(String table) {
        return sink(table, ConnectorHarness.secretRef("CH_PASSWORD"), clickhouse.url());
    }

    private static List<String> events(int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> "{\"n\":" + i + "}").toList();
    }

    private static long query(String sql) {
        try {
            return Long.parseLong(clickhouse.sql(sql).strip());
        } catch (Exception e) {
            throw new AssertionError(sql, e);
        }
    }

    @Test
    void rowsArriveOnceEachAcrossAKillOfRiffleAndEmptyResultsAreSkipped() throws Exception {
        var table = table();
        var p = h.create("ch-kill", ROWS, null, sink(table));
        h.api().publishBatch(p, events(0, 300));
        Await.await("rows before the kill", DELIVERY, () -> query("SELECT count() FROM riffle." + table) >= 50);
        h.killAndRestart();
        h.api().publishBatch(p, events(300, 600));
        Await.await("540 distinct ids", DELIVERY, () -> query("SELECT uniqExact(id) FROM riffle." + table) == 540);
        assertThat(query("SELECT countIf(id % 10 = 0) FROM riffle." + table)).isZero();
        assertThat(query("SELECT countIf(name != concat('n', toString(id))) FROM riffle." + table)).isZero();
        assertThat(query("SELECT count() FROM riffle." + table)).as("rows, at least once").isGreaterThanOrEqualTo(540);
        var status = h.awaitConnector(p, "sink", s -> s.path("state").asText().equals("running")
            && s.path("delivered").asLong() > 0, "running with deliveries");
        assertThat(status.path("kind").asText()).isEqualTo("clickhouse");
        assertThat(h.deadLetters(p)).isEmpty();
    }

    @Test
    void clickHouseGoingAwayIsRetriedAndRowsItRefusesBecomeDeadLetters() throws Exception {
        var table = table();
        var p = h.create("ch-away", ROWS, null, sink(table));
        clickhouse.stop();
        try {
            h.api().publishBatch(p, events(1, 10));
            var failing = h.awaitConnector(p, "sink", "retrying");
            assertThat(failing.path("last_error").asText()).isNotBlank();
        } finally {
            clickhouse.start();
        }
        h.api().publishBatch(p, List.of("{\"n\": -1}", "{\"n\": 11}"));
        Await.await("10 rows after ClickHouse came back", DELIVERY,
            () -> query("SELECT uniqExact(id) FROM riffle." + table) == 10);
        var letters = Await.awaitValue("the refused row as a dead letter", DELIVERY, () -> h.deadLetters(p),
            l -> l.size() == 1);
        assertThat(letters.getFirst().path("error_details").asText()).contains("clickhouse")
            .contains("ClickHouse refused the row");
        h.awaitConnector(p, "sink", s -> s.path("rejected").asLong() == 1
            && s.path("state").asText().equals("running"), "running with 1 rejected");
    }

    @Test
    void badConfigurationIsRefusedAtCreateNamingTheField() throws Exception {
        var table = table();
        var wrongPassword = h.tryCreate("bad-ch-1", ConnectorHarness.IDENTITY, null,
            sink(table, "wrong", clickhouse.url()));
        Api.assertProblem(wrongPassword, 400);
        assertThat(wrongPassword.json().path("detail").asText()).startsWith("sink_connector.config.password:")
            .doesNotContain("wrong");

        var missingTable = h.tryCreate("bad-ch-2", ConnectorHarness.IDENTITY, null, sink("nope"));
        Api.assertProblem(missingTable, 400);
        assertThat(missingTable.json().path("detail").asText()).startsWith("sink_connector.config.table: 'nope' "
            + "does not exist");

        var deadPort = h.tryCreate("bad-ch-3", ConnectorHarness.IDENTITY, null,
            sink(table, ConnectorHarness.secretRef("CH_PASSWORD"), "127.0.0.1:1"));
        Api.assertProblem(deadPort, 400);
        assertThat(deadPort.json().path("detail").asText()).startsWith("sink_connector.config.addr: cannot reach");
    }
}
