package io.riffle.connectors.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class S3KeysTest {
    @Test
    void prefixBecomesAFolder() {
        assertThat(S3Keys.prefix("")).isEmpty();
        assertThat(S3Keys.prefix("events")).isEqualTo("events/");
        assertThat(S3Keys.prefix("/a/b/")).isEqualTo("a/b/");
    }

    @Test
    void keyDependsOnlyOnTheIdsAndSortsInDeliveryOrder() {
        var a = S3Keys.key("e/", List.of("pipe:9", "pipe:10"));
        assertThat(a).isEqualTo(S3Keys.key("e/", List.of("pipe:9", "pipe:10")))
            .startsWith("e/pipe-00000000000000000009--pipe-00000000000000000010-").endsWith(".ndjson");
        assertThat(S3Keys.key("e/", List.of("pipe:9", "pipe:x", "pipe:10"))).isNotEqualTo(a);
        assertThat(S3Keys.key("e/", List.of("pipe:100"))).isGreaterThan(a);
    }

    @Test
    void unsafeCharactersAreReplaced() {
        assertThat(S3Keys.safe("a b/c?d")).isEqualTo("a-b-c-d");
        assertThat(S3Keys.safe("id")).isEqualTo("id");
    }
}
