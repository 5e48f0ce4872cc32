package io.riffle.cli;

import io.riffle.client.NewPipeline;
import io.riffle.client.PipelineDetails;
import io.riffle.client.PipelineUpdate;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code pipeline list|get|create|update|delete|pause|resume|status|tokens}. */
@Command(name = "pipeline", mixinStandardHelpOptions = true, description = "Manage pipelines.",
    subcommands = {PipelineCommand.List.class, PipelineCommand.Get.class, PipelineCommand.Create.class,
        PipelineCommand.Update.class, PipelineCommand.Delete.class, PipelineCommand.Pause.class,
        PipelineCommand.Resume.class, PipelineCommand.Status.class, PipelineCommand.History.class,
        PipelineCommand.Tokens.class})
final class PipelineCommand extends ParentCommand {
    static void printDetails(PrintStream o, PipelineDetails p) {
        o.println("id:           " + p.id());
        o.println("name:         " + p.name());
        o.println("space:        " + p.spaceName() + " (" + p.spaceId() + ")");
        o.println("state:        " + p.state());
        if (p.function() != null) {
            o.println("function:     version " + p.function().activeVersion() + " " + p.function().activeStatus()
                + (p.function().latestVersion() != p.function().activeVersion() ? ", version "
                + p.function().latestVersion() + " " + p.function().latestStatus() : ""));
        }
        if (p.settings() != null) {
            var s = p.settings();
            o.println("scaling:      replicas=" + s.minReplicas() + ".." + s.maxReplicas() + " lag_per_replica="
                + s.lagPerReplica() + " cooldown_ms=" + s.cooldownMs() + " idle_timeout_ms=" + s.idleTimeoutMs());
            o.println("settings:     timeout_ms=" + s.timeoutMs() + " max_retries=" + s.maxRetries() + " batch_size="
                + s.batchSize() + " memory_limit_mb=" + s.memoryLimitMb() + " async_concurrency="
                + s.asyncConcurrency());
            o.println("ordering:     " + ("key".equals(s.ordering()) ? "by " + s.orderingKey() + " over "
                + s.partitions() + " partitions" : "none"));
        }
        p.environments().forEach(e -> o.println("env:          " + e.name() + "=" + e.value()));
        o.println("created:      " + p.createdAt());
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Pipelines of your spaces.",
        footer = {"", "Example:", "  riffle pipeline list --space 0b5c6c1e7a0a4f2b"})
    static final class List extends ApiCommand {
        @Option(names = "--space", paramLabel = "ID", description = "Only this space (repeatable).")
        java.util.List<String> spaces = new ArrayList<>();

        @Override
        void run() {
            var pipelines = client().pipelines().list(spaces.toArray(String[]::new));
            output.print(out(), pipelines, o -> {
                var t = Table.of("ID", "NAME", "SPACE", "STATE", "CREATED");
                pipelines.forEach(p -> t.row(p.id(), p.name(), p.spaceName(), p.state(), p.createdAt()));
                t.print(o);
            });
        }
    }

    @Command(name = "get", mixinStandardHelpOptions = true, description = "One pipeline in full.",
        footer = {"", "Example:", "  riffle pipeline get 5f0c... -o yaml"})
    static final class Get extends ApiCommand {
        @Parameters(paramLabel = "ID", description = "Pipeline id.")
        String id;

        @Override
        void run() {
            var p = client().pipelines().get(id);
            output.print(out(), p, o -> printDetails(o, p));
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
        description = "Create a pipeline from a handler file; prints its id and access token.",
        footer = {"", "Example:",
            "  riffle pipeline create --space 0b5c... --name upper --function handler.py --env MODE=fast"})
    static final class Create extends ApiCommand {
        @Option(names = "--space", required = true, paramLabel = "ID", description = "Space id.")
        String space;

        @Option(names = "--name", required = true, paramLabel = "NAME", description = "Pipeline name.")
        String name;

        @Option(names = "--function", required = true, paramLabel = "FILE",
            description = "Python file defining handler(data, log).")
        Path function;

        @Option(names = "--requirements", paramLabel = "FILE", description = "requirements.txt for pip.")
        Path requirements;

        @Option(names = "--env", paramLabel = "NAME=VALUE", description = "Environment variable (repeatable).")
        java.util.List<String> env = new ArrayList<>();

        @picocli.CommandLine.Mixin
        SettingsOptions settings = new SettingsOptions();

        @Override
        void run() {
            var wanted = settings.settings();
            var created = client().pipelines().create(new NewPipeline(name, space,
                Inputs.readText(function, "function file"),
                requirements == null ? null : Inputs.readText(requirements, "requirements file"),
                Inputs.env(env), wanted.isEmpty() ? null : wanted, null, null));
            output.print(out(), created, o -> {
                o.println("created pipeline " + created.name() + " (" + created.id() + ")");
                o.println("access token: " + created.accessToken());
                o.println("function: version 1 " + created.functionStatus());
            });
        }
    }

    @Command(name = "update", mixinStandardHelpOptions = true,
        description = "Change the name, code, requirements, environment or settings (code changes make a new version).",
        footer = {"", "Examples:", "  riffle pipeline update 5f0c... --function handler.py",
            "  riffle pipeline update 5f0c... --max-replicas 8 --ordering key --ordering-key /user_id"})
    static final class Update extends ApiCommand {
        @Parameters(paramLabel = "ID", description = "Pipeline id.")
        String id;

        @Option(names = "--name", paramLabel = "NAME", description = "New name.")
        String name;

        @Option(names = "--function", paramLabel = "FILE", description = "New handler file.")
        Path function;

        @Option(names = "--requirements", paramLabel = "FILE", description = "New requirements.txt.")
        Path requirements;

        @Option(names = "--env", paramLabel = "NAME=VALUE",
            description = "Replace the environment with these variables (repeatable).")
        java.util.List<String> env = new ArrayList<>();

        @picocli.CommandLine.Mixin
        SettingsOptions settings = new SettingsOptions();

        @Override
        void run() {
            var wanted = settings.settings();
            var update = PipelineUpdate.NONE.withName(name)
                .withTransformation(function == null ? null : Inputs.readText(function, "function file"))
                .withRequirements(requirements == null ? null : Inputs.readText(requirements, "requirements file"))
                .withEnvironments(env.isEmpty() ? null : Inputs.env(env))
                .withSettings(wanted.isEmpty() ? null : wanted);
            if (update.isEmpty()) {
                throw new CliException("nothing to update: give --name, --function, --requirements, --env or a "
                    + "setting such as --max-replicas");
            }
            var p = client().pipelines().update(id, update);
            output.print(out(), p, o -> o.println("updated pipeline " + p.name() + " (" + p.id() + ")"));
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true,
        description = "Delete a pipeline with its events, versions and tokens.",
        footer = {"", "Example:", "  riffle pipeline delete 5f0c..."})
    static final class Delete extends ApiCommand {
        @Parameters(paramLabel = "ID", description = "Pipeline id.")
        String id;

        @Override
        void run() {
            client().pipelines().delete(id);
            out().println("deleted pipeline " + id);
        }
    }

    @Command(name = "pause", mixinStandardHelpOptions = true,
        description = "Stop processing; published events wait.", footer = {"", "Example:", "  riffle pipeline pause 5f0c..."})
    static final class Pause extends ApiCommand {
        @Parameters(paramLabel = "ID", description = "Pipeline id.")
        String id;

        @Override
        void run() {
            var p = client().pipelines().pause(id);
            out().println("pipeline " + p.id() + " is " + p.state());
        }
    }

    @Command(name = "resume", mixinStandardHelpOptions = true, description = "Resume processing.",
        footer = {"", "Example:", "  riffle pipeline resume 5f0c..."})
    static final class Resume extends ApiCommand {
        @Parameters(paramLabel = "ID", description = "Pipeline id.")
        String id;

        @Override
        void run() {
            var p = client().pipelines().resume(id);
            out().println("pipeline " + p.id() + " is " + p.state());
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
        description = "Function build, backlog, dead letters and workers.",
        footer = {"", "Example:", "  riffle pipeline status 5f0c..."})
    static final class Status extends ApiCommand {
        @Parameters(paramLabel = "ID", description = "Pipeline id.")
        String id;

        @Override
        void run() {
            var s = client().pipelines().status(id);
            output.print(out(), s, o -> {
                o.println("state:          " + s.state());
                o.println("function:       version " + s.activeVersion() + " active, version " + s.latestVersion()
                    + " " + s.functionStatus());
                if (s.error() != null) {
                    o.println("build error:    " + s.error());
                }
                o.println("backlog:        " + s.backlog() + " (in flight " + s.inFlight() + ")");
                o.println("output waiting: " + s.outputWaiting());
                o.println("dead letters:   " + s.failedWaiting());
                o.println("replicas:       " + s.replicas() + " (restarts " + s.workerRestarts() + ")");
                if (s.lastError() != null) {
                    o.println("last error:     " + s.lastError());
                }
                if (s.connectors() != null) {
                    s.connectors().properties().forEach(e -> o.println(connectorLine(e.getKey(), e.getValue())));
                }
            });
        }
    }

    /** {@code source:         webhook running on host-1 (delivered 10, rejected 0; last error ...)} */
    static String connectorLine(String direction, com.fasterxml.jackson.databind.JsonNode c) {
        var line = new StringBuilder(String.format("%-16s", direction + ":")).append(c.path("kind").asText())
            .append(' ').append(c.path("state").asText());
        if (c.hasNonNull("engine")) {
            line.append(" on ").append(c.path("engine").asText());
        }
        line.append(" (delivered ").append(c.path("delivered").asLong()).append(", rejected ")
            .append(c.path("rejected").asLong()).append(')');
        if (c.hasNonNull("last_error")) {
            line.append("; last error at ").append(c.path("last_error_at").asText()).append(": ")
                .append(c.path("last_error").asText());
        }
        return line.toString();
    }

    @Command(name = "history", mixinStandardHelpOptions = true,
        description = "What happened to a pipeline, newest first: versions, builds, scale decisions.",
        footer = {"", "Example:", "  riffle pipeline history 5f0c... --limit 20"})
    static final class History extends ApiCommand {
        @Parameters(paramLabel = "ID", description = "Pipeline id.")
        String id;

        @picocli.CommandLine.Option(names = "--limit", paramLabel = "N", defaultValue = "50",
            description = "Most events shown (1..1000, default 50).")
        int limit;

        @Override
        void run() {
            if (limit < 1 || limit > 1000) {
                throw new CliException("--limit must be between 1 and 1000; got " + limit);
            }
            var history = client().pipelines().history(id, limit);
            output.print(out(), history, o -> {
                for (var e : history.path("events")) {
                    o.println(e.path("at").asText() + "  " + String.format("%-16s", e.path("kind").asText()) + "  "
                        + e.path("message").asText());
                }
            });
        }
    }

    @Command(name = "tokens", mixinStandardHelpOptions = true,
        description = "Access tokens of a pipeline (for publish and consume).",
        footer = {"", "Example:", "  riffle pipeline tokens 5f0c..."})
    static final class Tokens extends ApiCommand {
        @Parameters(paramLabel = "ID", description = "Pipeline id.")
        String id;

        @Override
        void run() {
            var tokens = client().accessTokens().list(id);
            output.print(out(), tokens, o -> {
                var t = Table.of("ID", "NAME", "TOKEN", "CREATED");
                tokens.forEach(k -> t.row(k.id(), k.name(), k.token(), k.createdAt()));
                t.print(o);
            });
        }
    }
}
