package io.riffle.cli;

import io.riffle.client.RiffleClientException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.yaml.snakeyaml.nodes.ScalarNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code delete -f pipeline.yaml}: delete the pipeline a file describes and clear its pipeline_id. */
@Command(name = "delete", mixinStandardHelpOptions = true,
    description = {"Delete the pipeline a pipeline.yaml describes and clear pipeline_id in the file.",
        "A later apply of the file creates the pipeline again."},
    footer = {"", "Example:", "  riffle delete -f pipelines/echo/pipeline.yaml"})
final class DeleteCommand extends ApiCommand {
    @Option(names = {"-f", "--file"}, required = true, paramLabel = "FILE", description = "The pipeline.yaml.")
    Path file;

    @Override
    void run() throws IOException {
        var text = Inputs.readText(file, "pipeline file");
        var root = PipelineYaml.compose(text, file);
        var id = YamlNodes.entry(root, "pipeline_id")
            .map(t -> t.getValueNode() instanceof ScalarNode s && !YamlNodes.isNull(s) ? s.getValue() : null)
            .filter(s -> !s.isBlank()).orElse(null);
        if (id == null) {
            throw new CliException(file + ": pipeline_id: the file has no pipeline_id; nothing to delete");
        }
        try {
            client().pipelines().delete(id);
            out().println("deleted pipeline " + id);
        } catch (RiffleClientException.NotFound e) {
            out().println("pipeline " + id + " did not exist");
        }
        var spaceId = YamlNodes.entry(root, "space_id")
            .map(t -> t.getValueNode() instanceof ScalarNode s && !YamlNodes.isNull(s) ? s.getValue() : null)
            .orElse(null);
        var ids = YamlWriteBack.ids(null, spaceId);
        ids.remove("space_id");
        Files.writeString(file, YamlWriteBack.set(text, file, ids), StandardCharsets.UTF_8);
        out().println("cleared pipeline_id in " + file);
    }
}
