package io.riffle.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ConnectorPartsTest {
    @Test
    void backoffDoublesToItsCapAndResets() {
        var b = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30));
        assertThat(java.util.stream.Stream.generate(b::next).limit(7).map(Duration::toSeconds).toList())
            .containsExactly(1L, 2L, 4L, 8L, 16L, 30L, 30L);
        b.reset();
        assertThat(b.next()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void onlyOneJsonObjectIsAnEvent() {
        assertThat(SourceTask.notAnObject(bytes("{\"a\": [1, 2]}"))).isNull();
        assertThat(SourceTask.notAnObject(bytes("[1]"))).isEqualTo("the event is not a JSON object (got array)");
        assertThat(SourceTask.notAnObject(bytes("42"))).isEqualTo("the event is not a JSON object (got number)");
        assertThat(SourceTask.notAnObject(bytes(""))).startsWith("the event is not a JSON object (got ");
        assertThat(SourceTask.notAnObject(bytes("hello"))).startsWith("the event is not valid JSON");
        assertThat(SourceTask.notAnObject(bytes("{} {}"))).startsWith("the event is not valid JSON");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
