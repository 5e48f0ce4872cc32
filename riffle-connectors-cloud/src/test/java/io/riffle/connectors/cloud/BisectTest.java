package io.riffle.connectors.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BisectTest {
    @Test
    void isolatesTheRefusedItemsAndWritesTheRest() throws Exception {
        var items = IntStream.range(0, 64).boxed().toList();
        var written = new ArrayList<Integer>();
        var calls = new int[1];
        Map<Integer, String> refused = new HashMap<>();
        Bisect.write(items, batch -> {
            calls[0]++;
            if (batch.contains(5) || batch.contains(40)) {
                throw new RefusedException("bad " + batch);
            }
            written.addAll(batch);
        }, refused::put);
        assertThat(refused).containsOnlyKeys(5, 40).containsEntry(5, "bad [5]");
        assertThat(written).hasSize(62).doesNotContain(5, 40);
        assertThat(calls[0]).isLessThanOrEqualTo(1 + 2 * 2 * 6);
    }

    @Test
    void anUnavailableSystemFailsTheWholeBatch() {
        assertThatThrownBy(() -> Bisect.write(List.of(1, 2), batch -> {
            throw new java.io.IOException("connection refused");
        }, (i, r) -> { })).isInstanceOf(java.io.IOException.class);
    }
}
