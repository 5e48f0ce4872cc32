package io.riffle.connectors.jdbc;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** One decoded logical replication message, whichever output plugin produced it. */
sealed interface WalMessage {
    /**
     * A transaction starts.
     *
     * @param lsn        the transaction's commit LSN when the plugin says it (pgoutput), else 0
     * @param commitTime ISO-8601, or null when the plugin does not say it
     */
    record Begin(long xid, long lsn, String commitTime) implements WalMessage {
    }

    /** A row change (or truncate) in the wal2json version 2 shape, without transaction fields. */
    record Change(ObjectNode event) implements WalMessage {
    }

    /**
     * A transaction committed.
     *
     * @param endLsn the LSN just past the commit record (what the slot is confirmed to), or 0 when the plugin does
     *               not say it (the message's own LSN is then used)
     */
    record Commit(long endLsn) implements WalMessage {
    }
}
