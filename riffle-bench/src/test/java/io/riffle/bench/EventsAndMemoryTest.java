package io.riffle.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EventsAndMemoryTest {
    @Test
    void readsFieldsOfOurEventsAndOfPythonsJson() {
        var ours = Events.event(42, 123_456_789_012L);
        assertThat(Events.longField(ours, "seq")).isEqualTo(42);
        assertThat(Events.longField(ours, "sent")).isEqualTo(123_456_789_012L);
        var python = "{\"seq\": 7, \"sent\": -5, \"pad\": \"x\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(Events.longField(python, "seq")).isEqualTo(7);
        assertThat(Events.longField(python, "sent")).isEqualTo(-5);
        assertThat(Events.longField(python, "missing")).isEqualTo(-1);
    }

    @Test
    void parsesProcStatusLines() {
        var status = "Name:\tjava\nVmPeak:\t  900000 kB\nVmRSS:\t  204800 kB\nThreads:\t40\n";
        assertThat(ProcessMemory.parseKb(status, "VmRSS:")).isEqualTo(204_800);
        assertThat(ProcessMemory.parseKb(status, "VmSwap:")).isZero();
        assertThat(MemoryFootprint.mb(204_800)).isEqualTo(200.0);
    }

    @Test
    void cpuHandlerIsValidPythonShape() {
        assertThat(CpuScaling.handler(1234)).startsWith("N = 1234\n").contains("def handler(data, log):");
    }

    @Test
    void cpuTicksAreUtimePlusStimeEvenWithSpacesInTheCommand() {
        var stat = "1234 (python3 -m x) S 1 1234 1234 0 -1 4194304 500 0 0 0 250 50 0 0 20 0 1 0 100 0 0";
        assertThat(CpuUsage.parseTicks(stat)).isEqualTo(300);
    }

    @Test
    void readsAPrometheusSeriesByLabel() {
        var text = "# HELP x\nriffle_x_sum{pipeline=\"a\",} 1.5\nriffle_x_sum{pipeline=\"b\",} 2.5\n";
        assertThat(PrometheusText.value(text, "riffle_x_sum", "pipeline=\"b\"")).isEqualTo(2.5);
        assertThat(PrometheusText.value(text, "riffle_y_sum", "pipeline=\"b\"")).isNaN();
    }
}
