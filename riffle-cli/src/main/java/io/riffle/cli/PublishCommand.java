package io.riffle.cli;

import io.riffle.client.BatchResult;
import io.riffle.client.PipelineData;
import io.riffle.client.RiffleClientException;
import java.io.ByteArrayOutputStream;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code publish PIPELINE [FILE|-]}: events into a pipeline, in batches. */
@Command(name = "publish", mixinStandardHelpOptions = true,
    description = {"Publish events from a file or stdin (JSON object, JSON array, or NDJSON).",
        "Sent in batches through the batch endpoint; exit 1 when any event was rejected."},
    footer = {"", "Examples:", "  riffle publish 5f0c... events.ndjson",
        "  echo '{\"name\": \"riffle\"}' | riffle publish 5f0c..."})
final class PublishCommand extends ApiCommand {
    static final int MAX_BATCH_BYTES = 8 << 20;
    private static final int MAX_SHOWN_ERRORS = 10;
    private static final long MAX_BACKOFF_MS = 120_000;

    @Parameters(index = "0", paramLabel = "PIPELINE", description = "Pipeline id.")
    String pipeline;

    @Parameters(index = "1", arity = "0..1", paramLabel = "FILE", description = "Input file; - or none for stdin.")
    String file;

    @Option(names = "--pipeline-token", paramLabel = "TOKEN",
        description = "Pipeline access token (default: the pipeline's first token, fetched with your credential).")
    String pipelineToken;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "500",
        description = "Events per request, 1..10000 (default: ${DEFAULT-VALUE}).")
    int batchSize = PipelineData.DEFAULT_BATCH;

    @Override
    void run() {
        if (batchSize < 1 || batchSize > 10_000) {
            throw new CliException("--batch-size must be between 1 and 10000; got " + batchSize);
        }
        var data = PipelineTokens.data(client(), pipeline, pipelineToken);
        var name = file == null || "-".equals(file) ? "stdin" : file;
        int accepted = 0;
        int rejected = 0;
        int batches = 0;
        try (var reader = new EventReader(Inputs.open(file), name)) {
            while (true) {
                var batch = reader.next(batchSize, MAX_BATCH_BYTES);
                if (batch.isEmpty()) {
                    break;
                }
                var result = send(data, batch);
                batches++;
                accepted += result.accepted();
                for (var item : result.results()) {
                    if (!item.ok()) {
                        if (rejected < MAX_SHOWN_ERRORS) {
                            err().println("riffle: event " + (reader.count() - batch.size() + item.index() + 1)
                                + " rejected: " + item.error());
                        }
                        rejected++;
                    }
                }
                if (batches > 1 || batch.size() == batchSize) {
                    err().print("\rpublished " + accepted + " events...");
                    err().flush();
                }
            }
            if (batches > 1 || accepted >= batchSize) {
                err().println();
            }
        }
        if (accepted + rejected == 0) {
            throw new CliException("no events in " + name);
        }
        out().println("published " + accepted + " event" + (accepted == 1 ? "" : "s") + " to " + pipeline
            + (rejected > 0 ? " (" + rejected + " rejected)" : ""));
        if (rejected > 0) {
            throw new CliException(rejected + " event" + (rejected == 1 ? " was" : "s were") + " rejected");
        }
    }

    /** One batch, retried while the server pushes back (a full input stream). */
    private BatchResult send(PipelineData data, List<byte[]> batch) {
        var body = new ByteArrayOutputStream();
        batch.forEach(b -> {
            body.writeBytes(b);
            body.write('\n');
        });
        long waited = 0;
        while (true) {
            try {
                return data.publishNdjson(body.toByteArray());
            } catch (RiffleClientException.TooManyRequests e) {
                if (waited > MAX_BACKOFF_MS) {
                    throw new CliException(e.getMessage() + " (gave up after " + waited / 1000 + " s)");
                }
                long ms = e.retryAfterSeconds() * 1000L;
                Waits.sleep(ms);
                waited += ms;
            }
        }
    }
}
