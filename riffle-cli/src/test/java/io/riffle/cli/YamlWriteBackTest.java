package io.riffle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class YamlWriteBackTest {
    private static final Path FILE = Path.of("pipeline.yaml");
    private static final String ID = "3d80a059-3281-4a09-94d9-8a845fbb7d5d";

    @Test
    void fillsEmptyKeysKeepingCommentsAndEverythingElse() {
        var text = """
            # my pipeline
            name: echo   # shown in the UI
            pipeline_id:      # filled by CI
            space_id:
            space_name: examples
            components: []
            """;
        assertThat(YamlWriteBack.set(text, FILE, YamlWriteBack.ids(ID, "s-1"))).isEqualTo("""
            # my pipeline
            name: echo   # shown in the UI
            pipeline_id: %s  # filled by CI
            space_id: s-1
            space_name: examples
            components: []
            """.formatted(ID));
    }

    @Test
    void insertsMissingKeysAfterName() {
        var text = "name: |\n  multi\n  line\nspace_name: examples\ncomponents: []\n";
        assertThat(YamlWriteBack.set(text, FILE, YamlWriteBack.ids("a1", "b2")))
            .isEqualTo("name: |\n  multi\n  line\npipeline_id: a1\nspace_id: b2\nspace_name: examples\n"
                + "components: []\n");
    }

    @Test
    void quotesValuesYamlWouldReadAsSomethingElse() {
        assertThat(YamlWriteBack.set("name: x\n", FILE, YamlWriteBack.ids("123", "true")))
            .isEqualTo("name: x\npipeline_id: \"123\"\nspace_id: \"true\"\n");
    }

    @Test
    void clearingLeavesTheKeyEmpty() {
        var text = "name: x\npipeline_id: a1\nspace_id: b2\n";
        var ids = YamlWriteBack.ids(null, null);
        ids.remove("space_id");
        assertThat(YamlWriteBack.set(text, FILE, ids)).isEqualTo("name: x\npipeline_id:\nspace_id: b2\n");
    }

    @Test
    void writtenFileParsesBackToTheSameIds() {
        var text = "name: x\r\nspace_name: s\r\n";
        var out = YamlWriteBack.set(text, FILE, YamlWriteBack.ids(ID, "b2"));
        assertThat(out).isEqualTo("name: x\r\npipeline_id: " + ID + "\r\nspace_id: b2\r\nspace_name: s\r\n");
    }
}
