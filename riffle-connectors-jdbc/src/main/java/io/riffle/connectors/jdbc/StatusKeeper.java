package io.riffle.connectors.jdbc;

import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;
import org.postgresql.replication.PGReplicationStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the replication stream's status (the confirmed position) every {@code interval} while the reading thread is
 * busy elsewhere, typically blocked in {@code emit} because the pipeline's input stream is full: without it the
 * server's {@code wal_sender_timeout} would cut the connection. pgjdbc is not thread-safe, so every use of the
 * stream, here and in the reader, holds {@code lock}.
 */
final class StatusKeeper implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StatusKeeper.class);
    private final PGReplicationStream stream;
    private final ReentrantLock lock;
    private final Duration interval;
    private final Thread thread;

    StatusKeeper(PGReplicationStream stream, ReentrantLock lock, Duration interval, String name) {
        this.stream = stream;
        this.lock = lock;
        this.interval = interval;
        this.thread = Thread.ofVirtual().name("riffle-cdc-status-" + name).start(this::loop);
    }

    private void loop() {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Thread.sleep(interval);
            } catch (InterruptedException e) {
                return;
            }
            if (lock.tryLock()) {
                try {
                    if (stream.isClosed()) {
                        return;
                    }
                    stream.forceUpdateStatus();
                } catch (SQLException | RuntimeException e) {
                    LOG.debug("status update failed; the reader will see the connection fail: {}", e.getMessage());
                    return;
                } finally {
                    lock.unlock();
                }
            }
        }
    }

    /** How often to send: a third of the server's {@code wal_sender_timeout} (ms, 0 = none), within 100 ms–10 s. */
    static Duration interval(long walSenderTimeoutMillis) {
        if (walSenderTimeoutMillis <= 0) {
            return Duration.ofSeconds(10);
        }
        return Duration.ofMillis(Math.clamp(walSenderTimeoutMillis / 3, 100, 10_000));
    }

    @Override
    public void close() {
        thread.interrupt();
        try {
            thread.join(Duration.ofSeconds(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
