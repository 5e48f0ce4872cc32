package io.riffle.connectors.jdbc;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.riffle.connectors.ConnectorConfig;
import io.riffle.connectors.ConnectorFactory;
import io.riffle.connectors.Direction;
import io.riffle.testkit.TestDatabase;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The postgres table sink against the local PostgreSQL (a schema of its own). */
class PostgresSinkIT extends TableSinkContract {
    private static final Pattern URL = Pattern.compile("jdbc:postgresql://([^:/]+):(\\d+)/([^?]+)\\?user=(\\w+).*");
    private static TestDatabase db;
    private static String host;
    private static String port;
    private static String name;
    private static String user;
    /** The sink's own role, so that killing its sessions touches nobody else's. */
    private static String role;

    @BeforeAll
    static void database() {
        db = TestDatabase.create();
        var m = URL.matcher(db.baseUrl());
        if (!m.matches()) {
            throw new IllegalStateException("unexpected test database URL " + db.baseUrl());
        }
        host = m.group(1);
        port = m.group(2);
        name = m.group(3);
        user = m.group(4);
        role = unique("riffle_u_");
        db.execute("CREATE ROLE " + role + " LOGIN");
        db.execute("GRANT ALL ON SCHEMA " + db.schema() + " TO " + role);
        db.execute("ALTER DEFAULT PRIVILEGES IN SCHEMA " + db.schema() + " GRANT ALL ON TABLES TO " + role);
    }

    @AfterAll
    static void drop() {
        db.close();
        db.execute("DROP OWNED BY " + role);
        db.execute("DROP ROLE " + role);
    }

    @Override
    ConnectorFactory factory() {
        return new PostgresSinkFactory();
    }

    @Override
    ConnectorConfig config(String table, Object... extra) {
        var pairs = new ArrayList<Object>(List.of("db_host", host, "db_port", port, "db_user", role, "db_pass", "",
            "db_name", name, "table", table));
        pairs.addAll(Arrays.asList(extra));
        return Configs.of(Direction.SINK, "postgres", dedupe(pairs));
    }

    /** Later pairs win, as in a JSON object. */
    static Object[] dedupe(List<Object> pairs) {
        var map = new java.util.LinkedHashMap<Object, Object>();
        for (int i = 0; i < pairs.size(); i += 2) {
            map.put(pairs.get(i), pairs.get(i + 1));
        }
        var out = new ArrayList<Object>();
        map.forEach((k, v) -> {
            out.add(k);
            out.add(v);
        });
        return out.toArray();
    }

    @Override
    ConnectorConfig withPort(int newPort) {
        return config(db.schema() + ".t", "db_port", String.valueOf(newPort));
    }

    @Override
    String createTable() {
        var table = db.schema() + "." + unique("t_");
        db.execute("CREATE TABLE " + table + " (id int PRIMARY KEY, name text NOT NULL, score int)");
        return table;
    }

    @Override
    List<String> rows(String table) {
        try (var c = DriverManager.getConnection(db.baseUrl()); var s = c.createStatement();
             var rs = s.executeQuery("SELECT id, name, score FROM " + table + " ORDER BY id")) {
            var out = new ArrayList<String>();
            while (rs.next()) {
                out.add(rs.getInt(1) + "|" + rs.getString(2) + "|" + rs.getString(3));
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    void killSessions() {
        db.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '" + role + "'");
    }

    @Test
    void aJsonObjectGoesIntoAJsonbColumnAndAnUnknownRoleIsNamed() throws Exception {
        var table = db.schema() + "." + unique("j_");
        db.execute("CREATE TABLE " + table + " (id bigint PRIMARY KEY, doc jsonb, ok boolean, price numeric)");
        try (var sink = factory().openSink(config(table))) {
            org.assertj.core.api.Assertions.assertThat(sink.write(List.of(record("1",
                "{\"id\": 1, \"doc\": {\"a\": [1, 2]}, \"ok\": true, \"price\": 1.25}")))).isEmpty();
        }
        try (var c = DriverManager.getConnection(db.baseUrl()); var s = c.createStatement();
             var rs = s.executeQuery("SELECT doc->'a'->>1, ok, price FROM " + table)) {
            rs.next();
            org.assertj.core.api.Assertions.assertThat(rs.getString(1) + rs.getBoolean(2) + rs.getBigDecimal(3))
                .isEqualTo("2true1.25");
        }
        assertThatThrownBy(() -> factory().probe(config(table, "db_user", "no_such_role_" + unique(""))))
            .hasMessageContaining("sink_connector.config.db_user:");
    }
}
