package io.riffle.connectors.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.riffle.connectors.ConnectorConfig;
import io.riffle.connectors.Direction;
import io.riffle.testkit.TestLogicalPostgres;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The postgres source against a real PostgreSQL with wal_level=logical (embedded, private to this class). */
class PostgresCdcSourceIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static TestLogicalPostgres pg;
    private final PostgresSourceFactory factory = new PostgresSourceFactory();

    @BeforeAll
    static void startDatabase() {
        pg = TestLogicalPostgres.start();
    }

    @AfterAll
    static void stopDatabase() {
        pg.close();
    }

    private static String unique(String prefix) {
        return prefix + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
    }

    private ConnectorConfig config(String slot, String table) {
        return Configs.of(Direction.SOURCE, "postgres", "db_host", pg.host(), "db_port", String.valueOf(pg.port()),
            "db_user", pg.user(), "db_pass", "", "db_name", pg.database(), "replication_slot", slot,
            "publication", slot, "publication_tables", List.of(table));
    }

    private SourceLoop loop(ConnectorConfig config) {
        factory.validate(config);
        return new SourceLoop(() -> factory.openSource(config));
    }

    @Test
    void insertUpdateDeleteArriveInTheWal2JsonShape() throws Exception {
        var table = unique("cdc_shape_");
        pg.execute("CREATE TABLE " + table + " (id int PRIMARY KEY, name text NOT NULL, active boolean, "
            + "price numeric(8,2), tag varchar(20))");
        try (var loop = loop(config(unique("slot_"), table))) {
            Poll.until("the source to connect", WAIT, () -> loop.connects() > 0, loop::error);
            pg.execute("INSERT INTO " + table + " VALUES (1, 'ann', true, 9.50, 'x'), (2, 'bob', false, null, null)",
                "UPDATE " + table + " SET name = 'bea' WHERE id = 2",
                "DELETE FROM " + table + " WHERE id = 1");
            Poll.until("4 changes", WAIT, () -> loop.emitted().size() >= 4, loop::error);
            var events = loop.emitted().stream().map(SourceLoop::parse).toList();
            assertThat(events).extracting(e -> e.path("action").asText()).containsExactly("I", "I", "U", "D");
            var first = events.getFirst();
            assertThat(first.path("schema").asText()).isEqualTo("public");
            assertThat(first.path("table").asText()).isEqualTo(table);
            assertThat(first.path("columns")).hasSize(5);
            assertThat(column(first, "id").path("type").asText()).isEqualTo("integer");
            assertThat(column(first, "id").path("value").isInt()).isTrue();
            assertThat(column(first, "active").path("value").asBoolean()).isTrue();
            assertThat(column(first, "price").path("value").decimalValue()).isEqualByComparingTo("9.50");
            assertThat(column(first, "tag").path("type").asText()).isEqualTo("character varying(20)");
            assertThat(column(events.get(1), "price").path("value").isNull()).isTrue();
            var update = events.get(2);
            assertThat(column(update, "name").path("value").asText()).isEqualTo("bea");
            assertThat(update.path("identity")).hasSize(1);
            assertThat(update.path("identity").get(0).path("name").asText()).isEqualTo("id");
            var delete = events.get(3);
            assertThat(delete.has("columns")).isFalse();
            assertThat(delete.path("identity")).hasSize(1);
            assertThat(delete.path("identity").get(0).path("value").asInt()).isEqualTo(1);
            assertThat(first.path("xid").asLong()).isPositive();
            assertThat(first.path("lsn").asText()).matches("[0-9A-F]+/[0-9A-F]+");
            assertThat(first.path("timestamp").asText()).endsWith("Z");
            assertThat(events.get(0).path("xid")).isEqualTo(events.get(1).path("xid"));
            assertThat(loop.emitted()).extracting(r -> r.dedupeId()).doesNotHaveDuplicates()
                .allMatch(id -> id.startsWith("lsn:"));
        }
    }

    private static JsonNode column(JsonNode event, String name) {
        for (var c : event.path("columns")) {
            if (c.path("name").asText().equals(name)) {
                return c;
            }
        }
        throw new AssertionError("no column " + name + " in " + event);
    }

    @Test
    void restartResumesFromTheConfirmedPositionWithoutLossOrDuplicates() throws Exception {
        var table = unique("cdc_restart_");
        pg.execute("CREATE TABLE " + table + " (id int PRIMARY KEY, note text)");
        var config = config(unique("slot_"), table);
        var all = new SourceLoop[2];
        try (var first = loop(config)) {
            all[0] = first;
            Poll.until("the source to connect", WAIT, () -> first.connects() > 0, first::error);
            insertRows(table, 0, 300, 10);
            Poll.until("a part of the rows", WAIT, () -> first.emitted().size() >= 50, first::error);
        }
        insertRows(table, 300, 600, 10);
        try (var second = loop(config)) {
            all[1] = second;
            insertRows(table, 600, 700, 1);
            Poll.until("the rest after the restart", WAIT, () -> ids(all).size() >= 700, second::error);
        }
        assertThat(ids(all)).hasSize(700).containsAll(IntStream.range(0, 700).boxed().toList());
        var dedupe = new HashSet<String>();
        all[0].unique().keySet().forEach(dedupe::add);
        all[1].unique().keySet().forEach(dedupe::add);
        assertThat(dedupe).hasSize(700);
    }

    @Test
    void aFailedEmitIsNotConfirmedAndTheBatchComesAgain() throws Exception {
        var table = unique("cdc_emitfail_");
        pg.execute("CREATE TABLE " + table + " (id int PRIMARY KEY, note text)");
        try (var loop = loop(config(unique("slot_"), table))) {
            Poll.until("the source to connect", WAIT, () -> loop.connects() > 0, loop::error);
            loop.failAfter(120);
            insertRows(table, 0, 400, 25);
            Poll.until("every row after the failed emit", WAIT, () -> loop.unique().size() >= 400, loop::error);
            assertThat(loop.failures()).isEqualTo(1);
            assertThat(loop.connects()).isEqualTo(2);
            assertThat(loop.emitted().size()).isGreaterThan(400);
            assertThat(loop.unique().values()).extracting(e -> column(e, "id").path("value").asInt())
                .containsExactlyInAnyOrderElementsOf(IntStream.range(0, 400).boxed().toList());
        }
    }

    @Test
    void theDatabaseGoingAwayIsReportedAndTheSourceRecovers() throws Exception {
        var table = unique("cdc_outage_");
        pg.execute("CREATE TABLE " + table + " (id int PRIMARY KEY, note text)");
        try (var loop = loop(config(unique("slot_"), table))) {
            Poll.until("the source to connect", WAIT, () -> loop.connects() > 0, loop::error);
            insertRows(table, 0, 50, 10);
            Poll.until("the first rows", WAIT, () -> loop.unique().size() >= 50, loop::error);
            pg.stop();
            Poll.until("an error naming the database", WAIT, () -> loop.error() != null);
            assertThat(loop.error()).contains("postgres").contains(pg.host() + ":" + pg.port());
            var failuresWhileDown = loop.failures();
            Poll.until("retries while the database is down", WAIT, () -> loop.failures() > failuresWhileDown);
            pg.resume();
            Poll.until("the source to reconnect", WAIT, () -> loop.connects() >= 2 && loop.error() == null,
                loop::error);
            insertRows(table, 50, 100, 10);
            Poll.until("the rows after recovery", WAIT, () -> loop.unique().size() >= 100, loop::error);
            assertThat(loop.unique()).hasSize(100);
        }
    }

    @Test
    void anEmitBlockedLongerThanTheServersTimeoutKeepsTheConnection() throws Exception {
        var table = unique("cdc_blocked_");
        pg.execute("CREATE TABLE " + table + " (id int PRIMARY KEY, note text)");
        pg.execute("ALTER SYSTEM SET wal_sender_timeout = '1s'", "SELECT pg_reload_conf()");
        try (var loop = loop(config(unique("slot_"), table))) {
            Poll.until("the source to connect", WAIT, () -> loop.connects() > 0, loop::error);
            loop.blockNextEmit(5_000);
            insertRows(table, 0, 20, 10);
            Poll.until("the rows after the blocked emit", WAIT, () -> loop.unique().size() >= 20, loop::error);
            insertRows(table, 20, 40, 10);
            Poll.until("later rows", WAIT, () -> loop.unique().size() >= 40, loop::error);
            assertThat(loop.failures()).isZero();
            assertThat(loop.connects()).isEqualTo(1);
            assertThat(loop.emitted()).hasSize(40);
        } finally {
            pg.execute("ALTER SYSTEM RESET wal_sender_timeout", "SELECT pg_reload_conf()");
        }
    }

    @Test
    void wal2jsonOnASystemPostgresGivesTheSameShapeAndResumesAfterARestart() throws Exception {
        var bin = SystemPostgres.find("wal2json");
        assumeTrue(bin.isPresent(), "no system PostgreSQL with wal2json (.ci/run installs postgresql-N-wal2json)");
        try (var system = SystemPostgres.start(bin.get(), "wal2json")) {
            system.execute("CREATE TABLE items (id int PRIMARY KEY, label text, price numeric(6,2))");
            var config = Configs.of(Direction.SOURCE, "postgres", "db_host", "127.0.0.1", "db_port",
                String.valueOf(system.port()), "db_user", "postgres", "db_name", "postgres",
                "replication_slot", unique("w2j_"), "replication_output_plugin_name", "wal2json");
            factory.probe(config);
            var all = new SourceLoop[2];
            try (var first = loop(config)) {
                all[0] = first;
                Poll.until("the wal2json source to connect", WAIT, () -> first.connects() > 0, first::error);
                system.execute("INSERT INTO items VALUES (1, 'pen', 1.50), (2, 'ink', 3.00)",
                    "UPDATE items SET label = 'quill' WHERE id = 1", "DELETE FROM items WHERE id = 2");
                Poll.until("4 changes", WAIT, () -> first.unique().size() >= 4, first::error);
                var events = new java.util.ArrayList<>(first.unique().values());
                assertThat(events).extracting(e -> e.path("action").asText()).containsExactly("I", "I", "U", "D");
                assertThat(column(events.get(0), "price").path("value").decimalValue()).isEqualByComparingTo("1.50");
                assertThat(column(events.get(0), "id").path("type").asText()).isEqualTo("integer");
                assertThat(column(events.get(2), "label").path("value").asText()).isEqualTo("quill");
                assertThat(events.get(2).path("identity").get(0).path("value").asInt()).isEqualTo(1);
                assertThat(events.get(3).path("identity").get(0).path("value").asInt()).isEqualTo(2);
                assertThat(events.get(0).path("xid").asLong()).isPositive();
                assertThat(events.get(0).path("timestamp").asText()).isNotBlank();
            }
            system.execute("INSERT INTO items SELECT g, 'item ' || g, g FROM generate_series(10, 209) g");
            try (var second = loop(config)) {
                all[1] = second;
                Poll.until("the rows inserted while stopped", WAIT, () -> second.unique().size() >= 200,
                    second::error);
                assertThat(second.unique().values()).allMatch(e -> e.path("action").asText().equals("I"));
            }
            var ids = new java.util.HashSet<String>();
            all[0].unique().keySet().forEach(ids::add);
            all[1].unique().keySet().forEach(ids::add);
            assertThat(ids).hasSize(204);
        }
    }

    @Test
    void probeChecksLogicalWalLevelAndTheReplicationPrivilegeNamingTheField() {
        var slot = unique("slot_");
        pg.execute("CREATE TABLE IF NOT EXISTS t (id int PRIMARY KEY)");
        factory.probe(config(slot, "t"));
        assertThatThrownBy(() -> factory.probe(config(slot, "no_such_table")))
            .hasMessage("source_connector.config.publication_tables[0]: table 'no_such_table' does not exist in "
                + "database 'postgres'");
        var replicator = unique("replicator_");
        pg.execute("CREATE ROLE " + replicator + " LOGIN REPLICATION");
        assertThatThrownBy(() -> factory.probe(withField(withField(config(slot, "t"), "db_user", replicator),
            "publication_tables", List.of())))
            .hasMessageStartingWith("source_connector.config.publication_tables: publication '" + slot
                + "' does not exist, and creating it FOR ALL TABLES needs a superuser");
        var role = unique("noreplication_");
        pg.execute("CREATE ROLE " + role + " LOGIN");
        assertThatThrownBy(() -> factory.probe(withField(config(slot, "t"), "db_user", role)))
            .hasMessageStartingWith("source_connector.config.db_user: user '" + role + "' may not replicate");
        assertThatThrownBy(() -> factory.probe(withField(config(slot, "t"), "db_user", "nobody_" + role)))
            .hasMessageStartingWith("source_connector.config.db_user:");
        assertThatThrownBy(() -> factory.probe(withField(config(slot, "t"), "db_name", "nothere")))
            .hasMessage("source_connector.config.db_name: database 'nothere' does not exist on " + pg.host() + ":"
                + pg.port());
        assertThatThrownBy(() -> factory.probe(withField(config(slot, "t"), "create_slot", false)))
            .hasMessageStartingWith("source_connector.config.replication_slot: slot '" + slot + "' does not exist");
        // The shared local server runs with wal_level=replica.
        assertThatThrownBy(() -> factory.probe(withField(withField(config(slot, "t"), "db_port", "5432"),
            "db_name", "test")))
            .hasMessageContaining("source_connector.config.db_host: the server at 127.0.0.1:5432 has wal_level=replica");
    }

    @Test
    void anExistingSlotOfAnotherPluginIsRefused() throws Exception {
        var slot = unique("slot_");
        pg.execute("SELECT pg_create_logical_replication_slot('" + slot + "', 'test_decoding')");
        assertThatThrownBy(() -> factory.probe(config(slot, "t")))
            .hasMessage("source_connector.config.replication_output_plugin_name: slot '" + slot
                + "' decodes with test_decoding, not pgoutput");
        try (var loop = loop(config(slot, "t"))) {
            Poll.until("the error", WAIT, () -> loop.error() != null);
            assertThat(loop.error()).contains("decodes with test_decoding");
            assertThat(loop.connects()).isZero();
        }
        pg.execute("SELECT pg_drop_replication_slot('" + slot + "')");
    }

    private static ConnectorConfig withField(ConnectorConfig config, String field, Object value) {
        var pairs = new java.util.ArrayList<Object>();
        for (var name : config.fields()) {
            if (!name.equals(field)) {
                pairs.add(name);
                pairs.add(config.raw(name));
            }
        }
        pairs.add(field);
        pairs.add(value);
        return Configs.of(Direction.SOURCE, "postgres", pairs.toArray());
    }

    private static void insertRows(String table, int from, int to, int perTransaction) {
        var statements = new java.util.ArrayList<String>();
        for (int start = from; start < to; start += perTransaction) {
            var end = Math.min(to, start + perTransaction);
            statements.add("INSERT INTO " + table + " SELECT g, 'row ' || g FROM generate_series(" + start + ", "
                + (end - 1) + ") g");
        }
        pg.execute(statements.toArray(String[]::new));
    }

    private static java.util.Set<Integer> ids(SourceLoop[] loops) {
        var out = new java.util.TreeSet<Integer>();
        for (var loop : loops) {
            if (loop != null) {
                loop.unique().values().forEach(e -> out.add(column(e, "id").path("value").asInt()));
            }
        }
        return out;
    }
}
