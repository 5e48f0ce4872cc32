package io.riffle.cli;

import io.riffle.client.RiffleClientException;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine;

/**
 * The client commands of the {@code riffle} executable. The executable's root command calls {@link #install} to add
 * them and {@link #message} to turn their failures into one line on stderr with exit code 1.
 */
public final class Cli {
    /** Exit code of a failed command (usage errors are picocli's 2). */
    public static final int FAILED = 1;

    private Cli() {
    }

    /** The top-level client commands, in the order {@code riffle --help} lists them. */
    static List<Object> commands() {
        return List.of(new LoginCommands.Login(), new LoginCommands.Logout(), new LoginCommands.Whoami(),
            new SpaceCommand(), new PipelineCommand(), new FunctionCommand(), new ApplyCommand(),
            new DeleteCommand(), new ExportCommand(), new PublishCommand(), new ConsumeCommand(),
            new DlqCommand(), new LogsCommand(), new CompletionCommand());
    }

    /** Adds the client commands to {@code root}. */
    public static void install(CommandLine root) {
        for (var command : commands()) {
            root.addSubcommand(command);
        }
    }

    /**
     * The one-line message for a failure of a client command, or empty when {@code e} is not one of theirs (a bug,
     * which should keep its stack trace).
     */
    public static Optional<String> message(Exception e) {
        return switch (e) {
            case CliException x -> Optional.of(x.getMessage());
            case RiffleClientException.Unauthorized x -> Optional.of(x.getMessage()
                + " (run 'riffle login', set RIFFLE_TOKEN, or check 'riffle whoami')");
            case RiffleClientException x -> Optional.of(x.getMessage());
            case IllegalArgumentException x -> Optional.of(x.getMessage());
            default -> Optional.empty();
        };
    }
}
