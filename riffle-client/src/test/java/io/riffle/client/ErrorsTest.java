package io.riffle.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ErrorsTest {
    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void statusCodesMapToTheirSubclassesWithTheServersDetail() {
        assertThat(Errors.of(404, bytes("{\"detail\":\"pipeline p1 not found\",\"msg\":\"x\"}"), null, "GET p"))
            .isInstanceOf(RiffleClientException.NotFound.class).hasMessage("pipeline p1 not found")
            .extracting(RiffleClientException::statusCode).isEqualTo(404);
        assertThat(Errors.of(401, bytes("{\"detail\":\"bad token\"}"), null, "GET"))
            .isInstanceOf(RiffleClientException.Unauthorized.class);
        assertThat(Errors.of(425, bytes("{\"detail\":\"building\"}"), null, "PATCH"))
            .isInstanceOf(RiffleClientException.TooEarly.class);
        assertThat(Errors.of(409, bytes("{\"detail\":\"space not empty\"}"), null, "DELETE"))
            .isExactlyInstanceOf(RiffleClientException.class).extracting(RiffleClientException::statusCode)
            .isEqualTo(409);
    }

    @Test
    void tooManyRequestsCarriesRetryAfter() {
        var e = (RiffleClientException.TooManyRequests) Errors.of(429, bytes("{\"detail\":\"full\"}"), "7", "POST");
        assertThat(e.retryAfterSeconds()).isEqualTo(7);
        var fallback = (RiffleClientException.TooManyRequests) Errors.of(429, new byte[0], "soon", "POST");
        assertThat(fallback.retryAfterSeconds()).isEqualTo(1);
    }

    @Test
    void glassflowMsgAndNonJsonBodiesStillGiveAReadableMessage() {
        assertThat(Errors.message(409, bytes("{\"msg\":\"space is not empty\"}"), "DELETE /spaces/s"))
            .isEqualTo("space is not empty");
        assertThat(Errors.message(502, bytes("<html>Bad Gateway</html>"), "GET /spaces"))
            .isEqualTo("GET /spaces failed with HTTP 502: <html>Bad Gateway</html>");
        assertThat(Errors.message(500, null, "GET /spaces")).isEqualTo("GET /spaces failed with HTTP 500");
    }
}
