package io.riffle.broker;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.PublishOptions;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.api.PublishAck;
import io.riffle.core.BackpressureException;
import io.riffle.core.RiffleException;
import io.riffle.core.Tokens;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * What connectors do with a pipeline's streams: sources store events into the input, sinks read the output through
 * their own durable consumer ({@value #SINK}), and both write dead letters into the failed stream marked with their
 * stage. Obtained from {@link JetStreamBroker#connectors()}; thread-safe.
 */
public final class ConnectorStreams {
    /** Durable consumer of a sink connector on the output stream. */
    public static final String SINK = "sink";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int NOT_FOUND = 404;
    private static final long ACK_TIMEOUT_SECONDS = 10;
    private final JetStream js;
    private final JetStreamManagement jsm;
    private final BrokerConfig config;
    private final StreamNames names;
    private final StreamGuard guard;
    private final Consumer<String> forgetApiOutput;
    private final java.util.function.BiFunction<String, byte[], String> inputSubject;
    private final ConnectorStatusBoard board;

    ConnectorStreams(Connection nc, BrokerConfig config, StreamGuard guard, Consumer<String> forgetApiOutput,
                     java.util.function.BiFunction<String, byte[], String> inputSubject) throws IOException {
        this.inputSubject = inputSubject;
        this.js = nc.jetStream();
        this.jsm = nc.jetStreamManagement();
        this.config = config;
        this.names = new StreamNames(config.prefix());
        this.guard = guard;
        this.forgetApiOutput = forgetApiOutput;
        this.board = new ConnectorStatusBoard(nc, config);
    }

    /** Where connectors report their state, readable from every process. */
    public ConnectorStatusBoard statuses() {
        return board;
    }

    /**
     * Stores source events in the pipeline's input, in order. An event with a dedupe id is stored once per id
     * within the dedupe window (message id {@code <pipeline>:src:<id>}).
     *
     * With ordering by key, an event without the key becomes a dead letter naming it.
     *
     * @param kind      the source's kind, for dead letters
     * @param dedupeIds one per payload, each may be null
     * @return how many events, from the first, were stored (or kept as dead letters) before the input stream was
     *         full (all of them normally); the caller waits and stores the rest again
     * @throws io.riffle.core.UnavailableException when JetStream does not acknowledge
     */
    public int emit(String pipelineId, String kind, List<byte[]> payloads, List<String> dedupeIds) {
        var stream = names.inStream(pipelineId);
        var futures = new ArrayList<CompletableFuture<PublishAck>>(payloads.size());
        try {
            for (int i = 0; i < payloads.size(); i++) {
                var payload = payloads.get(i);
                if (!guard.admit(stream, config.maxInputBytes(), JetStreamBroker.estimate(payload))) {
                    break;
                }
                var options = PublishOptions.builder().expectedStream(stream);
                var id = dedupeIds.get(i);
                if (id != null && !id.isBlank()) {
                    options.messageId(pipelineId + ":src:" + id);
                }
                String subject;
                try {
                    subject = inputSubject.apply(pipelineId, payload);
                } catch (io.riffle.core.InvalidInputException e) {
                    deadLetterSource(pipelineId, kind, payload, e.getMessage(), id);
                    futures.add(CompletableFuture.completedFuture(null));
                    continue;
                }
                var headers = new io.nats.client.impl.Headers()
                    .put(Headers.REQUEST_ID, Tokens.newId()).put(Headers.RECEIVE_TIME, Instant.now().toString());
                futures.add(js.publishAsync(subject, headers, payload, options.build()));
            }
        } catch (IOException | JetStreamApiException e) {
            throw Failures.wrap("storing source events of pipeline " + pipelineId, e);
        }
        return stored(pipelineId, futures);
    }

    private static int stored(String pipelineId, List<CompletableFuture<PublishAck>> futures) {
        int stored = 0;
        boolean stop = false;
        RiffleException error = null;
        for (var f : futures) {
            try {
                f.get(ACK_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                if (!stop) {
                    stored++;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw Failures.wrap("storing source events of pipeline " + pipelineId, e);
            } catch (ExecutionException | TimeoutException e) {
                stop = true;
                var cause = e instanceof ExecutionException && e.getCause() instanceof Exception c ? c : e;
                var wrapped = Failures.wrap("storing source events of pipeline " + pipelineId, cause);
                if (error == null && !(wrapped instanceof BackpressureException)) {
                    error = wrapped;
                }
            }
        }
        if (error != null) {
            throw error;
        }
        return stored;
    }

    /** Keeps an event a source read but cannot store (not a JSON object) as a dead letter with the reason. */
    public void deadLetterSource(String pipelineId, String kind, byte[] raw, String reason, String dedupeId) {
        var node = envelope("source", kind, reason);
        node.put("payload", new String(raw, StandardCharsets.UTF_8));
        node.put("external_id", dedupeId);
        publishDeadLetter(pipelineId, node, dedupeId == null ? null : pipelineId + ":src-failed:" + dedupeId);
    }

    /**
     * Keeps a result the sink's external system refused for good as a dead letter ({@code stage: sink}) with the
     * reason and the result; replaying it delivers the result to the sink again.
     */
    public void deadLetterSink(String pipelineId, String kind, long outputSequence, byte[] result, String reason) {
        var node = envelope("sink", kind, reason);
        var parsed = EventCodec.parseOrText(result);
        node.set("payload", parsed);
        node.set("result", parsed);
        node.put("output_seq", outputSequence);
        publishDeadLetter(pipelineId, node, pipelineId + ":sink-failed:" + outputSequence);
    }

    private static ObjectNode envelope(String stage, String kind, String reason) {
        var node = JSON.createObjectNode();
        node.put("stage", stage);
        node.put("connector", kind);
        node.put("error_details", stage + "_connector (" + kind + "): " + reason);
        node.putNull("stack_trace");
        node.put("attempts", 1);
        node.put("request_id", Tokens.newId());
        node.put("receive_time", Instant.now().toString());
        return node;
    }

    private void publishDeadLetter(String pipelineId, ObjectNode node, String messageId) {
        try {
            var options = PublishOptions.builder().expectedStream(names.failedStream(pipelineId));
            if (messageId != null) {
                options.messageId(messageId);
            }
            js.publish(names.failedSubject(pipelineId), JSON.writeValueAsBytes(node), options.build());
        } catch (IOException | JetStreamApiException e) {
            throw Failures.wrap("storing a dead letter of pipeline " + pipelineId, e);
        }
    }

    /**
     * When {@code data} is a sink's dead letter, publishes its result to the output stream again (the sink delivers
     * it anew) and returns true; false for any other dead letter.
     */
    boolean replayToSink(String pipelineId, long sequence, byte[] data) throws IOException, JetStreamApiException {
        var node = JSON.readTree(data);
        if (!"sink".equals(node.path("stage").asText()) || !node.has("result")) {
            return false;
        }
        var options = PublishOptions.builder().expectedStream(names.outStream(pipelineId))
            .messageId(pipelineId + ":replay:" + sequence + ":" + Tokens.newId()).build();
        js.publish(names.outSubject(pipelineId), JSON.writeValueAsBytes(node.get("result")), options);
        return true;
    }

    /**
     * Gives the pipeline's output to a sink: creates the {@value #SINK} durable consumer (it starts with every result
     * still stored) and removes the consume API's, so that results are kept for the sink alone. Idempotent.
     */
    public void claimOutput(String pipelineId) {
        var stream = names.outStream(pipelineId);
        try {
            if (!hasConsumer(stream, SINK)) {
                jsm.addOrUpdateConsumer(stream, durable(SINK));
            }
            forgetApiOutput.accept(pipelineId);
            deleteConsumer(stream, StreamNames.API);
        } catch (IOException | JetStreamApiException e) {
            throw Failures.wrap("giving the output of pipeline " + pipelineId + " to its sink", e);
        }
    }

    /** Gives the output back to the consume API (results kept for it from now on) and removes the sink's consumer. */
    public void releaseOutput(String pipelineId) {
        var stream = names.outStream(pipelineId);
        try {
            if (!hasConsumer(stream, StreamNames.API)) {
                jsm.addOrUpdateConsumer(stream, durable(StreamNames.API));
            }
            deleteConsumer(stream, SINK);
        } catch (IOException | JetStreamApiException e) {
            throw Failures.wrap("giving the output of pipeline " + pipelineId + " back to the consume API", e);
        }
    }

    /** True when a sink connector owns the pipeline's output. */
    public boolean outputClaimed(String pipelineId) {
        try {
            return hasConsumer(names.outStream(pipelineId), SINK);
        } catch (IOException | JetStreamApiException e) {
            throw Failures.wrap("reading the consumers of pipeline " + pipelineId, e);
        }
    }

    /** A sink's feed of results (claims the output first when nobody did). */
    public SinkFeed sinkFeed(String pipelineId) {
        claimOutput(pipelineId);
        try {
            return new JetStreamSinkFeed(js.subscribe(null,
                PullSubscribeOptions.bind(names.outStream(pipelineId), SINK)));
        } catch (IOException | JetStreamApiException e) {
            throw Failures.wrap("subscribing to the output of pipeline " + pipelineId, e);
        }
    }

    private ConsumerConfiguration durable(String name) {
        return ConsumerConfiguration.builder().durable(name).ackPolicy(AckPolicy.Explicit).ackWait(config.ackWait())
            .deliverPolicy(DeliverPolicy.All).maxDeliver(-1).maxAckPending(10_000).build();
    }

    private boolean hasConsumer(String stream, String name) throws IOException, JetStreamApiException {
        try {
            jsm.getConsumerInfo(stream, name);
            return true;
        } catch (JetStreamApiException e) {
            if (e.getErrorCode() == NOT_FOUND) {
                return false;
            }
            throw e;
        }
    }

    private void deleteConsumer(String stream, String name) throws IOException, JetStreamApiException {
        try {
            jsm.deleteConsumer(stream, name);
        } catch (JetStreamApiException e) {
            if (e.getErrorCode() != NOT_FOUND) {
                throw e;
            }
        }
    }
}
