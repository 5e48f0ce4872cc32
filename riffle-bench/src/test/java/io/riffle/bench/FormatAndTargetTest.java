package io.riffle.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FormatAndTargetTest {
    @Test
    void numbersGetSeparatorsOrDecimalsByMagnitude() {
        assertThat(Format.number(25_000)).isEqualTo("25,000");
        assertThat(Format.number(1234.6)).isEqualTo("1,235");
        assertThat(Format.number(312.44)).isEqualTo("312.4");
        assertThat(Format.number(0.6)).isEqualTo("0.60");
        assertThat(Format.number(20)).isEqualTo("20");
        assertThat(Format.number(Double.NaN)).isEqualTo("—");
    }

    @Test
    void targetsCompareValueOrRatio() {
        assertThat(Target.atLeast(8000).met(8000, Double.NaN)).isTrue();
        assertThat(Target.atLeast(8000).met(7999, Double.NaN)).isFalse();
        assertThat(Target.atMost(20).met(20.5, Double.NaN)).isFalse();
        assertThat(Target.ratioAtLeast(1.8).met(100, 1.9)).isTrue();
        assertThat(Target.ratioAtLeast(1.8).met(100, Double.NaN)).isFalse();
        assertThat(Target.atMost(25).met(Double.NaN, Double.NaN)).isFalse();
    }

    @Test
    void targetsDescribeThemselves() {
        assertThat(Target.atLeast(25_000).describe()).isEqualTo("≥ 25,000");
        assertThat(Target.ratioAtLeast(1.8).describe()).isEqualTo("ratio ≥ 1.80");
        assertThat(Target.atMost(300).describe()).isEqualTo("≤ 300.0");
    }
}
