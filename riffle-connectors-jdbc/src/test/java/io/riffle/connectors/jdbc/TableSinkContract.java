package io.riffle.connectors.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.riffle.connectors.ConnectorConfig;
import io.riffle.connectors.ConnectorFactory;
import io.riffle.connectors.Rejection;
import io.riffle.connectors.SinkRecord;
import io.riffle.core.InvalidInputException;
import io.riffle.core.UnavailableException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/** What both table sinks do, against the real database each subclass points at. */
abstract class TableSinkContract {
    /** The sink factory under test. */
    abstract ConnectorFactory factory();

    /** A sink config for {@code table} (as the test created it), plus extra fields. */
    abstract ConnectorConfig config(String table, Object... extra);

    /** Creates a table with columns id (int primary key), name (text not null), score (int), and returns its name. */
    abstract String createTable();

    /** Rows as "id|name|score" ordered by id. */
    abstract List<String> rows(String table);

    /** Cuts the sink's connections to the database from the server side. */
    abstract void killSessions();

    static String unique(String prefix) {
        return prefix + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE).substring(0, 10);
    }

    static SinkRecord record(String id, String json) {
        return new SinkRecord(id, json.getBytes(StandardCharsets.UTF_8));
    }

    static List<SinkRecord> people(int from, int to, String suffix) {
        var out = new ArrayList<SinkRecord>();
        for (int i = from; i < to; i++) {
            out.add(record("p:" + i, "{\"id\": " + i + ", \"name\": \"n" + i + suffix + "\", \"score\": " + i * 10 + "}"));
        }
        return out;
    }

    @Test
    void insertsABatchOfFlatResultsAsRows() throws Exception {
        var table = createTable();
        try (var sink = factory().openSink(config(table))) {
            assertThat(sink.write(people(0, 200, ""))).isEmpty();
        }
        var rows = rows(table);
        assertThat(rows).hasSize(200);
        assertThat(rows.get(7)).isEqualTo("7|n7|70");
    }

    @Test
    void upsertsOnThePrimaryKeySoARedeliveredBatchChangesNothing() throws Exception {
        var table = createTable();
        try (var sink = factory().openSink(config(table, "primary_key", "id"))) {
            assertThat(sink.write(people(0, 10, ""))).isEmpty();
            var second = new ArrayList<>(people(0, 5, "-v2"));
            second.addAll(people(10, 12, ""));
            assertThat(sink.write(second)).isEmpty();
            assertThat(sink.write(second)).isEmpty();
            assertThat(sink.write(List.of(record("partial", "{\"id\": 11, \"name\": \"n11-v3\"}")))).isEmpty();
        }
        var rows = rows(table);
        assertThat(rows).hasSize(12).contains("0|n0-v2|0", "4|n4-v2|40", "5|n5|50", "11|n11-v3|110");
    }

    @Test
    void columnMappingPicksNestedFields() throws Exception {
        var table = createTable();
        var mapping = Map.of("id", "user.id", "name", "/user/name", "score", "points");
        try (var sink = factory().openSink(config(table, "column_mapping", mapping))) {
            assertThat(sink.write(List.of(
                record("a", "{\"user\": {\"id\": 1, \"name\": \"ann\"}, \"points\": 5, \"ignored\": true}"),
                record("b", "{\"user\": {\"id\": 2, \"name\": \"bob\"}}")))).isEmpty();
        }
        assertThat(rows(table)).containsExactly("1|ann|5", "2|bob|null");
    }

    @Test
    void rowsTheDatabaseRefusesAreRejectedAndTheRestOfTheBatchIsWritten() throws Exception {
        var table = createTable();
        var batch = new ArrayList<>(people(0, 10, ""));
        batch.set(3, record("null-name", "{\"id\": 3, \"name\": null, \"score\": 1}"));
        batch.set(6, record("bad-score", "{\"id\": 6, \"name\": \"x\", \"score\": \"many\"}"));
        batch.add(record("not-object", "[1, 2]"));
        batch.add(record("empty", "{}"));
        batch.add(record("unknown-column", "{\"id\": 50, \"name\": \"y\", \"colour\": \"red\"}"));
        List<Rejection> rejected;
        try (var sink = factory().openSink(config(table))) {
            rejected = sink.write(batch);
        }
        assertThat(rejected).extracting(r -> r.record().id())
            .containsExactly("null-name", "bad-score", "not-object", "unknown-column");
        assertThat(rejected.get(0).reason()).contains("name");
        assertThat(rejected.get(2).reason()).contains("not a JSON object");
        assertThat(rejected.get(3).reason()).contains("colour");
        assertThat(rows(table)).hasSize(8).doesNotContain("3|n3|30", "6|n6|60");
    }

    @Test
    void aLostConnectionIsThrownSoTheBatchIsRetriedAndTheNextWriteReconnects() throws Exception {
        var table = createTable();
        try (var sink = factory().openSink(config(table, "primary_key", "id"))) {
            assertThat(sink.write(people(0, 5, ""))).isEmpty();
            killSessions();
            assertThatThrownBy(() -> sink.write(people(5, 10, ""))).isInstanceOf(UnavailableException.class)
                .hasMessageContaining(table);
            assertThat(rows(table)).hasSize(5);
            assertThat(sink.write(people(5, 10, ""))).isEmpty();
        }
        assertThat(rows(table)).hasSize(10);
    }

    @Test
    void anUnreachableDatabaseIsThrownNotRejected() {
        var config = withPort(1);
        try (var sink = factory().openSink(config)) {
            assertThatThrownBy(() -> sink.write(people(0, 2, ""))).isInstanceOf(UnavailableException.class);
        }
    }

    /** The same sink config pointing at another port. */
    abstract ConnectorConfig withPort(int port);

    @Test
    void probeAcceptsAGoodTableAndNamesTheFieldAtFault() {
        var table = createTable();
        factory().probe(config(table, "primary_key", "id"));
        assertThatThrownBy(() -> factory().probe(config(table + "_missing")))
            .isInstanceOf(InvalidInputException.class).hasMessageContaining("sink_connector.config.table:")
            .hasMessageContaining("does not exist");
        assertThatThrownBy(() -> factory().probe(config(table, "column_mapping", Map.of("id", "id", "colour", "c"))))
            .isInstanceOf(InvalidInputException.class).hasMessageContaining("sink_connector.config.column_mapping:")
            .hasMessageContaining("colour");
        assertThatThrownBy(() -> factory().probe(config(table, "primary_key", "uuid")))
            .hasMessageContaining("sink_connector.config.primary_key:");
        assertThatThrownBy(() -> factory().probe(withPort(1)))
            .isInstanceOf(InvalidInputException.class).hasMessageContaining("sink_connector.config.db_host:")
            .hasMessageContaining(":1");
        assertThatThrownBy(() -> factory().probe(config(table, "db_name", "no_such_db_" + unique(""))))
            .hasMessageContaining("sink_connector.config.db_name:");
        assertThatThrownBy(() -> factory().probe(config(table, "db_host", "no-such-host.invalid")))
            .hasMessageContaining("sink_connector.config.db_host: unknown host 'no-such-host.invalid'");
    }

    @Test
    void validateNamesMissingAndMalformedFields() {
        var table = createTable();
        assertThatThrownBy(() -> factory().validate(config(table, "table", "")))
            .hasMessage("sink_connector.config.table: is required");
        assertThatThrownBy(() -> factory().validate(config(table, "db_port", "ninety")))
            .hasMessageContaining("sink_connector.config.db_port: must be a whole number; got 'ninety'");
        assertThatThrownBy(() -> factory().validate(config(table, "table", "a.b.c")))
            .hasMessageContaining("sink_connector.config.table: must be table or schema.table; got 'a.b.c'");
        assertThatThrownBy(() -> factory().validate(config(table, "column_mapping", Map.of("name", "name"),
            "primary_key", "id"))).hasMessageContaining("sink_connector.config.primary_key: column 'id'");
    }
}
