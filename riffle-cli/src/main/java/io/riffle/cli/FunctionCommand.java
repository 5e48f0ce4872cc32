package io.riffle.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code function test|versions|rollback}. */
@Command(name = "function", mixinStandardHelpOptions = true,
    description = "Test a pipeline's function, list its versions, roll back.",
    subcommands = {FunctionCommand.Test.class, FunctionCommand.Versions.class, FunctionCommand.Rollback.class})
final class FunctionCommand extends ParentCommand {
    @Command(name = "test", mixinStandardHelpOptions = true,
        description = "Run the latest version on a sample event; nothing is published. Exit 1 when it fails.",
        footer = {"", "Example:", "  riffle function test 5f0c... --event sample.json"})
    static final class Test extends ApiCommand {
        @Parameters(paramLabel = "PIPELINE", description = "Pipeline id.")
        String pipeline;

        @Option(names = "--event", required = true, paramLabel = "FILE", description = "JSON event file, or - for stdin.")
        String event;

        @Override
        void run() {
            JsonNode sample;
            try (var in = Inputs.open(event)) {
                sample = Json.MAPPER.readTree(in);
            } catch (IOException e) {
                throw new CliException("the sample event " + event + " is not valid JSON: " + e.getMessage(), e);
            }
            if (sample == null) {
                throw new CliException("the sample event " + event + " is empty");
            }
            var result = Waits.whileBuilding(() -> client().functions().test(pipeline, sample), err());
            output.print(out(), result, o -> {
                o.println("status:   " + result.status() + (result.version() == null ? ""
                    : " (version " + result.version() + ")"));
                if (result.failed()) {
                    o.println("error:    " + result.errorDetails());
                    if (result.stackTrace() != null) {
                        o.println(result.stackTrace().stripTrailing());
                    }
                } else {
                    o.println("response: " + Json.pretty(result.response()));
                }
            });
            if (result.failed()) {
                throw new CliException("the function failed on the sample event: " + result.errorDetails());
            }
        }
    }

    @Command(name = "versions", mixinStandardHelpOptions = true, description = "Versions of the function.",
        footer = {"", "Example:", "  riffle function versions 5f0c..."})
    static final class Versions extends ApiCommand {
        @Parameters(paramLabel = "PIPELINE", description = "Pipeline id.")
        String pipeline;

        @Override
        void run() {
            var versions = client().functions().versions(pipeline);
            output.print(out(), versions, o -> {
                var t = Table.of("VERSION", "STATUS", "ACTIVE", "CREATED");
                versions.versions().forEach(v -> t.row(v.version(), v.status(),
                    v.version() == versions.activeVersion() ? "*" : "", v.createdAt()));
                t.print(o);
            });
        }
    }

    @Command(name = "rollback", mixinStandardHelpOptions = true,
        description = "Run an earlier (ready) version instead of the active one.",
        footer = {"", "Example:", "  riffle function rollback 5f0c... 2"})
    static final class Rollback extends ApiCommand {
        @Parameters(index = "0", paramLabel = "PIPELINE", description = "Pipeline id.")
        String pipeline;

        @Parameters(index = "1", paramLabel = "VERSION", description = "Version number to run.")
        int version;

        @Override
        void run() {
            int active = client().functions().activate(pipeline, version);
            out().println("pipeline " + pipeline + " now runs version " + active);
        }
    }
}
