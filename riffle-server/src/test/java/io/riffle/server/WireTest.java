package io.riffle.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.riffle.core.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class WireTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void objectsPassTheFastCheck() {
        assertThatCode(() -> Wire.requireObject(b(" {\"a\": [1, {\"b\": null}], \"c\": \"}\"} "), "e"))
            .doesNotThrowAnyException();
    }

    @Test
    void everythingElseIsRefusedWithAReason() {
        assertThatThrownBy(() -> Wire.requireObject(b("[1]"), "the event")).isInstanceOf(InvalidInputException.class)
            .hasMessageContaining("must be a JSON object; got an array");
        assertThatThrownBy(() -> Wire.requireObject(b("\"x\""), "e")).hasMessageContaining("a string");
        assertThatThrownBy(() -> Wire.requireObject(b("{\"a\":"), "e")).hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> Wire.requireObject(b("{} {}"), "e")).hasMessageContaining("exactly one");
        assertThatThrownBy(() -> Wire.requireObject(b(""), "e")).hasMessageContaining("empty");
        assertThatThrownBy(() -> Wire.requireObject(b("{\"a\":1,}"), "e")).hasMessageContaining("not valid JSON");
    }

    @Test
    void deepNestingIsRefused() {
        var deep = "{\"a\":" + "[".repeat(300) + "]".repeat(300) + "}";
        assertThatThrownBy(() -> Wire.requireObject(b(deep), "e")).hasMessageContaining("deeper");
        assertThatThrownBy(() -> Wire.parse(b(deep), "e")).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void timesAreUtcWithMilliseconds() {
        assertThat(Wire.time(Instant.parse("2026-01-02T03:04:05Z"))).isEqualTo("2026-01-02T03:04:05.000Z");
        assertThat(Wire.time(Instant.parse("2026-01-02T03:04:05.123456Z"))).isEqualTo("2026-01-02T03:04:05.123Z");
    }

    @Test
    void duplicateKeysAreRefused() {
        assertThatThrownBy(() -> Wire.parseObject(b("{\"a\":1,\"a\":2}"), "body"))
            .isInstanceOf(InvalidInputException.class).hasMessageContaining("Duplicate");
    }
}
