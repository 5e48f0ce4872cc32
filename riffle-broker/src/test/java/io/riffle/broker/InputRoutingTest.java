package io.riffle.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.riffle.core.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import org.junit.jupiter.api.Test;

class InputRoutingTest {
    private static byte[] json(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void theSameKeyAlwaysGoesToTheSamePartitionAndKeysSpreadOverAll() {
        var routing = new InputRouting(8, "/user/id");
        int a = routing.partitionOf(json("{\"user\": {\"id\": \"alice\"}, \"n\": 1}"));
        assertThat(routing.partitionOf(json("{\"n\": 2, \"user\": {\"id\": \"alice\", \"x\": true}}"))).isEqualTo(a);
        var seen = new HashSet<Integer>();
        for (int i = 0; i < 200; i++) {
            int p = routing.partitionOf(json("{\"user\": {\"id\": \"u" + i + "\"}}"));
            assertThat(p).isBetween(0, 7);
            seen.add(p);
        }
        assertThat(seen).hasSize(8);
        // a number key hashes its JSON text; the string "7" and the number 7 are the same key
        assertThat(new InputRouting(64, "/k").partitionOf(json("{\"k\": 7}")))
            .isEqualTo(new InputRouting(64, "/k").partitionOf(json("{\"k\": \"7\"}")));
        assertThat(InputRouting.fnv1a(json("a"))).isEqualTo(0xe40c292c); // the published FNV-1a test vector
    }

    @Test
    void anEventWithoutItsKeyIsRefusedNamingThePointer() {
        var routing = new InputRouting(4, "/user_id");
        assertThatThrownBy(() -> routing.partitionOf(json("{\"n\": 1}"))).isInstanceOf(InvalidInputException.class)
            .hasMessageContaining("ordering_key \"/user_id\"");
        assertThatThrownBy(() -> routing.partitionOf(json("{\"user_id\": null}")))
            .hasMessageContaining("no value at ordering_key \"/user_id\"");
        assertThatThrownBy(() -> routing.partitionOf(json("{\"user_id\": "))).hasMessageContaining("not JSON");
    }
}
