package io.riffle.broker;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.PublishOptions;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.api.PublishAck;
import io.nats.client.impl.Headers;
import io.riffle.core.BackpressureException;
import io.riffle.core.NotFoundException;
import io.riffle.core.RiffleException;
import io.riffle.core.Tokens;
import io.riffle.core.UnavailableException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Riffle's use of NATS JetStream: per-pipeline input, output and failed streams, publish with idempotency, the
 * consume API, runner feeds, result publishing, function logs and change announcements. Thread-safe.
 */
public final class JetStreamBroker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JetStreamBroker.class);
    /** JetStream's API error code for "insufficient storage resources available". */
    static final int INSUFFICIENT_STORAGE = 10047;
    private final BrokerConfig config;
    private final StreamNames names;
    private static final int HEADER_ROOM = 4096;
    private final Connection nc;
    private final JetStream js;
    private final JetStreamManagement jsm;
    private final StreamSetup setup;
    private final FunctionLogReader logReader;
    private final StreamGuard guard;
    private volatile Dispatcher wakeDispatcher;
    private volatile WorkerRegistry workers;
    private final ConnectorStreams connectors;
    private final Map<String, ApiConsumer> apiConsumers = new ConcurrentHashMap<>();
    private final RoutingTable routes = new RoutingTable();
    private volatile AutoCloseable routeInvalidation;

    private JetStreamBroker(BrokerConfig config, Connection nc) throws IOException, JetStreamApiException {
        this.config = config;
        this.names = new StreamNames(config.prefix());
        this.nc = nc;
        this.js = nc.jetStream();
        this.jsm = nc.jetStreamManagement();
        this.setup = new StreamSetup(jsm, config);
        this.logReader = new FunctionLogReader(jsm, names);
        this.guard = new StreamGuard(jsm);
        this.connectors = new ConnectorStreams(nc, config, guard, this::forgetApiOutput, this::inputSubject);
        setup.ensureLogsStream();
    }

    /**
     * Connects (reconnecting forever after the first success) and creates the shared logs stream.
     *
     * @throws UnavailableException when NATS cannot be reached or has no JetStream
     */
    public static JetStreamBroker connect(BrokerConfig config) {
        var options = Options.builder().servers(config.url().split(",")).connectionName("riffle")
            .maxReconnects(-1).reconnectWait(Duration.ofMillis(250)).connectionTimeout(Duration.ofSeconds(5))
            .errorListener(new QuietErrorListener()).build();
        try {
            return new JetStreamBroker(config, Nats.connect(options));
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() == INSUFFICIENT_STORAGE) {
                throw new UnavailableException("NATS JetStream at " + config.redactedUrl() + " has too little storage "
                    + "for the logs stream, which reserves RIFFLE_MAX_STREAM_BYTES (" + config.maxOutputBytes()
                    + " bytes): free disk space for the NATS store, raise its max_file_store, or lower "
                    + "RIFFLE_MAX_STREAM_BYTES", e);
            }
            throw new UnavailableException("cannot use NATS JetStream at " + config.redactedUrl() + ": "
                + e.getMessage() + " (is nats-server running with -js?)", e);
        } catch (IOException e) {
            throw new UnavailableException("cannot use NATS JetStream at " + config.redactedUrl() + ": "
                + e.getMessage() + " (is nats-server running with -js?)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnavailableException("interrupted while connecting to NATS", e);
        }
    }

    public StreamNames names() {
        return names;
    }

    public BrokerConfig config() {
        return config;
    }

    /** True while the connection to NATS is up. */
    public boolean connected() {
        return nc.getStatus() == Connection.Status.CONNECTED;
    }

    /** Sources, sinks, their dead letters and their status board. */
    public ConnectorStreams connectors() {
        return connectors;
    }

    private void forgetApiOutput(String pipelineId) {
        var consumer = apiConsumers.remove(pipelineId + ":out");
        if (consumer != null) {
            consumer.close();
        }
    }

    /** The streams and consumers of an unordered pipeline ({@link #createPipelineStreams(String, InputRouting)}). */
    public void createPipelineStreams(String pipelineId) {
        createPipelineStreams(pipelineId, InputRouting.NONE);
    }

    /**
     * Creates (or updates to the current limits) the streams and durable consumers of a pipeline, with the partition
     * consumers {@code routing} needs; idle partition consumers it does not need are deleted. Idempotent.
     *
     * @throws io.riffle.core.ConflictException when an older consumer with events waiting stands in the way
     */
    public void createPipelineStreams(String pipelineId, InputRouting routing) {
        try {
            setup.ensurePipeline(pipelineId, routing);
            routes.forget(pipelineId);
        } catch (IOException | JetStreamApiException e) {
            throw Failures.wrap("creating the streams of pipeline " + pipelineId, e);
        }
    }

    /** Deletes the streams of a pipeline and its log entries. Idempotent. */
    public void deletePipelineStreams(String pipelineId) {
        for (var suffix : List.of(":out", ":failed")) {
            var consumer = apiConsumers.remove(pipelineId + suffix);
            if (consumer != null) {
                consumer.close();
            }
        }
        try {
            setup.delete(pipelineId);
            guard.forget(names.inStream(pipelineId));
            guard.forget(names.outStream(pipelineId));
            guard.forget(names.failedStream(pipelineId));
        } catch (IOException | JetStreamApiException e) {
            throw Failures.wrap("deleting the streams of pipeline " + pipelineId, e);
        }
    }

    /**
     * Publishes one event and returns once JetStream has stored it.
     *
     * @param idempotencyKey optional; a second publish with the same key within the dedupe window is not stored again
     * @throws io.riffle.core.BackpressureException when the input stream is full
     * @throws UnavailableException when JetStream does not acknowledge
     */
    public PublishOutcome publish(String pipelineId, byte[] event, String idempotencyKey, String externalId) {
        var requestId = Tokens.newId();
        requireFits(pipelineId, event);
        try {
            if (!guard.admit(names.inStream(pipelineId), config.maxInputBytes(), estimate(event))) {
                throw full(pipelineId);
            }
            PublishAck ack = js.publish(inputSubject(pipelineId, event), inputHeaders(requestId, externalId), event,
                inputOptions(pipelineId, idempotencyKey));
            return new PublishOutcome(ack.getSeqno(), requestId, ack.isDuplicate(), null);
        } catch (IOException | JetStreamApiException e) {
            throw Failures.wrap("publishing to pipeline " + pipelineId, e);
        }
    }

    /**
     * Publishes many events with one round of acks. Each outcome says whether its event was stored; with a key
     * prefix, event {@code i} gets the idempotency key {@code prefix:i}.
     */
    public List<PublishOutcome> publishBatch(String pipelineId, List<byte[]> events, String idempotencyKeyPrefix) {
        var futures = new ArrayList<CompletableFuture<PublishAck>>(events.size());
        var ids = new ArrayList<String>(events.size());
        for (int i = 0; i < events.size(); i++) {
            var requestId = Tokens.newId();
            ids.add(requestId);
            if (events.get(i).length > maxMessageBytes()) {
                futures.add(CompletableFuture.failedFuture(new io.riffle.core.PayloadTooLargeException("an event of "
                    + events.get(i).length + " bytes is over the limit of " + maxMessageBytes() + " bytes")));
                continue;
            }
            if (!admitInput(pipelineId, events.get(i))) {
                futures.add(CompletableFuture.failedFuture(full(pipelineId)));
                continue;
            }
            var key = idempotencyKeyPrefix == null ? null : idempotencyKeyPrefix + ":" + i;
            String subject;
            try {
                subject = inputSubject(pipelineId, events.get(i));
            } catch (RiffleException e) {
                futures.add(CompletableFuture.failedFuture(e));
                continue;
            }
            futures.add(js.publishAsync(subject, inputHeaders(requestId, null), events.get(i),
                inputOptions(pipelineId, key)));
        }
        var outcomes = new ArrayList<PublishOutcome>(events.size());
        for (int i = 0; i < futures.size(); i++) {
            try {
                var ack = futures.get(i).get();
                outcomes.add(new PublishOutcome(ack.getSeqno(), ids.get(i), ack.isDuplicate(), null));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                outcomes.add(new PublishOutcome(0, ids.get(i), false, "interrupted"));
            } catch (java.util.concurrent.ExecutionException e) {
                var cause = e.getCause() instanceof Exception ex ? ex : e;
                var message = cause instanceof RiffleException r ? r.getMessage()
                    : Failures.wrap("publish", cause).getMessage();
                outcomes.add(new PublishOutcome(0, ids.get(i), false, message));
            }
        }
        return outcomes;
    }

    /**
     * Where an event goes: the plain input subject, or with ordering by key its partition's subject.
     *
     * @throws io.riffle.core.InvalidInputException naming the ordering key when the event has none
     */
    private String inputSubject(String pipelineId, byte[] event) {
        var routing = routes.get(pipelineId);
        return routing.partitioned() ? names.partitionSubject(pipelineId, routing.partitionOf(event))
            : names.inSubject(pipelineId);
    }

    /**
     * Tells the broker how to find a pipeline's routing (from the pipeline store); the answer is kept until the
     * pipeline is announced as changed (or for ten seconds). Without it every pipeline is unordered.
     */
    public void useRouting(java.util.function.Function<String, InputRouting> resolver) {
        routes.use(resolver);
        synchronized (this) {
            if (routeInvalidation == null) {
                routeInvalidation = onAnnouncement(routes::forget);
            }
        }
    }

    /** The routing publishes to the pipeline use now. */
    public InputRouting routing(String pipelineId) {
        return routes.get(pipelineId);
    }

    private boolean admitInput(String pipelineId, byte[] event) {
        try {
            return guard.admit(names.inStream(pipelineId), config.maxInputBytes(), estimate(event));
        } catch (IOException | JetStreamApiException e) {
            throw Failures.wrap("publishing to pipeline " + pipelineId, e);
        }
    }

    /**
     * True when results of about {@code bytes} fit into the pipeline's output stream now; runners wait otherwise.
     */
    public boolean admitResults(String pipelineId, long bytes) {
        return admit(names.outStream(pipelineId), bytes);
    }

    /** True when dead letters of about {@code bytes} fit into the pipeline's failed stream now. */
    public boolean admitFailures(String pipelineId, long bytes) {
        return admit(names.failedStream(pipelineId), bytes);
    }

    private boolean admit(String stream, long bytes) {
        try {
            return guard.admit(stream, config.maxOutputBytes(), bytes);
        } catch (io.riffle.core.InsufficientStorageException diskFull) {
            return false; // runners wait until space is back
        } catch (IOException | JetStreamApiException e) {
            throw Failures.wrap("checking room in " + stream, e);
        }
    }

    /**
     * Largest payload one message may carry: the server's {@code max_payload} less room for Riffle's headers. A
     * bigger publish would make the server close the whole connection, so nothing bigger is ever sent.
     */
    public int maxMessageBytes() {
        var info = nc.getServerInfo();
        long max = info == null || info.getMaxPayload() <= 0 ? 1 << 20 : info.getMaxPayload();
        return (int) Math.max(1024, Math.min(Integer.MAX_VALUE, max - HEADER_ROOM));
    }

    private void requireFits(String pipelineId, byte[] event) {
        if (event.length > maxMessageBytes()) {
            throw new io.riffle.core.PayloadTooLargeException("an event of " + event.length + " bytes is over the "
                + "limit of " + maxMessageBytes() + " bytes per message of pipeline " + pipelineId
                + " (NATS max_payload less room for headers); nothing was stored");
        }
    }

    /**
     * From now on, refuses publishes (507) and holds runners while the file system of {@code dir} has less than
     * {@code minFreeBytes} free. For the data dir of a NATS server whose store is there (the embedded one).
     */
    public void guardDisk(java.nio.file.Path dir, long minFreeBytes) {
        guard.watchDisk(DiskGuard.of(dir, minFreeBytes));
    }

    /** Stored size of a message: payload plus headers, subject and record overhead, generously. */
    public static long estimate(byte[] payload) {
        return payload.length + 320L;
    }

    private static BackpressureException full(String pipelineId) {
        return new BackpressureException("the input stream of pipeline " + pipelineId
            + " is full; nothing was stored, retry later (events are accepted again as the function drains it)", 1);
    }

    private Headers inputHeaders(String requestId, String externalId) {
        var h = new Headers().put(io.riffle.broker.Headers.REQUEST_ID, requestId)
            .put(io.riffle.broker.Headers.RECEIVE_TIME, Instant.now().toString());
        if (externalId != null && !externalId.isBlank()) {
            h.put(io.riffle.broker.Headers.EXTERNAL_ID, externalId);
        }
        return h;
    }

    private PublishOptions inputOptions(String pipelineId, String idempotencyKey) {
        var b = PublishOptions.builder().expectedStream(names.inStream(pipelineId));
        if (idempotencyKey != null && !idempotencyKey.isBlank()) {
            b.messageId(pipelineId + ":" + idempotencyKey);
        }
        return b.build();
    }

    /** Takes the next result of a pipeline (acked: a destructive read), with its input event. */
    public Optional<ConsumedEvent> consumeOutput(String pipelineId) {
        try {
            var msg = apiConsumer(pipelineId, ":out", names.outStream(pipelineId)).take();
            if (msg == null) {
                return Optional.empty();
            }
            var seqText = JetStreamInputFeed.header(msg.getHeaders(), io.riffle.broker.Headers.SOURCE_SEQ);
            var event = EventCodec.decodeOutput(msg, seqText == null ? null
                : inputPayload(pipelineId, Long.parseLong(seqText)).orElse(null));
            msg.ack();
            return Optional.of(event);
        } catch (IOException | JetStreamApiException e) {
            throw Failures.wrap("consuming results of pipeline " + pipelineId, e);
        }
    }

    /** Takes the next dead letter of a pipeline (acked). */
    public Optional<ConsumedEvent> consumeFailed(String pipelineId) {
        try {
            var msg = apiConsumer(pipelineId, ":failed", names.failedStream(pipelineId)).take();
            if (msg == null) {
                return Optional.empty();
            }
            var event = EventCodec.decodeFailed(msg);
            msg.ack();
            return Optional.of(event);
        } catch (IOException | JetStreamApiException e) {
            throw Failures.wrap("consuming dead letters of pipeline " + pipelineId, e);
        }
    }

    /**
     * Takes up to {@code max} results at once (acked: a destructive read), waiting up to {@code wait} for the first.
     * With {@code withPayload}, each carries its input event too (one more read per result).
     */
    public List<ConsumedEvent> consumeOutputBatch(String pipelineId, int max, Duration wait, boolean withPayload) {
        try {
            var msgs = apiConsumer(pipelineId, ":out", names.outStream(pipelineId)).takeMany(max, wait);
            var out = new ArrayList<ConsumedEvent>(msgs.size());
            for (var msg : msgs) {
                byte[] payload = null;
                if (withPayload) {
                    var seqText = JetStreamInputFeed.header(msg.getHeaders(), io.riffle.broker.Headers.SOURCE_SEQ);
                    payload = seqText == null ? null
                        : inputPayload(pipelineId, Long.parseLong(seqText)).orElse(null);
                }
                out.add(EventCodec.decodeOutput(msg, payload));
            }
            msgs.forEach(io.nats.client.Message::ack);
            return out;
        } catch (IOException | JetStreamApiException e) {
            throw Failures.wrap("consuming results of pipeline " + pipelineId, e);
        }
    }

    /** Dead letters after {@code afterSequence}, oldest first, without taking them. */
    public List<ConsumedEvent> listFailed(String pipelineId, long afterSequence, int limit) {
        var stream = names.failedStream(pipelineId);
        try {
            var state = jsm.getStreamInfo(stream).getStreamState();
            var out = new ArrayList<ConsumedEvent>();
            for (long seq = Math.max(afterSequence + 1, state.getFirstSequence());
                 seq <= state.getLastSequence() && out.size() < limit; seq++) {
                try {
                    var info = jsm.getMessage(stream, seq);
                    out.add(EventCodec.decodeFailed(seq, info.getData(), info.getTime().toInstant()));
                } catch (JetStreamApiException gone) {
                    if (gone.getErrorCode() != 404) {
                        throw gone;
                    }
                }
            }
            return out;
        } catch (IOException | JetStreamApiException e) {
            throw Failures.wrap("listing dead letters of pipeline " + pipelineId, e);
        }
    }

    /**
     * Publishes the payloads of the given dead letters to the pipeline's input again (as new events) and removes
     * them from the failed stream. Returns how many were replayed; unknown sequences are skipped.
     */
    public int replayFailed(String pipelineId, List<Long> sequences) {
        var stream = names.failedStream(pipelineId);
        int replayed = 0;
        for (long seq : sequences) {
            try {
                var info = jsm.getMessage(stream, seq);
                if (connectors.replayToSink(pipelineId, seq, info.getData())) {
                    jsm.deleteMessage(stream, seq);
                    replayed++;
                    continue;
                }
                var dead = EventCodec.decodeFailed(seq, info.getData(), info.getTime().toInstant());
                if (dead.payload() == null) {
                    continue;
                }
                publish(pipelineId, dead.payload(), "replay-" + seq + "-" + info.getTime().toInstant().toEpochMilli(),
                    dead.externalId());
                jsm.deleteMessage(stream, seq);
                replayed++;
            } catch (JetStreamApiException e) {
                if (e.getErrorCode() != 404) {
                    throw Failures.wrap("replaying dead letter " + seq + " of pipeline " + pipelineId, e);
                }
            } catch (IOException e) {
                throw Failures.wrap("replaying dead letter " + seq + " of pipeline " + pipelineId, e);
            }
        }
        return replayed;
    }

    /** Removes every dead letter of the pipeline; returns how many there were. */
    public long purgeFailed(String pipelineId) {
        try {
            return jsm.purgeStream(names.failedStream(pipelineId)).getPurged();
        } catch (IOException | JetStreamApiException e) {
            throw Failures.wrap("purging dead letters of pipeline " + pipelineId, e);
        }
    }

    /** The input event stored at {@code sequence}, if it has not aged out. */
    public Optional<byte[]> inputPayload(String pipelineId, long sequence) {
        try {
            return Optional.of(jsm.getMessage(names.inStream(pipelineId), sequence).getData());
        } catch (JetStreamApiException e) {
            if (e.getErrorCode() == 404) {
                return Optional.empty();
            }
            throw Failures.wrap("reading input " + sequence + " of pipeline " + pipelineId, e);
        } catch (IOException e) {
            throw Failures.wrap("reading input " + sequence + " of pipeline " + pipelineId, e);
        }
    }

    private ApiConsumer apiConsumer(String pipelineId, String suffix, String stream) {
        return apiConsumers.computeIfAbsent(pipelineId + suffix, k -> {
            try {
                return new ApiConsumer(js, stream);
            } catch (IOException | JetStreamApiException | IllegalArgumentException e) {
                if (suffix.equals(":out") && connectors.outputClaimed(pipelineId)) {
                    throw new io.riffle.core.ConflictException("pipeline " + pipelineId + " delivers its results "
                        + "to its sink_connector; remove the sink connector to consume the output through the API");
                }
                var wrapped = Failures.wrap("subscribing to " + stream, e);
                throw wrapped instanceof NotFoundException || e instanceof IllegalArgumentException
                    ? new NotFoundException("pipeline " + pipelineId + " has no streams") : wrapped;
            }
        });
    }

    /** A runner's feed from the pipeline's shared durable consumer; it holds only the events it returns. */
    public InputFeed inputFeed(String pipelineId) {
        return inputFeed(pipelineId, InputRouting.NONE, 1);
    }

    /**
     * A runner's feed: from the shared durable consumer, or with ordering by key from every partition consumer
     * (plus the plain one), at most one event per partition at a time.
     *
     * @param batch how many plain events one pull asks for
     */
    public InputFeed inputFeed(String pipelineId, InputRouting routing, int batch) {
        try {
            if (routing.partitioned()) {
                return new PartitionedInputFeed(nc, names.inStream(pipelineId), routing.partitions(), batch);
            }
            return new JetStreamInputFeed(js.subscribe(null,
                PullSubscribeOptions.bind(names.inStream(pipelineId), StreamNames.RUNNER)));
        } catch (IOException | JetStreamApiException e) {
            throw Failures.wrap("subscribing to the input of pipeline " + pipelineId, e);
        }
    }

    /**
     * Publishes the {@code index}-th result of an input event, with message id {@code pipeline:seq:index}, so a
     * redelivered event never produces a second copy within the dedupe window.
     */
    public CompletableFuture<PublishAck> publishResult(String pipelineId, InputEvent source, int index,
                                                       byte[] result) {
        var h = new Headers().put(io.riffle.broker.Headers.REQUEST_ID, nullToEmpty(source.requestId()))
            .put(io.riffle.broker.Headers.RECEIVE_TIME, source.receiveTime().toString())
            .put(io.riffle.broker.Headers.SOURCE_SEQ, Long.toString(source.sequence()));
        if (source.externalId() != null) {
            h.put(io.riffle.broker.Headers.EXTERNAL_ID, source.externalId());
        }
        var options = PublishOptions.builder().expectedStream(names.outStream(pipelineId))
            .messageId(pipelineId + ":" + source.sequence() + ":" + index).build();
        return js.publishAsync(names.outSubject(pipelineId), h, result, options);
    }

    /** Publishes a dead letter for an input event (message id {@code pipeline:seq:failed}). */
    public CompletableFuture<PublishAck> publishFailure(String pipelineId, InputEvent source, String error,
                                                        String traceback, long attempts) {
        var options = PublishOptions.builder().expectedStream(names.failedStream(pipelineId))
            .messageId(pipelineId + ":" + source.sequence() + ":failed").build();
        return js.publishAsync(names.failedSubject(pipelineId), null,
            EventCodec.failureEnvelope(source, error, traceback, attempts, maxMessageBytes()), options);
    }

    /** Appends one function log entry without waiting for the store's ack. */
    public void appendLog(String pipelineId, byte[] entryJson) {
        js.publishAsync(names.logsSubject(pipelineId), entryJson).exceptionally(e -> {
            LOG.debug("pipeline {}: a log entry was not stored: {}", pipelineId, e.toString());
            return null;
        });
    }

    /** One page of a pipeline's function logs, oldest first. */
    public LogPage readLogs(String pipelineId, LogQuery query) {
        try {
            return logReader.read(pipelineId, query);
        } catch (IOException | JetStreamApiException e) {
            throw Failures.wrap("reading logs of pipeline " + pipelineId, e);
        }
    }

    /** The page token just after a pipeline's newest log entry: following from it shows only new entries. */
    public String logsTail(String pipelineId) {
        try {
            return Long.toString(jsm.getLastMessage(names.logsStream(), names.logsSubject(pipelineId)).getSeq() + 1);
        } catch (JetStreamApiException e) {
            if (e.getErrorCode() == 404) {
                return "1";
            }
            throw Failures.wrap("reading logs of pipeline " + pipelineId, e);
        } catch (IOException e) {
            throw Failures.wrap("reading logs of pipeline " + pipelineId, e);
        }
    }

    /** Stream and consumer counts of a pipeline. */
    public PipelineStreamStats stats(String pipelineId) {
        try {
            var in = jsm.getStreamInfo(names.inStream(pipelineId)).getStreamState();
            var runner = inputState(pipelineId);
            var out = jsm.getStreamInfo(names.outStream(pipelineId)).getStreamState();
            var failed = jsm.getStreamInfo(names.failedStream(pipelineId)).getStreamState();
            return new PipelineStreamStats(in.getMsgCount(), runner.pending(), runner.ackPending(),
                out.getMsgCount(), failed.getMsgCount(), in.getLastSequence(), out.getLastSequence(),
                failed.getLastSequence());
        } catch (IOException | JetStreamApiException e) {
            throw Failures.wrap("reading stream state of pipeline " + pipelineId, e);
        }
    }

    /**
     * The runner consumers' counts (the autoscaler's signal): one request for an unordered pipeline; with ordering by
     * key, the sums over the plain and every partition consumer ({@link RunnerCounts}).
     */
    public InputState inputState(String pipelineId) {
        try {
            return new RunnerCounts(jsm, names).read(pipelineId, routes.get(pipelineId).partitioned());
        } catch (IOException | JetStreamApiException e) {
            throw Failures.wrap("reading the backlog of pipeline " + pipelineId, e);
        }
    }

    /**
     * Calls {@code listener} once for the next event published to the pipeline (a core NATS subscription on the
     * input subject, so a pipeline at zero runners wakes without polling), until the handle is closed.
     */
    public AutoCloseable onNextInput(String pipelineId, Runnable listener) {
        var fired = new java.util.concurrent.atomic.AtomicBoolean();
        var d = wakeDispatcher();
        io.nats.client.MessageHandler handler = msg -> {
            if (fired.compareAndSet(false, true)) {
                listener.run();
            }
        };
        var plain = d.subscribe(names.inSubject(pipelineId), handler);
        var partitions = d.subscribe(names.partitionWildcard(pipelineId), handler);
        return () -> {
            d.unsubscribe(plain);
            d.unsubscribe(partitions);
        };
    }

    private Dispatcher wakeDispatcher() {
        var d = wakeDispatcher;
        if (d == null) {
            synchronized (this) {
                if (wakeDispatcher == null) {
                    wakeDispatcher = nc.createDispatcher();
                }
                d = wakeDispatcher;
            }
        }
        return d;
    }

    /** The registry of live engines (created on first use). */
    public WorkerRegistry workers() {
        var r = workers;
        if (r == null) {
            synchronized (this) {
                if (workers == null) {
                    try {
                        workers = new WorkerRegistry(nc, config);
                    } catch (IOException | JetStreamApiException e) {
                        throw Failures.wrap("opening the worker registry", e);
                    }
                }
                r = workers;
            }
        }
        return r;
    }

    /** Tells every engine that a pipeline changed (core NATS, fire and forget). */
    public void announce(String pipelineId) {
        nc.publish(names.controlSubject(), pipelineId.getBytes(StandardCharsets.UTF_8));
    }

    /** Calls {@code listener} with the pipeline id of every announcement until the returned handle is closed. */
    public AutoCloseable onAnnouncement(Consumer<String> listener) {
        Dispatcher d = nc.createDispatcher(msg -> listener.accept(new String(msg.getData(), StandardCharsets.UTF_8)));
        d.subscribe(names.controlSubject());
        return () -> nc.closeDispatcher(d);
    }

    /** Waits until everything published so far has reached the server. */
    public void flush(Duration timeout) {
        try {
            nc.flush(timeout);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new UnavailableException("NATS did not confirm a flush within " + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    @Override
    public void close() {
        if (routeInvalidation != null) {
            try {
                routeInvalidation.close();
            } catch (Exception e) {
                LOG.debug("closing the routing invalidation: {}", e.toString());
            }
        }
        apiConsumers.values().forEach(ApiConsumer::close);
        apiConsumers.clear();
        try {
            nc.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            throw new RiffleException("closing the NATS connection failed", e);
        }
    }
}
