package io.riffle.connectors.jdbc;

import java.nio.ByteBuffer;
import java.util.List;

/** Decodes one output plugin's messages. One instance per replication session (it keeps relation metadata). */
interface WalDecoder {
    /** The messages in one {@code XLogData} payload; empty for messages Riffle does not use. */
    List<WalMessage> decode(ByteBuffer payload);
}
