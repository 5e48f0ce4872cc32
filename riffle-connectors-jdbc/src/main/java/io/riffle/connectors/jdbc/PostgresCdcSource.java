package io.riffle.connectors.jdbc;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.riffle.connectors.ConnectorConfig;
import io.riffle.connectors.Source;
import io.riffle.connectors.SourceContext;
import io.riffle.connectors.SourceRecord;
import io.riffle.core.UnavailableException;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.postgresql.PGConnection;
import org.postgresql.replication.LogSequenceNumber;
import org.postgresql.replication.PGReplicationStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Change data capture from one logical replication slot. Changes are emitted in batches of at most
 * {@link #MAX_BATCH}; the slot is confirmed ({@code setFlushedLSN}) to a transaction's end only after every change
 * of it was emitted, so a restart resumes at the first transaction not wholly stored. Each change's dedupe id is
 * its transaction's LSN and its index in the transaction, so a transaction read again is stored once.
 */
final class PostgresCdcSource implements Source {
    static final int MAX_BATCH = 500;
    private static final Logger LOG = LoggerFactory.getLogger(PostgresCdcSource.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration IDLE_POLL = Duration.ofMillis(20);
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(3);
    private final CdcSettings settings;
    private final ConnectorConfig config;
    private final ReentrantLock running = new ReentrantLock();
    private final ReentrantLock streamLock = new ReentrantLock();
    private volatile boolean closed;
    private volatile Connection sql;
    private volatile Connection replication;
    private PGReplicationStream stream;
    private StatusKeeper keeper;
    private WalDecoder decoder;
    private Txn txn;
    private int indexInTxn;
    private long committed;
    private long confirmed;
    private long reported;

    private record Txn(long lsn, long xid, String commitTime) {
    }

    PostgresCdcSource(CdcSettings settings, ConnectorConfig config) {
        this.settings = settings;
        this.config = config;
    }

    @Override
    public void run(SourceContext context) throws Exception {
        running.lock();
        try {
            start();
            context.connected();
            LOG.info("postgres source {}: reading slot {} with {}", settings.endpoint(), settings.slot(),
                settings.plugin());
            stream(context);
        } catch (SQLException e) {
            if (!closed) {
                throw new UnavailableException("postgres " + settings.endpoint() + " (slot " + settings.slot()
                    + "): " + ConnectFailures.firstLine(e), e);
            }
        } finally {
            release();
            running.unlock();
        }
    }

    private void start() throws SQLException {
        sql = PgConnections.open(settings.endpoint(), "riffle-cdc-" + settings.slot());
        CdcSetup.prepare(sql, settings, config, false);
        WalDecoder decoder = settings.plugin().equals(CdcSettings.PGOUTPUT)
            ? new PgOutputDecoder(new JdbcPgTypeNames(sql)) : new Wal2JsonDecoder();
        var statusInterval = StatusKeeper.interval(walSenderTimeoutMillis(sql));
        replication = PgConnections.openReplication(settings.endpoint(), "riffle-cdc-" + settings.slot());
        var builder = replication.unwrap(PGConnection.class).getReplicationAPI().replicationStream().logical()
            .withSlotName(settings.slot()).withStatusInterval((int) statusInterval.toMillis(), TimeUnit.MILLISECONDS);
        settings.pluginArgs().forEach(builder::withSlotOption);
        stream = builder.start();
        this.decoder = decoder;
        keeper = new StatusKeeper(stream, streamLock, statusInterval, settings.slot());
    }

    private static long walSenderTimeoutMillis(Connection c) throws SQLException {
        try (var st = c.createStatement();
             var rs = st.executeQuery("SELECT setting::bigint FROM pg_settings WHERE name = 'wal_sender_timeout'")) {
            return rs.next() ? rs.getLong(1) : 60_000;
        }
    }

    private void stream(SourceContext context) throws Exception {
        var pending = new ArrayList<SourceRecord>();
        while (context.running() && !closed) {
            ByteBuffer payload;
            long at;
            streamLock.lock();
            try {
                payload = stream.readPending();
                at = payload == null ? 0 : stream.getLastReceiveLSN().asLong();
            } finally {
                streamLock.unlock();
            }
            if (payload == null) {
                emit(context, pending);
                confirm(committed, true);
                if (!idle()) {
                    return;
                }
                continue;
            }
            for (var message : decoder.decode(payload)) {
                switch (message) {
                    case WalMessage.Begin b -> {
                        txn = new Txn(b.lsn() != 0 ? b.lsn() : at, b.xid(), b.commitTime());
                        indexInTxn = 0;
                    }
                    case WalMessage.Change c -> {
                        pending.add(record(c, at));
                        if (pending.size() >= MAX_BATCH) {
                            emit(context, pending);
                        }
                    }
                    case WalMessage.Commit c -> {
                        committed = c.endLsn() != 0 ? c.endLsn() : at;
                        txn = null;
                        if (pending.isEmpty()) {
                            confirm(committed, false);
                        }
                    }
                }
            }
        }
    }

    private SourceRecord record(WalMessage.Change change, long at) {
        if (txn == null) {
            txn = new Txn(at, 0, null);
            indexInTxn = 0;
        }
        var event = change.event();
        event.put("xid", txn.xid());
        event.put("lsn", LogSequenceNumber.valueOf(at).asString());
        if (txn.commitTime() != null) {
            event.put("timestamp", txn.commitTime());
        }
        var id = "lsn:" + LogSequenceNumber.valueOf(txn.lsn()).asString() + ":" + indexInTxn++;
        try {
            return new SourceRecord(JSON.writeValueAsBytes(event), id);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("could not encode a change", e);
        }
    }

    private void emit(SourceContext context, List<SourceRecord> pending) throws Exception {
        if (pending.isEmpty()) {
            return;
        }
        context.emit(List.copyOf(pending));
        pending.clear();
        if (txn == null) {
            confirm(committed, false);
        }
    }

    /** Confirms the slot up to {@code lsn} (everything before it is stored); {@code now} sends it at once. */
    private void confirm(long lsn, boolean now) throws SQLException {
        streamLock.lock();
        try {
            confirmLocked(lsn, now);
        } finally {
            streamLock.unlock();
        }
    }

    private void confirmLocked(long lsn, boolean now) throws SQLException {
        if (lsn > confirmed) {
            var position = LogSequenceNumber.valueOf(lsn);
            stream.setAppliedLSN(position);
            stream.setFlushedLSN(position);
            confirmed = lsn;
        }
        if (now && confirmed > reported) {
            stream.forceUpdateStatus();
            reported = confirmed;
        }
    }

    /** Waits a little for changes; false when interrupted. */
    private static boolean idle() {
        try {
            Thread.sleep(IDLE_POLL);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void release() {
        if (keeper != null) {
            keeper.close();
            keeper = null;
        }
        try {
            if (stream != null && !stream.isClosed() && confirmed > reported) {
                stream.forceUpdateStatus();
            }
        } catch (SQLException | RuntimeException e) {
            LOG.debug("postgres source {}: last status update failed: {}", settings.endpoint(), e.getMessage());
        }
        closeQuietly(replication);
        closeQuietly(sql);
        stream = null;
        replication = null;
        sql = null;
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException | RuntimeException e) {
                LOG.debug("closing a postgres connection failed: {}", e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            if (running.tryLock(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                running.unlock();
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (var c : new Connection[] {replication, sql}) {
            if (c != null) {
                try {
                    c.abort(Runnable::run);
                } catch (SQLException | RuntimeException e) {
                    LOG.debug("aborting a postgres connection failed: {}", e.getMessage());
                }
            }
        }
    }
}
