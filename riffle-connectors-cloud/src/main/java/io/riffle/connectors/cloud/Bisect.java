package io.riffle.connectors.cloud;

import java.util.List;
import java.util.function.BiConsumer;

/**
 * Writes a batch whole and, when the external system refuses it for its data, halves it until each refused item
 * stands alone: good items are written, bad ones are reported with the system's reason. A batch with k bad items
 * of n costs about {@code 2k log2 n} extra requests. Failures of availability propagate at once.
 */
final class Bisect {
    /** Writes one batch all-or-nothing. */
    @FunctionalInterface
    interface Writer<T> {
        /** @throws RefusedException when the data was refused; any other exception means "try again later" */
        void write(List<T> batch) throws Exception;
    }

    private Bisect() {
    }

    static <T> void write(List<T> items, Writer<T> writer, BiConsumer<T, String> refused) throws Exception {
        if (items.isEmpty()) {
            return;
        }
        try {
            writer.write(items);
        } catch (RefusedException e) {
            if (items.size() == 1) {
                refused.accept(items.getFirst(), e.getMessage());
                return;
            }
            int half = items.size() / 2;
            write(items.subList(0, half), writer, refused);
            write(items.subList(half, items.size()), writer, refused);
        }
    }
}
