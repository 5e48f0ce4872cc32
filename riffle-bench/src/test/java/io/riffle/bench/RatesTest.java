package io.riffle.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class RatesTest {
    @Test
    void eventsPerSecond() {
        assertThat(Rates.perSecond(50_000, 2_000_000_000L)).isEqualTo(25_000.0);
        assertThat(Rates.perSecond(1, 250_000L)).isCloseTo(4_000.0, within(1e-9));
    }

    @Test
    void zeroElapsedTimeIsAnError() {
        assertThatThrownBy(() -> Rates.perSecond(1, 0)).hasMessageContaining("positive");
    }

    @Test
    void ratioWithoutBaselineIsNaN() {
        assertThat(Rates.ratio(6, 10)).isEqualTo(0.6);
        assertThat(Rates.ratio(6, 0)).isNaN();
        assertThat(Rates.ratio(6, Double.NaN)).isNaN();
        assertThat(Rates.ratio(Double.NaN, 10)).isNaN();
    }
}
