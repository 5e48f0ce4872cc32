package io.riffle.connectors.jdbc;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Reads wal2json's format version 2 (one JSON object per message): {@code B}/{@code C} mark transactions,
 * {@code I}/{@code U}/{@code D}/{@code T} are changes kept as wal2json wrote them, {@code M} is skipped.
 */
final class Wal2JsonDecoder implements WalDecoder {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public List<WalMessage> decode(ByteBuffer payload) {
        ObjectNode node;
        try {
            var bytes = new byte[payload.remaining()];
            payload.get(bytes);
            node = (ObjectNode) JSON.readTree(bytes);
        } catch (IOException | ClassCastException e) {
            throw new UncheckedIOException("wal2json sent a message that is not a JSON object",
                e instanceof IOException io ? io : new IOException(e));
        }
        return switch (node.path("action").asText()) {
            case "B" -> List.of(new WalMessage.Begin(node.path("xid").asLong(),
                0, node.hasNonNull("timestamp") ? node.get("timestamp").asText() : null));
            case "C" -> List.of(new WalMessage.Commit(0));
            case "I", "U", "D", "T" -> {
                node.remove(List.of("xid", "timestamp", "lsn", "nextlsn"));
                yield List.of(new WalMessage.Change(node));
            }
            default -> List.of();
        };
    }
}
