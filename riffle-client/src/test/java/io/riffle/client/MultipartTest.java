package io.riffle.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MultipartTest {
    @Test
    void encodesFilesAndFieldsWithCrlfAndClosingBoundary() {
        var form = new Multipart("b0")
            .file("file", "handler.py", "text/x-python", "def handler(data, log):\n    return data\n"
                .getBytes(StandardCharsets.UTF_8))
            .field("requirementsTxt", "requests==2.32.3");
        var body = new String(form.body(), StandardCharsets.UTF_8);
        assertThat(form.contentType()).isEqualTo("multipart/form-data; boundary=b0");
        assertThat(body).isEqualTo("""
            --b0\r
            Content-Disposition: form-data; name="file"; filename="handler.py"\r
            Content-Type: text/x-python\r
            \r
            def handler(data, log):
                return data
            \r
            --b0\r
            Content-Disposition: form-data; name="requirementsTxt"\r
            \r
            requests==2.32.3\r
            --b0--\r
            """);
    }

    @Test
    void percentEncodesQuotesAndLineBreaksInNames() {
        var body = new String(new Multipart("x").file("f", "a\"b\r\n.py", null, new byte[0]).body(),
            StandardCharsets.UTF_8);
        assertThat(body).contains("filename=\"a%22b%0D%0A.py\"");
    }

    @Test
    void randomBoundariesDifferAndEmptyOnesAreRefused() {
        assertThat(Multipart.create().contentType()).isNotEqualTo(Multipart.create().contentType());
        assertThatThrownBy(() -> new Multipart("")).isInstanceOf(IllegalArgumentException.class);
    }
}
