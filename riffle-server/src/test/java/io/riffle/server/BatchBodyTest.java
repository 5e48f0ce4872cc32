package io.riffle.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.riffle.core.PayloadTooLargeException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BatchBodyTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String s(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void ndjsonLinesBecomeEventsAndBlankLinesAreSkipped() {
        var events = BatchBody.split(b("{\"a\":1}\n\n  {\"a\":2}  \r\n{\"a\":3}"), 1024, 10);
        assertThat(events).extracting(BatchBodyTest::s).containsExactly("{\"a\":1}", "{\"a\":2}", "{\"a\":3}");
    }

    @Test
    void aJsonArrayBecomesItsElements() {
        var events = BatchBody.split(b(" [{\"a\":1}, {\"b\":[2]}, 3]"), 1024, 10);
        assertThat(events).extracting(BatchBodyTest::s).containsExactly("{\"a\":1}", "{\"b\":[2]}", "3");
    }

    @Test
    void limitsAreEnforced() {
        assertThatThrownBy(() -> BatchBody.split(b("{}\n{}\n{}"), 1024, 2))
            .isInstanceOf(PayloadTooLargeException.class).hasMessageContaining("at most 2");
        assertThatThrownBy(() -> BatchBody.split(b("{\"a\":\"" + "x".repeat(2000) + "\"}"), 1024, 2))
            .isInstanceOf(PayloadTooLargeException.class).hasMessageContaining("event 0");
        assertThatThrownBy(() -> BatchBody.split(b("   "), 1024, 2)).hasMessageContaining("empty");
    }
}
