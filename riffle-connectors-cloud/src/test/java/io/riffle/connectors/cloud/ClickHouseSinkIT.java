package io.riffle.connectors.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.riffle.connectors.ConnectorConfig;
import io.riffle.connectors.SinkRecord;
import io.riffle.core.InvalidInputException;
import io.riffle.testkit.TestClickHouse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The clickhouse sink against a real ClickHouse server (Debian's clickhouse-server, started per test class). */
class ClickHouseSinkIT {
    private static final ClickHouseSinkFactory FACTORY = new ClickHouseSinkFactory();
    private static final AtomicInteger TABLES = new AtomicInteger();
    private static TestClickHouse clickhouse;

    @BeforeAll
    static void start() throws Exception {
        clickhouse = new TestClickHouse();
        clickhouse.sql("CREATE DATABASE IF NOT EXISTS riffle");
    }

    @AfterAll
    static void stop() throws Exception {
        clickhouse.close();
    }

    private static String table() throws Exception {
        var name = "t" + TABLES.incrementAndGet();
        clickhouse.sql("CREATE TABLE riffle." + name + " (id UInt32, name String) ENGINE = MergeTree ORDER BY id");
        return name;
    }

    private static ConnectorConfig config(String table) {
        return config(table, clickhouse.url(), TestClickHouse.PASSWORD);
    }

    private static ConnectorConfig config(String table, String addr, String password) {
        return Configs.sink("clickhouse", new HashMap<>(Map.of("addr", addr, "database", "riffle",
            "username", TestClickHouse.USER, "password", password, "table", table)));
    }

    private static SinkRecord record(int i, String json) {
        return new SinkRecord("p:" + i, json.getBytes(StandardCharsets.UTF_8));
    }

    private static int count(String table) throws Exception {
        return Integer.parseInt(clickhouse.sql("SELECT count() FROM riffle." + table).strip());
    }

    @Test
    void insertsFlatRowsAndSkipsEmptyObjects() throws Exception {
        var table = table();
        var batch = new ArrayList<SinkRecord>();
        for (int i = 0; i < 100; i++) {
            batch.add(record(i, i % 10 == 0 ? "{}" : "{\"id\": " + i + ", \"name\": \"n" + i + "\"}"));
        }
        try (var sink = FACTORY.openSink(config(table))) {
            assertThat(sink.write(batch)).isEmpty();
        }
        assertThat(count(table)).isEqualTo(90);
        assertThat(clickhouse.sql("SELECT name FROM riffle." + table + " WHERE id = 42").strip()).isEqualTo("n42");
    }

    @Test
    void rowsClickHouseRefusesBecomeDeadLettersAndTheOthersAreInserted() throws Exception {
        var table = table();
        var batch = new ArrayList<SinkRecord>();
        for (int i = 0; i < 20; i++) {
            batch.add(record(i, i == 3 || i == 17 ? "{\"id\": \"not a number\", \"name\": \"x\"}"
                : "{\"id\": " + i + ", \"name\": \"ok\"}"));
        }
        batch.add(record(99, "[1, 2]"));
        List<io.riffle.connectors.Rejection> rejected;
        try (var sink = FACTORY.openSink(config(table))) {
            rejected = sink.write(batch);
        }
        assertThat(rejected).extracting(r -> r.record().id()).containsExactlyInAnyOrder("p:3", "p:17", "p:99");
        assertThat(rejected).filteredOn(r -> r.record().id().equals("p:3")).singleElement()
            .satisfies(r -> assertThat(r.reason()).contains("ClickHouse refused the row").contains("Code: "));
        assertThat(count(table)).isEqualTo(18);
    }

    @Test
    void writeFailsWhileTheServerIsAwayAndSucceedsOnceItIsBack() throws Exception {
        var table = table();
        try (var sink = FACTORY.openSink(config(table))) {
            clickhouse.stop();
            try {
                assertThatThrownBy(() -> sink.write(List.of(record(1, "{\"id\": 1, \"name\": \"a\"}"))))
                    .isInstanceOf(java.io.IOException.class);
            } finally {
                clickhouse.start();
            }
            assertThat(sink.write(List.of(record(1, "{\"id\": 1, \"name\": \"a\"}")))).isEmpty();
        }
        assertThat(count(table)).isEqualTo(1);
    }

    @Test
    void wrongPasswordRetriesInsteadOfDeadLettering() throws Exception {
        var table = table();
        try (var sink = FACTORY.openSink(config(table, clickhouse.url(), "wrong"))) {
            assertThatThrownBy(() -> sink.write(List.of(record(1, "{\"id\": 1, \"name\": \"a\"}"))))
                .hasMessageContaining("HTTP 401");
        }
        assertThat(count(table)).isZero();
    }

    @Test
    void probeNamesTheFieldAtFault() throws Exception {
        var table = table();
        FACTORY.probe(config(table));
        assertThatThrownBy(() -> FACTORY.probe(config(table, clickhouse.url(), "wrong")))
            .isInstanceOf(InvalidInputException.class).hasMessageContaining("sink_connector.config.password");
        assertThatThrownBy(() -> FACTORY.probe(config("nope")))
            .isInstanceOf(InvalidInputException.class).hasMessageContaining("sink_connector.config.table")
            .hasMessageContaining("'nope' does not exist");
        assertThatThrownBy(() -> FACTORY.probe(config(table, "127.0.0.1:1", TestClickHouse.PASSWORD)))
            .isInstanceOf(InvalidInputException.class).hasMessageContaining("sink_connector.config.addr")
            .hasMessageContaining("cannot reach");
    }
}
