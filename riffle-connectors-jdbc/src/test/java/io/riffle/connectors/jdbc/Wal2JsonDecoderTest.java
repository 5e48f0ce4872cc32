package io.riffle.connectors.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** wal2json format-version 2 messages as its documentation shows them. */
class Wal2JsonDecoderTest {
    private final Wal2JsonDecoder decoder = new Wal2JsonDecoder();

    private static ByteBuffer json(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void transactionMarkersAndChangesAreRead() {
        assertThat(decoder.decode(json("{\"action\":\"B\",\"xid\":582,\"timestamp\":\"2024-05-01 10:00:00.1+00\"}")))
            .containsExactly(new WalMessage.Begin(582, 0, "2024-05-01 10:00:00.1+00"));
        var change = decoder.decode(json("{\"action\":\"U\",\"xid\":582,\"timestamp\":\"x\",\"schema\":\"public\","
            + "\"table\":\"t\",\"columns\":[{\"name\":\"id\",\"type\":\"integer\",\"value\":1}],"
            + "\"identity\":[{\"name\":\"id\",\"type\":\"integer\",\"value\":1}]}"));
        var event = ((WalMessage.Change) change.getFirst()).event();
        assertThat(event.has("xid")).isFalse();
        assertThat(event.path("identity").get(0).path("value").asInt()).isEqualTo(1);
        assertThat(decoder.decode(json("{\"action\":\"C\",\"xid\":582}"))).containsExactly(new WalMessage.Commit(0));
        assertThat(decoder.decode(json("{\"action\":\"M\",\"transactional\":false,\"prefix\":\"p\"}"))).isEmpty();
    }
}
