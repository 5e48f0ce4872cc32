package io.riffle.broker;

import io.riffle.core.InsufficientStorageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Refuses new writes while the disk of a directory has less than a reserve free. nats-server 2.9 disables JetStream
 * altogether when a write fails for lack of space (and only a restart brings it back), so Riffle stops writing
 * before that: publishes are refused with 507, runners wait. The free space is read at most every
 * {@link #REFRESH_NANOS}. Thread-safe.
 */
final class DiskGuard {
    static final long REFRESH_NANOS = 500_000_000L;
    static final int RETRY_AFTER_SECONDS = 5;
    private final long minFreeBytes;
    private final LongSupplier usableBytes;
    private final LongSupplier nanoTime;
    private volatile long free = Long.MAX_VALUE;
    private volatile long readAt;
    private volatile boolean read;

    DiskGuard(long minFreeBytes, LongSupplier usableBytes, LongSupplier nanoTime) {
        this.minFreeBytes = minFreeBytes;
        this.usableBytes = usableBytes;
        this.nanoTime = nanoTime;
    }

    /** A guard of the file system that holds {@code dir}. */
    static DiskGuard of(Path dir, long minFreeBytes) {
        try {
            var store = Files.getFileStore(dir);
            return new DiskGuard(minFreeBytes, () -> {
                try {
                    return store.getUsableSpace();
                } catch (IOException e) {
                    return Long.MAX_VALUE; // unknown: do not refuse on a failed reading
                }
            }, System::nanoTime);
        } catch (IOException e) {
            throw new io.riffle.core.RiffleException("cannot read the file system of " + dir + ": " + e.getMessage(), e);
        }
    }

    /** True while at least the reserve is free. */
    boolean hasRoom() {
        long now = nanoTime.getAsLong();
        if (!read || now - readAt >= REFRESH_NANOS) {
            free = usableBytes.getAsLong();
            readAt = now;
            read = true;
        }
        return free >= minFreeBytes;
    }

    /** @throws InsufficientStorageException when less than the reserve is free */
    void require() {
        if (!hasRoom()) {
            throw new InsufficientStorageException(String.format(Locale.ROOT, "the disk that stores the events has "
                + "%s free, less than the reserve of %s (RIFFLE_MIN_FREE_DISK_BYTES): nothing was stored; retry "
                + "once disk space was freed", mib(free), mib(minFreeBytes)), RETRY_AFTER_SECONDS);
        }
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }
}
