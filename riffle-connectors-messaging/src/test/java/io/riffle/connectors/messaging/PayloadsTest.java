package io.riffle.connectors.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import org.junit.jupiter.api.Test;

class PayloadsTest {
    private static String event(String body) {
        return new String(Payloads.event(body.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
    }

    @Test
    void jsonObjectPassesThroughUnchanged() {
        assertThat(event("{\"a\": 1, \"b\": [true]}")).isEqualTo("{\"a\": 1, \"b\": [true]}");
        assertThat(event("  {\"a\":1}\n")).isEqualTo("  {\"a\":1}\n");
    }

    @Test
    void otherTextIsWrappedAsPayload() {
        assertThat(event("hello")).isEqualTo("{\"payload\":\"hello\"}");
        assertThat(event("[1,2]")).isEqualTo("{\"payload\":\"[1,2]\"}");
        assertThat(event("42")).isEqualTo("{\"payload\":\"42\"}");
        assertThat(event("{\"a\":1} trailing")).isEqualTo("{\"payload\":\"{\\\"a\\\":1} trailing\"}");
        assertThat(event("{broken")).isEqualTo("{\"payload\":\"{broken\"}");
        assertThat(event("")).isEqualTo("{\"payload\":\"\"}");
        assertThat(event("grüße \"q\"")).isEqualTo("{\"payload\":\"grüße \\\"q\\\"\"}");
    }

    @Test
    void bytesThatAreNotUtf8AreBase64() {
        var out = Payloads.event(new byte[] {(byte) 0xff, (byte) 0xfe, 0x00});
        assertThat(new String(out, StandardCharsets.UTF_8)).isEqualTo("{\"payload_base64\":\"//4A\"}");
    }

    @Test
    void namedValuesBecomeAnObjectOfStrings() {
        var values = new LinkedHashMap<String, byte[]>();
        values.put("sensor", "t1".getBytes(StandardCharsets.UTF_8));
        values.put("raw", new byte[] {(byte) 0xc3});
        assertThat(new String(Payloads.fields(values), StandardCharsets.UTF_8))
            .isEqualTo("{\"sensor\":\"t1\",\"raw_base64\":\"ww==\"}");
    }
}
