package io.riffle.connectors.jdbc;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.riffle.connectors.ConnectorConfig;
import io.riffle.connectors.ConnectorFactory;
import io.riffle.connectors.Direction;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The mysql table sink against the local MariaDB (database {@code test}, a table per test). */
class MysqlSinkIT extends TableSinkContract {
    private static final String HOST = System.getenv().getOrDefault("RIFFLE_TEST_MYSQL_HOST", "127.0.0.1");
    private static final String PORT = System.getenv().getOrDefault("RIFFLE_TEST_MYSQL_PORT", "3306");
    private static final List<String> CREATED = new ArrayList<>();
    /** The sink's own user, so that killing its sessions touches nobody else's. */
    private static final String USER = unique("riffle_u_");
    private static final String PASSWORD = "pw-" + unique("");

    @BeforeAll
    static void createUser() {
        for (var host : List.of("%", "localhost", "127.0.0.1")) {
            execute("CREATE USER '" + USER + "'@'" + host + "' IDENTIFIED BY '" + PASSWORD + "'");
            execute("GRANT ALL ON test.* TO '" + USER + "'@'" + host + "'");
        }
    }

    static Connection admin() throws SQLException {
        return DriverManager.getConnection("jdbc:mariadb://" + HOST + ":" + PORT + "/test?user=root&password=");
    }

    static void execute(String sql) {
        try (var c = admin(); var s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    @AfterAll
    static void dropTablesAndUser() {
        synchronized (CREATED) {
            CREATED.forEach(t -> execute("DROP TABLE IF EXISTS " + t));
        }
        for (var host : List.of("%", "localhost", "127.0.0.1")) {
            execute("DROP USER IF EXISTS '" + USER + "'@'" + host + "'");
        }
    }

    @Override
    ConnectorFactory factory() {
        return new MysqlSinkFactory();
    }

    @Override
    ConnectorConfig config(String table, Object... extra) {
        var pairs = new ArrayList<Object>(List.of("db_host", HOST, "db_port", PORT, "db_user", USER, "db_pass", PASSWORD,
            "db_name", "test", "table", table));
        pairs.addAll(Arrays.asList(extra));
        return Configs.of(Direction.SINK, "mysql", PostgresSinkIT.dedupe(pairs));
    }

    @Override
    ConnectorConfig withPort(int port) {
        return config("t", "db_port", String.valueOf(port));
    }

    @Override
    String createTable() {
        var table = unique("riffle_t_");
        execute("CREATE TABLE " + table + " (id int PRIMARY KEY, name varchar(100) NOT NULL, score int)");
        synchronized (CREATED) {
            CREATED.add(table);
        }
        return table;
    }

    @Override
    List<String> rows(String table) {
        try (var c = admin(); var s = c.createStatement();
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
        try (var c = admin(); var s = c.createStatement();
             var rs = s.executeQuery("SELECT id FROM information_schema.processlist WHERE user = '" + USER + "'")) {
            var ids = new ArrayList<Long>();
            while (rs.next()) {
                ids.add(rs.getLong(1));
            }
            for (var id : ids) {
                try (var k = c.createStatement()) {
                    k.execute("KILL CONNECTION " + id);
                } catch (SQLException ignored) {
                    // already gone
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aWrongPasswordIsNamedAndNotShown() {
        var table = createTable();
        assertThatThrownBy(() -> factory().probe(config(table, "db_pass", "wrong-pass")))
            .hasMessageContaining("sink_connector.config.db_pass: access denied for user '" + USER + "'")
            .hasMessageNotContaining("wrong-pass");
        assertThatThrownBy(() -> factory().probe(config(table, "db_user", "nobody_" + unique(""), "db_pass", "")))
            .hasMessageContaining("sink_connector.config.db_user: access denied");
    }
}
