package io.riffle.cli;

import io.riffle.client.DeadLetters;
import java.util.ArrayList;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code dlq list|replay|purge}: dead letters without taking them, replayed after a fix, or deleted. */
@Command(name = "dlq", mixinStandardHelpOptions = true,
    description = {"Dead letters: events the function failed on. List them, replay them after fixing the function, "
        + "or purge them.", "To take them one by one instead, use 'riffle consume PIPELINE --failed'."},
    subcommands = {DlqCommand.List.class, DlqCommand.Replay.class, DlqCommand.Purge.class})
final class DlqCommand extends ParentCommand {
    /** Payload characters the table shows; -o json shows all. */
    static final int PAYLOAD_WIDTH = 60;
    /** Error characters the table shows. */
    static final int ERROR_WIDTH = 60;

    /** {@code text} on one line, cut to {@code max} characters with "..." when longer. */
    static String abbreviate(String text, int max) {
        if (text == null) {
            return null;
        }
        var line = text.strip().replaceAll("\\s*\\R\\s*", " ");
        return line.length() <= max ? line : line.substring(0, Math.max(0, max - 3)) + "...";
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
        description = {"Dead letters of a pipeline, oldest first, without taking them.",
            "When the page is full, the next page starts at --after with the last sequence (printed on stderr)."},
        footer = {"", "Examples:", "  riffle dlq list 5f0c...", "  riffle dlq list 5f0c... --after 120 --limit 200 -o json"})
    static final class List extends ApiCommand {
        @Parameters(paramLabel = "PIPELINE", description = "Pipeline id.")
        String pipeline;

        @Option(names = "--after", paramLabel = "SEQ", defaultValue = "0",
            description = "Only dead letters after this sequence (default: from the first).")
        long after;

        @Option(names = "--limit", paramLabel = "N", defaultValue = "" + DeadLetters.DEFAULT_LIMIT,
            description = "At most N, 1 to " + DeadLetters.MAX_LIMIT + " (default: ${DEFAULT-VALUE}).")
        int limit;

        @Override
        void run() {
            if (after < 0) {
                throw new CliException("--after must be a sequence number (0 or more); got " + after);
            }
            if (limit < 1 || limit > DeadLetters.MAX_LIMIT) {
                throw new CliException("--limit must be between 1 and " + DeadLetters.MAX_LIMIT + "; got " + limit);
            }
            var page = client().deadLetters().list(pipeline, after, limit);
            output.print(out(), page, o -> {
                if (page.deadLetters().isEmpty()) {
                    o.println("no dead letters" + (after > 0 ? " after sequence " + after : ""));
                    return;
                }
                var t = Table.of("SEQUENCE", "ERROR", "ATTEMPTS", "PAYLOAD");
                page.deadLetters().forEach(d -> t.row(d.sequence(), abbreviate(d.errorDetails(), ERROR_WIDTH),
                    d.attempts(), abbreviate(d.payload() == null ? null : Json.compact(d.payload()), PAYLOAD_WIDTH)));
                t.print(o);
                if (page.count() >= limit && page.nextAfter() != null) {
                    err().println("more: riffle dlq list " + pipeline + " --after " + page.nextAfter()
                        + (limit != DeadLetters.DEFAULT_LIMIT ? " --limit " + limit : ""));
                }
            });
        }
    }

    @Command(name = "replay", mixinStandardHelpOptions = true,
        description = {"Publish the events of dead letters to the pipeline's input again and remove the dead letters.",
            "Fix the function first ('riffle pipeline update PIPELINE --function FILE'), or they fail again."},
        footer = {"", "Examples:", "  riffle dlq replay 5f0c... --all", "  riffle dlq replay 5f0c... 121 122 130"})
    static final class Replay extends ApiCommand {
        @Parameters(index = "0", paramLabel = "PIPELINE", description = "Pipeline id.")
        String pipeline;

        @Parameters(index = "1..*", paramLabel = "SEQ", description = "Sequences of the dead letters to replay "
            + "(from 'riffle dlq list').")
        java.util.List<Long> sequences = new ArrayList<>();

        @Option(names = "--all", description = "Replay every dead letter (up to 10,000 per run).")
        boolean all;

        @Override
        void run() {
            if (all == !sequences.isEmpty()) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                    all ? "give either --all or sequences, not both" : "give --all or the sequences to replay");
            }
            int replayed = all ? client().deadLetters().replayAll(pipeline)
                : client().deadLetters().replay(pipeline, sequences);
            output.print(out(), Map.of("replayed", replayed), o -> o.println("replayed " + replayed
                + " dead letter" + (replayed == 1 ? "" : "s") + " of pipeline " + pipeline));
        }
    }

    @Command(name = "purge", mixinStandardHelpOptions = true,
        description = {"Delete every dead letter of a pipeline; their events are gone for good.",
            "Refuses without --yes."},
        footer = {"", "Example:", "  riffle dlq purge 5f0c... --yes"})
    static final class Purge extends ApiCommand {
        @Parameters(paramLabel = "PIPELINE", description = "Pipeline id.")
        String pipeline;

        @Option(names = {"-y", "--yes"}, description = "Really delete them.")
        boolean yes;

        @Override
        void run() {
            if (!yes) {
                throw new CliException("purge deletes every dead letter of pipeline " + pipeline
                    + " for good; add --yes to do it");
            }
            long purged = client().deadLetters().purge(pipeline);
            output.print(out(), Map.of("purged", purged), o -> o.println("purged " + purged + " dead letter"
                + (purged == 1 ? "" : "s") + " of pipeline " + pipeline));
        }
    }
}
