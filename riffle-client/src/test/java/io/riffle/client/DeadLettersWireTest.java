package io.riffle.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeadLettersWireTest {
    @Test
    void readsADeadLetterPage() {
        var json = """
            {"dead_letters":[{"req_id":"r1","receive_time":"2025-01-02T03:04:05.123Z","payload":{"id":3},
              "event_context":{"request_id":"r1","external_id":null,"receive_time":"2025-01-02T03:04:05.123Z"},
              "status":"Failed","response":{"id":3},"error_details":"ValueError: bad","stack_trace":"Traceback",
              "attempts":4,"sequence":17}],
             "count":1,"next_after":17}""";
        var page = Http.read(json.getBytes(StandardCharsets.UTF_8), DeadLetterPage.class);
        assertThat(page.count()).isEqualTo(1);
        assertThat(page.nextAfter()).isEqualTo(17L);
        var d = page.deadLetters().get(0);
        assertThat(d.sequence()).isEqualTo(17);
        assertThat(d.errorDetails()).isEqualTo("ValueError: bad");
        assertThat(d.attempts()).isEqualTo(4);
        assertThat(d.payload().path("id").asInt()).isEqualTo(3);
        assertThat(d.eventContext().receiveTime()).isEqualTo(Instant.parse("2025-01-02T03:04:05.123Z"));

        var empty = Http.read("{\"dead_letters\":[],\"count\":0}".getBytes(StandardCharsets.UTF_8),
            DeadLetterPage.class);
        assertThat(empty.deadLetters()).isEmpty();
        assertThat(empty.nextAfter()).isNull();
    }

    @Test
    void argumentsAreCheckedBeforeAnyCall() {
        var dlq = RiffleClient.builder().server("http://127.0.0.1:1").token("t").build().deadLetters();
        assertThatThrownBy(() -> dlq.list("p", -1, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> dlq.list("p", 0, DeadLetters.MAX_LIMIT + 1))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> dlq.replay("p", List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aLoginTokenKeepsItsSecretOutOfToString() {
        var json = """
            {"id":"t1","name":"login 2025-01-02T03:04:05.123Z","created_at":"2025-01-02T03:04:05.123Z",
             "expires_at":"2025-02-01T03:04:05.123Z","token":"rfl_pat_secret"}""";
        var login = Http.read(json.getBytes(StandardCharsets.UTF_8), LoginToken.class);
        assertThat(login.token()).isEqualTo("rfl_pat_secret");
        assertThat(login.expiresAt()).isEqualTo(Instant.parse("2025-02-01T03:04:05.123Z"));
        assertThat(login.toString()).contains("t1").doesNotContain("rfl_pat_secret");
    }
}
