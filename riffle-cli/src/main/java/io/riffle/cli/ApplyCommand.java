package io.riffle.cli;

import io.riffle.client.NewPipeline;
import io.riffle.client.RiffleClient;
import io.riffle.client.RiffleClientException;
import io.riffle.client.Space;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code apply -f pipeline.yaml [--dry-run]}: make the server match the file; idempotent. */
@Command(name = "apply", mixinStandardHelpOptions = true,
    description = {"Create or update a pipeline from a pipeline.yaml; prints the plan first.",
        "The format is GlassFlow's (source -> transformer -> sink) plus Riffle's settings. A second apply of the",
        "same file changes nothing. After creating, writes pipeline_id and space_id back into the file, as",
        "GlassFlow's pipelines action does."},
    footer = {"", "Examples:", "  riffle apply -f pipelines/echo/pipeline.yaml --dry-run",
        "  riffle apply -f pipelines/echo/pipeline.yaml"})
final class ApplyCommand extends ApiCommand {
    @Option(names = {"-f", "--file"}, required = true, paramLabel = "FILE", description = "The pipeline.yaml.")
    Path file;

    @Option(names = "--dry-run", description = "Print the plan only; change nothing.")
    boolean dryRun;

    @Override
    void run() {
        var spec = PipelineYaml.load(file);
        var client = client();
        var plan = plan(client, spec);
        out().print(plan.render());
        if (dryRun) {
            out().println("dry run: nothing changed");
            return;
        }
        switch (plan.kind()) {
            case CREATE -> create(client, spec, plan);
            case UPDATE -> {
                var p = Waits.whileBuilding(() -> client.pipelines().update(spec.pipelineId(), plan.update()), err());
                out().println("updated pipeline " + p.id() + functionNote(plan, p.id()));
            }
            case NO_CHANGE -> {
                // idempotent: nothing to send, and the ids in the file are already right
            }
        }
    }

    private Plan plan(RiffleClient client, PipelineSpec spec) {
        if (spec.pipelineId() != null) {
            try {
                var current = client.pipelines().get(spec.pipelineId());
                return Plan.update(spec, current, client.functions().latest(spec.pipelineId()));
            } catch (RiffleClientException.NotFound e) {
                throw new CliException(spec.file() + ":" + spec.pipelineIdLine() + ": pipeline_id: pipeline "
                    + spec.pipelineId() + " does not exist on " + client.baseUri() + "; remove pipeline_id to create "
                    + "it again");
            }
        }
        if (spec.spaceId() != null) {
            return Plan.create(spec, false, spec.spaceId());
        }
        var space = spaceNamed(client, spec.spaceName());
        return space == null ? Plan.create(spec, true, "\"" + spec.spaceName() + "\" (new)")
            : Plan.create(spec, false, "\"" + space.name() + "\" (" + space.id() + ")");
    }

    private static Space spaceNamed(RiffleClient client, String name) {
        var matches = client.spaces().list().stream().filter(s -> s.name().equals(name)).toList();
        if (matches.size() > 1) {
            throw new CliException("there are " + matches.size() + " spaces named '" + name + "'; set space_id "
                + "instead of space_name");
        }
        return matches.isEmpty() ? null : matches.getFirst();
    }

    private void create(RiffleClient client, PipelineSpec spec, Plan plan) {
        String spaceId = spec.spaceId();
        Space created = null;
        if (spaceId == null) {
            var existing = spaceNamed(client, spec.spaceName());
            if (existing == null) {
                created = client.spaces().create(spec.spaceName());
                spaceId = created.id();
            } else {
                spaceId = existing.id();
            }
        }
        io.riffle.client.CreatedPipeline pipeline;
        try {
            pipeline = client.pipelines().create(new NewPipeline(spec.name(), spaceId, spec.transformation(),
                spec.requirements(), spec.env(), spec.settings().isEmpty() ? null : spec.settings(), null, null,
                spec.source(), spec.sink()));
        } catch (RuntimeException e) {
            if (created != null) {
                // the server refused the pipeline (e.g. a connector field): leave nothing behind
                client.spaces().delete(created.id());
            }
            throw e;
        }
        if (created != null) {
            out().println("created space " + created.name() + " (" + created.id() + ")");
        }
        out().println("created pipeline " + pipeline.id() + functionNote(plan, pipeline.id()));
        writeBack(spec.file(), pipeline.id(), spaceId);
    }

    private void writeBack(Path yaml, String pipelineId, String spaceId) {
        try {
            var text = Files.readString(yaml, StandardCharsets.UTF_8);
            var updated = YamlWriteBack.set(text, yaml, YamlWriteBack.ids(pipelineId, spaceId));
            Files.writeString(yaml, updated, StandardCharsets.UTF_8);
            out().println("wrote pipeline_id and space_id to " + yaml);
        } catch (IOException e) {
            throw new CliException("the pipeline " + pipelineId + " was created but " + yaml + " could not be "
                + "updated (" + e.getMessage() + "); add pipeline_id: " + pipelineId + " and space_id: " + spaceId
                + " by hand", e);
        }
    }

    private static String functionNote(Plan plan, String id) {
        boolean building = plan.kind() == Plan.Kind.CREATE || plan.update().transformationFunction() != null
            || plan.update().requirementsTxt() != null || plan.update().environments() != null;
        return building ? "; a new function version is building (see 'riffle pipeline status " + id + "')" : "";
    }
}
