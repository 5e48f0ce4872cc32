package io.riffle.connectors.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.riffle.core.InvalidInputException;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClickHouseSinkFactoryTest {
    private static Map<String, Object> fields(String addr) {
        return new HashMap<>(Map.of("addr", addr, "database", "db", "username", "u", "password", "p", "table", "t"));
    }

    private static String base(String addr) {
        return ClickHouseSinkFactory.settings(Configs.sink("clickhouse", fields(addr))).base().toString();
    }

    @Test
    void addrMapsNativePortsToTheHttpInterface() {
        assertThat(base("ch.example.com:9440")).isEqualTo("https://ch.example.com:8443");
        assertThat(base("ch.example.com:9000")).isEqualTo("http://ch.example.com:8123");
        assertThat(base("ch.example.com")).isEqualTo("http://ch.example.com:8123");
        assertThat(base("10.0.0.1:18123")).isEqualTo("http://10.0.0.1:18123");
        assertThat(base("https://ch.example.com:8443/ignored")).isEqualTo("https://ch.example.com:8443");
    }

    @Test
    void badFieldsAreNamed() {
        assertThatThrownBy(() -> base("ch:notaport")).isInstanceOf(InvalidInputException.class)
            .hasMessageContaining("sink_connector.config.addr").hasMessageContaining("'ch:notaport'");
        assertThatThrownBy(() -> base("ch:70000")).hasMessageContaining("sink_connector.config.addr")
            .hasMessageContaining("70000");
        for (var field : new String[] {"addr", "database", "username", "table"}) {
            var f = fields("ch:9000");
            f.remove(field);
            assertThatThrownBy(() -> new ClickHouseSinkFactory().validate(Configs.sink("clickhouse", f)))
                .hasMessage("sink_connector.config." + field + ": is required");
        }
    }

    @Test
    void identifiersAreQuoted() {
        assertThat(ClickHouseSinkFactory.ClickHouseSettings.quote("we`ird")).isEqualTo("`we\\`ird`");
    }

    @Test
    void settingsNeverPrintThePassword() {
        var f = fields("ch:9000");
        f.put("password", "hunter2");
        assertThat(ClickHouseSinkFactory.settings(Configs.sink("clickhouse", f)).toString()).doesNotContain("hunter2");
    }
}
