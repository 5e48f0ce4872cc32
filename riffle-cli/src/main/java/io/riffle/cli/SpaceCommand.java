package io.riffle.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code space list|create|delete}. */
@Command(name = "space", mixinStandardHelpOptions = true, description = "List, create and delete spaces.",
    subcommands = {SpaceCommand.List.class, SpaceCommand.Create.class, SpaceCommand.Delete.class})
final class SpaceCommand extends ParentCommand {
    @Command(name = "list", mixinStandardHelpOptions = true, description = "Spaces you are a member of.",
        footer = {"", "Example:", "  riffle space list -o json"})
    static final class List extends ApiCommand {
        @Override
        void run() {
            var spaces = client().spaces().list();
            output.print(out(), spaces, o -> {
                var t = Table.of("ID", "NAME", "PERMISSION", "CREATED");
                spaces.forEach(s -> t.row(s.id(), s.name(), s.permission(), s.createdAt()));
                t.print(o);
            });
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a space; you become its owner.",
        footer = {"", "Example:", "  riffle space create examples"})
    static final class Create extends ApiCommand {
        @Parameters(paramLabel = "NAME", description = "Name of the space.")
        String name;

        @Override
        void run() {
            var space = client().spaces().create(name);
            output.print(out(), space, o -> o.println("created space " + space.name() + " (" + space.id() + ")"));
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true,
        description = "Delete an empty space (delete its pipelines first).",
        footer = {"", "Example:", "  riffle space delete 0b5c6c1e7a0a4f2b"})
    static final class Delete extends ApiCommand {
        @Parameters(paramLabel = "ID", description = "Space id.")
        String id;

        @Override
        void run() {
            client().spaces().delete(id);
            out().println("deleted space " + id);
        }
    }
}
