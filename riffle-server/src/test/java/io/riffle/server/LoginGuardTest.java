package io.riffle.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.riffle.core.BackpressureException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LoginGuardTest {
    private final ManualClock clock = new ManualClock();
    private final LoginGuard guard = new LoginGuard(clock);

    @Test
    void fiveFailuresLockTheEmailUntilTheOldestLeavesTheWindow() {
        for (int i = 0; i < 5; i++) {
            guard.check("a@example.com");
            guard.failed("a@example.com");
            clock.advance(Duration.ofMinutes(1));
        }
        assertThatThrownBy(() -> guard.check("A@Example.com ")).isInstanceOf(BackpressureException.class)
            .satisfies(e -> assertThat(((BackpressureException) e).retryAfterSeconds()).isEqualTo(10 * 60));
        assertThatCode(() -> guard.check("b@example.com")).doesNotThrowAnyException();

        clock.advance(Duration.ofMinutes(10));
        assertThatCode(() -> guard.check("a@example.com")).doesNotThrowAnyException();
    }

    @Test
    void fourFailuresDoNotLock() {
        for (int i = 0; i < 4; i++) {
            guard.failed("c@example.com");
        }
        assertThatCode(() -> guard.check("c@example.com")).doesNotThrowAnyException();
    }

    @Test
    void successClearsTheCount() {
        for (int i = 0; i < 4; i++) {
            guard.failed("d@example.com");
        }
        guard.succeeded("d@example.com");
        for (int i = 0; i < 4; i++) {
            guard.failed("d@example.com");
        }
        assertThatCode(() -> guard.check("d@example.com")).doesNotThrowAnyException();
    }
}
