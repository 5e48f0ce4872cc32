package io.riffle.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.riffle.testkit.TestDatabase;
import io.riffle.testkit.TestLogicalPostgres;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The jdbc connectors end to end, through the real riffle executable: change data capture from a PostgreSQL with
 * wal_level=logical (embedded, private), a Python function, and the postgres table sink into the local PostgreSQL,
 * across a kill -9 of Riffle and an outage of the source database; the mysql sink into the local MariaDB with a
 * refused row as a dead letter; bad configurations refused at create naming the field.
 */
class JdbcConnectorsIT {
    private static final Duration WAIT = Duration.ofSeconds(180);
    private static final Pattern PG_URL = Pattern.compile("jdbc:postgresql://([^:/]+):(\\d+)/([^?]+)\\?user=(\\w+).*");
    private static final String MARIADB = "jdbc:mariadb://127.0.0.1:3306/test?user=root&password=";
    private static final int ROWS = 600;
    private static final String CDC_HANDLER = """
        def handler(data, log):
            if data["action"] != "I":
                return {}
            row = {c["name"]: c["value"] for c in data["columns"]}
            return {"id": row["id"], "doubled": row["amount"] * 2, "source_lsn": data["lsn"]}
        """;
    private static ConnectorHarness h;
    private static TestDatabase target;

    @BeforeAll
    static void start() {
        h = ConnectorHarness.start("jdbc");
        target = TestDatabase.create();
    }

    @AfterAll
    static void stop() {
        h.close();
        target.close();
    }

    private static String unique(String prefix) {
        return prefix + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()).substring(0, 10);
    }

    @Test
    void cdcThroughAFunctionIntoAPostgresTableLosesNothingAcrossAKillAndASourceOutage() {
        try (var source = TestLogicalPostgres.start()) {
            source.execute("CREATE TABLE orders (id int PRIMARY KEY, amount int NOT NULL)");
            var sinkTable = target.schema() + ".totals";
            target.execute("CREATE TABLE " + sinkTable + " (id int PRIMARY KEY, doubled int NOT NULL, source_lsn text)");
            var slot = unique("riffle_it_");
            var p = h.create("cdc", CDC_HANDLER, ConnectorHarness.connector("postgres", Map.of(
                    "db_host", source.host(), "db_port", String.valueOf(source.port()), "db_user", source.user(),
                    "db_name", source.database(), "replication_slot", slot, "publication", slot,
                    "publication_tables", List.of("public.orders"))),
                ConnectorHarness.connector("postgres", targetConfig(sinkTable, Map.of("primary_key", "id"))));
            h.awaitConnector(p, "source", "running");

            insertOrders(source, 0, ROWS / 2);
            Await.await("a sixth of the rows in the sink table", WAIT, () -> count(sinkTable) >= ROWS / 6);
            h.riffle().kill();
            insertOrders(source, ROWS / 2, ROWS * 3 / 4);
            h.riffle().start();
            Await.await("every row written before and during the restart", WAIT,
                () -> count(sinkTable) >= ROWS * 3 / 4);

            source.stop();
            var down = h.awaitConnector(p, "source", "retrying");
            assertThat(down.path("last_error").asText()).contains(source.host() + ":" + source.port());
            source.resume();
            h.awaitConnector(p, "source", "running");
            insertOrders(source, ROWS * 3 / 4, ROWS);
            Await.await("all " + ROWS + " rows in the sink table", WAIT, () -> count(sinkTable) == ROWS);

            assertThat(scalar("SELECT count(*) FROM " + sinkTable + " WHERE doubled = id * 20")).isEqualTo(ROWS);
            assertThat(scalar("SELECT count(DISTINCT source_lsn) FROM " + sinkTable)).isEqualTo(ROWS);
            assertThat(h.deadLetters(p)).isEmpty();
            var sink = h.awaitConnector(p, "sink", "running");
            assertThat(sink.path("kind").asText()).isEqualTo("postgres");
        }
    }

    @Test
    void resultsGoIntoAMariaDbTableAcrossAKillAndARefusedRowBecomesADeadLetter() {
        var table = unique("riffle_it_");
        mysql("CREATE TABLE " + table + " (id int PRIMARY KEY, name varchar(20) NOT NULL, score int)");
        try {
            var p = h.create("to-mysql", """
                def handler(data, log):
                    return {"id": data["n"], "name": data["name"], "score": data["n"] * 3}
                """, null, ConnectorHarness.connector("mysql", Map.of("db_host", "127.0.0.1", "db_user", "root",
                "db_name", "test", "table", table, "primary_key", "id")));
            h.api().publishBatch(p, mysqlEvents(0, 300));
            Await.await("some rows before the kill", WAIT, () -> mysqlCount(table) >= 50);
            h.killAndRestart();
            h.api().publishBatch(p, mysqlEvents(300, 600));
            Await.await("599 rows in MariaDB", WAIT, () -> mysqlCount(table) >= 599);
            var letters = Await.awaitValue("the refused row as a dead letter", WAIT, () -> h.deadLetters(p),
                l -> !l.isEmpty());
            assertThat(letters).hasSize(1);
            assertThat(letters.getFirst().path("error_details").asText()).startsWith("sink_connector (mysql): ")
                .contains("name");
            assertThat(letters.getFirst().path("payload").path("id").asInt()).isEqualTo(13);
            assertThat(mysqlCount(table)).isEqualTo(599);
            assertThat(mysqlCount(table + " WHERE score = id * 3 AND name = concat('n', id)")).isEqualTo(599);
            // delivered/rejected count since the connector started on this engine (the restart reset them)
            h.awaitConnector(p, "sink", s -> s.path("state").asText().equals("running")
                && s.path("delivered").asLong() > 0, "running with deliveries");
        } finally {
            mysql("DROP TABLE IF EXISTS " + table);
        }
    }

    /** Events n in [from, to); n = 13 has a name too long for the column. */
    private static List<String> mysqlEvents(int from, int to) {
        var events = new ArrayList<String>();
        for (int n = from; n < to; n++) {
            var name = n == 13 ? "a name far too long for twenty characters" : "n" + n;
            events.add("{\"n\": " + n + ", \"name\": \"" + name + "\"}");
        }
        return events;
    }

    @Test
    void aPostgresSinkWhoseDatabaseGoesAwayRetriesWithAStatusAndDeliversEverythingAfterwards() throws Exception {
        try (var db = TestLogicalPostgres.start()) {
            db.execute("CREATE TABLE readings (id int PRIMARY KEY, value int NOT NULL)");
            var p = h.create("pg-outage", """
                def handler(data, log):
                    return {"id": data["n"], "value": data["n"] + 1}
                """, null, ConnectorHarness.connector("postgres", Map.of("db_host", db.host(),
                "db_port", String.valueOf(db.port()), "db_user", db.user(), "db_name", db.database(),
                "table", "readings", "primary_key", "id")));
            h.api().publishBatch(p, numbered(0, 100));
            Await.await("the first 100 rows", WAIT, () -> embeddedCount(db) == 100);
            db.stop();
            h.api().publishBatch(p, numbered(100, 200));
            var down = h.awaitConnector(p, "sink", "retrying");
            assertThat(down.path("last_error").asText()).contains("postgres sink").contains("readings");
            db.resume();
            Await.await("all 200 rows after the database came back", WAIT, () -> embeddedCount(db) == 200);
            h.awaitConnector(p, "sink", "running");
            assertThat(h.deadLetters(p)).isEmpty();
        }
    }

    private static List<String> numbered(int from, int to) {
        var out = new ArrayList<String>();
        for (int n = from; n < to; n++) {
            out.add("{\"n\": " + n + "}");
        }
        return out;
    }

    private static int embeddedCount(TestLogicalPostgres db) {
        try (var c = db.connect(); var s = c.createStatement();
             var rs = s.executeQuery("SELECT count(*) FROM readings WHERE value = id + 1")) {
            rs.next();
            return rs.getInt(1);
        } catch (SQLException e) {
            return -1;
        }
    }

    @Test
    void badConfigurationIsRefusedAtCreateNamingTheField() {
        var walLevel = h.tryCreate("bad-cdc", ConnectorHarness.IDENTITY, ConnectorHarness.connector("postgres",
            Map.of("db_host", "127.0.0.1", "db_user", "postgres", "db_name", "test", "replication_slot", "nope")),
            null);
        Api.assertProblem(walLevel, 400);
        assertThat(walLevel.json().path("detail").asText())
            .startsWith("source_connector.config.db_host: the server at 127.0.0.1:5432 has wal_level=replica");

        var table = h.tryCreate("bad-table", ConnectorHarness.IDENTITY, null,
            ConnectorHarness.connector("postgres", targetConfig(target.schema() + ".missing", Map.of())));
        Api.assertProblem(table, 400);
        assertThat(table.json().path("detail").asText()).startsWith("sink_connector.config.table: table '"
            + target.schema() + ".missing' does not exist");

        var port = h.tryCreate("bad-port", ConnectorHarness.IDENTITY, null, ConnectorHarness.connector("mysql",
            Map.of("db_host", "127.0.0.1", "db_port", "1", "db_user", "root", "db_name", "test", "table", "t")));
        Api.assertProblem(port, 400);
        assertThat(port.json().path("detail").asText()).startsWith("sink_connector.config.db_host: ")
            .contains("127.0.0.1:1");

        var missing = h.tryCreate("bad-field", ConnectorHarness.IDENTITY, null, ConnectorHarness.connector("mysql",
            Map.of("db_host", "127.0.0.1", "db_user", "root", "db_name", "test")));
        Api.assertProblem(missing, 400);
        assertThat(missing.json().path("detail").asText()).isEqualTo("sink_connector.config.table: is required");
    }

    private static Map<String, Object> targetConfig(String table, Map<String, Object> extra) {
        var m = PG_URL.matcher(target.baseUrl());
        assertThat(m.matches()).as("test database URL %s", target.baseUrl()).isTrue();
        var config = new LinkedHashMap<String, Object>();
        config.put("db_host", m.group(1));
        config.put("db_port", m.group(2));
        config.put("db_name", m.group(3));
        config.put("db_user", m.group(4));
        config.put("table", table);
        config.putAll(extra);
        return config;
    }

    private static void insertOrders(TestLogicalPostgres source, int from, int to) {
        var statements = new ArrayList<String>();
        for (int start = from; start < to; start += 25) {
            statements.add("INSERT INTO orders SELECT g, g * 10 FROM generate_series(" + start + ", "
                + (Math.min(to, start + 25) - 1) + ") g");
        }
        source.execute(statements.toArray(String[]::new));
    }

    private static int count(String table) {
        return scalar("SELECT count(*) FROM " + table);
    }

    private static int scalar(String sql) {
        try (var c = DriverManager.getConnection(target.baseUrl()); var s = c.createStatement();
             var rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    private static void mysql(String sql) {
        try (var c = DriverManager.getConnection(MARIADB); var s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    private static int mysqlCount(String tableAndWhere) {
        try (var c = DriverManager.getConnection(MARIADB); var s = c.createStatement();
             var rs = s.executeQuery("SELECT count(*) FROM " + tableAndWhere)) {
            rs.next();
            return rs.getInt(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }
}
