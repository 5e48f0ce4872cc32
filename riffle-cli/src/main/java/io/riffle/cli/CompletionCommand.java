package io.riffle.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code completion bash}: the shell completion script of the whole executable. */
@Command(name = "completion", mixinStandardHelpOptions = true,
    description = "Print a shell completion script (bash; also works in zsh with bashcompinit).",
    footer = {"", "Example:", "  source <(riffle completion bash)"})
final class CompletionCommand implements Callable<Integer> {
    enum Shell { bash }

    @Parameters(paramLabel = "SHELL", description = "Shell: ${COMPLETION-CANDIDATES}.")
    Shell shell;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        var root = spec.root();
        System.out.print(AutoComplete.bash(root.name(), root.commandLine()));
        return 0;
    }
}
