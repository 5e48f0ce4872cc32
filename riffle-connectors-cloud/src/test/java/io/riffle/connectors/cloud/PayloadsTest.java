package io.riffle.connectors.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PayloadsTest {
    private static String event(String body, Map<String, String> attributes) {
        return new String(Payloads.event(body, attributes), StandardCharsets.UTF_8);
    }

    @Test
    void aJsonObjectIsTheEventAsItIs() {
        assertThat(event("{\"a\": 1}", Map.of("k", "v"))).isEqualTo("{\"a\": 1}");
    }

    @Test
    void anythingElseIsWrappedWithItsAttributes() {
        assertThat(event("hello", Map.of())).isEqualTo("{\"payload\":\"hello\"}");
        assertThat(event("[1,2]", Map.of("k", "v"))).isEqualTo("{\"payload\":\"[1,2]\",\"attributes\":{\"k\":\"v\"}}");
        assertThat(event("", null)).isEqualTo("{\"payload\":\"\"}");
    }
}
