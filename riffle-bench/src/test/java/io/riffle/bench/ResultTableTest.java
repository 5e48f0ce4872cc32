package io.riffle.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ResultTableTest {
    private final ResultTable table = new ResultTable(List.of(
        Row.of("B1 raw", "events/s", 100_000, null),
        Row.of("B2 pipeline", "events/s", 45_000, Target.ratioAtLeast(0.6)).withBaseline(100_000)
            .withNote("baseline = B1"),
        Row.of("B4 publish", "p99 ms", 12.345, Target.atMost(20)),
        Row.failed("B8", "python3 not found")));

    @Test
    void cellsCarryRatioTargetAndVerdict() {
        var cells = table.cells();
        assertThat(cells.get(0)).containsExactly("B1 raw", "events/s", "100,000", "", "", "", "");
        assertThat(cells.get(1)).containsExactly("B2 pipeline", "events/s", "45,000", "100,000", "0.45",
            "ratio ≥ 0.60", "no");
        assertThat(cells.get(2)).containsExactly("B4 publish", "p99 ms", "12.35", "", "", "≤ 20", "yes");
        assertThat(cells.get(3)).containsExactly("B8", "error", "—", "", "", "", "");
    }

    @Test
    void textColumnsAreAlignedAndNumbersRightAligned() {
        var lines = table.text().lines().toList();
        assertThat(lines).hasSize(5);
        assertThat(lines.get(0)).startsWith("benchmark    metric    ");
        int valueEnd = lines.get(1).indexOf("100,000") + "100,000".length();
        assertThat(lines.get(3).indexOf("12.35") + "12.35".length()).isEqualTo(valueEnd);
        assertThat(lines).allSatisfy(l -> assertThat(l).doesNotEndWith(" "));
    }

    @Test
    void markdownHasHeaderAlignmentRowsAndNotes() {
        var md = table.markdown();
        assertThat(md).startsWith("| benchmark | metric | value | baseline | ratio | target | met? |\n"
            + "|---|---|---:|---:|---:|---|---|\n");
        assertThat(md).contains("| B2 pipeline | events/s | 45,000 | 100,000 | 0.45 | ratio ≥ 0.60 | no |");
        assertThat(md).contains("- B2 pipeline, events/s: baseline = B1");
        assertThat(md).contains("- B8, error: python3 not found");
    }

    @Test
    void pipesInCellsAreEscaped() {
        var md = new ResultTable(List.of(Row.of("a|b", "m", 1, null))).markdown();
        assertThat(md).contains("| a\\|b | m | 1 |");
    }
}
