package io.riffle.connectors.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.riffle.connectors.ConnectorRegistry;
import io.riffle.connectors.Direction;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Field checks that need no database. */
class SettingsTest {
    private static Object[] source(Object... extra) {
        var base = new java.util.ArrayList<Object>(List.of("db_host", "db.example", "db_user", "u", "db_name", "app",
            "replication_slot", "riffle_slot"));
        base.addAll(List.of(extra));
        return base.toArray();
    }

    @Test
    void sourceDefaultsFollowGlassFlowAndThePlugin() {
        var s = CdcSettings.from(Configs.of(Direction.SOURCE, "postgres", source()));
        assertThat(s.endpoint().port()).isEqualTo(5432);
        assertThat(s.endpoint().sslmode()).isEqualTo("disable");
        assertThat(s.plugin()).isEqualTo("pgoutput");
        assertThat(s.publication()).isEqualTo("riffle_slot");
        assertThat(s.pluginArgs()).containsEntry("proto_version", "1").containsEntry("publication_names", "riffle_slot");
        var w = CdcSettings.from(Configs.of(Direction.SOURCE, "postgres", source("replication_output_plugin_name",
            "wal2json", "replication_output_plugin_args", List.of("include-lsn=true"), "db_port", "6543")));
        assertThat(w.pluginArgs()).containsEntry("format-version", "2").containsEntry("include-lsn", "true");
        assertThat(w.endpoint().port()).isEqualTo(6543);
    }

    @Test
    void sourceFieldsAreNamedInErrors() {
        assertThatThrownBy(() -> CdcSettings.from(Configs.of(Direction.SOURCE, "postgres", "db_host", "h")))
            .hasMessage("source_connector.config.db_user: is required");
        assertThatThrownBy(() -> CdcSettings.from(Configs.of(Direction.SOURCE, "postgres",
            source("replication_slot", "Bad-Slot"))))
            .hasMessageStartingWith("source_connector.config.replication_slot: must be 1 to 63 lower-case");
        assertThatThrownBy(() -> CdcSettings.from(Configs.of(Direction.SOURCE, "postgres",
            source("replication_output_plugin_name", "decoderbufs"))))
            .hasMessage("source_connector.config.replication_output_plugin_name: must be one of pgoutput, wal2json; "
                + "got 'decoderbufs'");
        assertThatThrownBy(() -> CdcSettings.from(Configs.of(Direction.SOURCE, "postgres",
            source("replication_output_plugin_name", "wal2json", "replication_output_plugin_args",
                List.of("format-version=1")))))
            .hasMessageStartingWith("source_connector.config.replication_output_plugin_args: Riffle reads wal2json's");
        assertThatThrownBy(() -> CdcSettings.from(Configs.of(Direction.SOURCE, "postgres",
            source("replication_output_plugin_args", List.of("novalue")))))
            .hasMessage("source_connector.config.replication_output_plugin_args[0]: must be key=value; got 'novalue'");
        assertThatThrownBy(() -> CdcSettings.from(Configs.of(Direction.SOURCE, "postgres", source("db_port", 0))))
            .hasMessageStartingWith("source_connector.config.db_port: must be between 1 and 65535");
        assertThatThrownBy(() -> CdcSettings.from(Configs.of(Direction.SOURCE, "postgres",
            source("db_sslmode", "sometimes")))).hasMessageStartingWith("source_connector.config.db_sslmode:");
    }

    @Test
    void thePasswordStaysOutOfTheEndpointsText() {
        var s = CdcSettings.from(Configs.of(Direction.SOURCE, "postgres", source("db_pass", "s3cret")));
        assertThat(s.endpoint().password()).isEqualTo("s3cret");
        assertThat(s.endpoint().toString()).isEqualTo("u@db.example:5432/app").doesNotContain("s3cret");
        assertThat(s.toString()).doesNotContain("s3cret");
    }

    @Test
    void aSecretPasswordIsResolvedWhenSecretsAreAtHandAndSkippedWhenOnlyTheShapeIsChecked() {
        var node = Configs.json("{\"kind\": \"postgres\", \"config\": {\"db_host\": \"h\", \"db_user\": \"u\","
            + " \"db_name\": \"d\", \"replication_slot\": \"s\","
            + " \"db_pass\": {\"secret_ref\": {\"type\": \"organization\", \"key\": \"PG_PASS\"}}}}");
        var shapeOnly = io.riffle.connectors.ConnectorConfig.of(Direction.SOURCE, node, null);
        assertThat(CdcSettings.from(shapeOnly).endpoint().password()).isEmpty();
        var resolved = io.riffle.connectors.ConnectorConfig.of(Direction.SOURCE, node, key -> "from-" + key);
        assertThat(CdcSettings.from(resolved).endpoint().password()).isEqualTo("from-PG_PASS");
    }

    @Test
    void sinkKeysAndMappingAcceptBothSpellings() {
        var a = TableSettings.from(Configs.of(Direction.SINK, "postgres", "db_host", "h", "db_user", "u", "db_name",
            "d", "table", "s.t", "primary_key", "a, b"), 5432, DbEndpoint.POSTGRES_SSL_MODES);
        assertThat(a.schema()).isEqualTo("s");
        assertThat(a.table()).isEqualTo("t");
        assertThat(a.keys()).containsExactly("a", "b");
        var b = TableSettings.from(Configs.of(Direction.SINK, "mysql", "db_host", "h", "db_user", "u", "db_name",
            "d", "table", "t", "primary_key", List.of("id"), "column_mapping",
            List.of(Map.of("name", "id", "value", "user.id"))), 3306, DbEndpoint.MYSQL_SSL_MODES);
        assertThat(b.keys()).containsExactly("id");
        assertThat(b.mapping().get("id").text()).isEqualTo("user.id");
        assertThat(b.endpoint().port()).isEqualTo(3306);
    }

    @Test
    void upsertStatementsPerDialect() {
        var pg = new PostgresDialect();
        assertThat(pg.insert(pg.qualified("s", "t"), List.of("id", "na\"me"), List.of("id")))
            .isEqualTo("INSERT INTO \"s\".\"t\" (\"id\", \"na\"\"me\") VALUES (?, ?) ON CONFLICT (\"id\") "
                + "DO UPDATE SET \"na\"\"me\" = EXCLUDED.\"na\"\"me\"");
        assertThat(pg.insert("t", List.of("id"), List.of("id"))).endsWith("ON CONFLICT (\"id\") DO NOTHING");
        assertThat(pg.insert("t", List.of("id"), List.of())).isEqualTo("INSERT INTO t (\"id\") VALUES (?)");
        var my = new MysqlDialect();
        assertThat(my.insert(my.qualified(null, "t"), List.of("id", "v`"), List.of("id")))
            .isEqualTo("INSERT INTO `t` (`id`, `v```) VALUES (?, ?) ON DUPLICATE KEY UPDATE `v``` = VALUES(`v```)");
        assertThat(my.insert("t", List.of("id"), List.of("id"))).endsWith("ON DUPLICATE KEY UPDATE `id` = `id`");
    }

    @Test
    void theRegistryFindsTheThreeKinds() {
        var registry = ConnectorRegistry.load();
        assertThat(registry.kinds(Direction.SOURCE)).contains("postgres");
        assertThat(registry.kinds(Direction.SINK)).contains("postgres", "mysql");
    }
}
