package io.riffle.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.riffle.core.InsufficientStorageException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class DiskGuardTest {
    private final AtomicLong free = new AtomicLong(100L << 20);
    private final AtomicLong nanos = new AtomicLong();
    private final AtomicInteger readings = new AtomicInteger();
    private final DiskGuard guard = new DiskGuard(64L << 20, () -> {
        readings.incrementAndGet();
        return free.get();
    }, nanos::get);

    @Test
    void refusesWithTheFreeSpaceAndTheReserveInTheMessageBelowTheReserve() {
        guard.require();
        free.set(3L << 20);
        nanos.addAndGet(DiskGuard.REFRESH_NANOS);
        assertThatThrownBy(guard::require).isInstanceOf(InsufficientStorageException.class)
            .hasMessageContaining("3.0 MiB free").hasMessageContaining("64.0 MiB")
            .hasMessageContaining("RIFFLE_MIN_FREE_DISK_BYTES").hasMessageContaining("nothing was stored")
            .satisfies(e -> assertThat(((InsufficientStorageException) e).retryAfterSeconds()).isPositive());
        free.set(65L << 20);
        nanos.addAndGet(DiskGuard.REFRESH_NANOS);
        assertThat(guard.hasRoom()).as("room again once space was freed").isTrue();
    }

    @Test
    void readsTheFileSystemAtMostOnceARefreshInterval() {
        for (int i = 0; i < 1000; i++) {
            guard.require();
            nanos.addAndGet(DiskGuard.REFRESH_NANOS / 1000 - 1);
        }
        assertThat(readings).hasValue(1);
        nanos.addAndGet(DiskGuard.REFRESH_NANOS);
        guard.require();
        assertThat(readings).hasValue(2);
    }
}
