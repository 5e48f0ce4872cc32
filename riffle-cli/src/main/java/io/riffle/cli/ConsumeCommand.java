package io.riffle.cli;

import io.riffle.client.ConsumedEvent;
import io.riffle.client.RiffleClientException;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code consume PIPELINE [--failed] [-f] [--max N]}: results (or dead letters), one JSON per line. */
@Command(name = "consume", mixinStandardHelpOptions = true,
    description = {"Take results (or dead letters with --failed) and print one JSON per line.",
        "Each event is taken once. Without -f it stops when none is waiting."},
    footer = {"", "Examples:", "  riffle consume 5f0c... --max 10", "  riffle consume 5f0c... --failed -f"})
final class ConsumeCommand extends ApiCommand {
    private static final long MIN_WAIT_MS = 200;
    private static final long MAX_WAIT_MS = 5_000;

    @Parameters(paramLabel = "PIPELINE", description = "Pipeline id.")
    String pipeline;

    @Option(names = "--failed", description = "Dead letters instead of results.")
    boolean failed;

    @Option(names = {"-f", "--follow"}, description = "Keep waiting for new events until --max or interrupted.")
    boolean follow;

    @Option(names = "--max", paramLabel = "N", description = "Stop after N events.")
    Integer max;

    @Option(names = "--pipeline-token", paramLabel = "TOKEN",
        description = "Pipeline access token (default: the pipeline's first token, fetched with your credential).")
    String pipelineToken;

    @Override
    void run() {
        if (max != null && max < 1) {
            throw new CliException("--max must be at least 1; got " + max);
        }
        var data = PipelineTokens.data(client(), pipeline, pipelineToken);
        int taken = 0;
        long wait = MIN_WAIT_MS;
        while (max == null || taken < max) {
            Optional<ConsumedEvent> event;
            try {
                event = failed ? data.consumeFailed() : data.consume();
            } catch (RiffleClientException.TooManyRequests e) {
                event = Optional.empty();
            }
            if (event.isPresent()) {
                out().println(Json.compact(event.get()));
                out().flush();
                taken++;
                wait = MIN_WAIT_MS;
            } else if (follow) {
                Waits.sleep(wait);
                wait = Math.min(MAX_WAIT_MS, wait * 2);
            } else {
                break;
            }
        }
    }
}
