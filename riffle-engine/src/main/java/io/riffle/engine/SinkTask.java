package io.riffle.engine;

import com.fasterxml.jackson.databind.JsonNode;
import io.riffle.broker.ConnectorStreams;
import io.riffle.broker.SinkFeed;
import io.riffle.connectors.Sink;
import io.riffle.connectors.SinkRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs a pipeline's sink: fetch a batch from the output stream through the sink's own durable consumer, write it,
 * keep refused results as dead letters, then ack the batch. A failed write acks nothing: the batch is given back,
 * the error recorded, and written again after a backoff.
 */
final class SinkTask extends ConnectorTask {
    static final int BATCH = 100;
    private static final Duration FETCH_WAIT = Duration.ofSeconds(1);
    private final ConnectorStreams streams;
    private final ScheduledExecutorService heartbeats;
    private final Duration heartbeatEvery;

    SinkTask(String pipelineId, JsonNode connector, Parts parts, ConnectorStreams streams,
             ScheduledExecutorService heartbeats, Duration ackWait) {
        super(pipelineId, connector, io.riffle.connectors.Direction.SINK, parts);
        this.streams = streams;
        this.heartbeats = heartbeats;
        this.heartbeatEvery = ackWait.dividedBy(3);
    }

    @Override
    void attempt() throws Exception {
        var opened = resolve();
        try (var feed = streams.sinkFeed(pipelineId); var sink = opened.factory().openSink(opened.config())) {
            while (running()) {
                var batch = feed.next(BATCH, FETCH_WAIT);
                if (batch.isEmpty()) {
                    continue;
                }
                try {
                    deliver(sink, batch);
                } catch (Exception e) {
                    batch.forEach(SinkFeed.Delivery::nak);
                    throw e;
                }
            }
        }
    }

    private void deliver(Sink sink, List<SinkFeed.Delivery> batch) throws Exception {
        var records = new ArrayList<SinkRecord>(batch.size());
        var bySeq = new HashMap<String, SinkFeed.Delivery>();
        for (var d : batch) {
            var record = new SinkRecord(pipelineId + ":" + d.sequence(), d.data());
            records.add(record);
            bySeq.put(record.id(), d);
        }
        var beat = heartbeats.scheduleAtFixedRate(() -> batch.forEach(SinkFeed.Delivery::inProgress),
            heartbeatEvery.toMillis(), heartbeatEvery.toMillis(), TimeUnit.MILLISECONDS);
        List<io.riffle.connectors.Rejection> rejections;
        try {
            rejections = sink.write(records);
        } finally {
            beat.cancel(false);
        }
        for (var r : rejections) {
            var d = bySeq.get(r.record().id());
            if (d != null) {
                streams.deadLetterSink(pipelineId, kind, d.sequence(), d.data(), r.reason());
            }
        }
        batch.forEach(SinkFeed.Delivery::ack);
        int refused = rejections.size();
        state.delivered(batch.size() - refused);
        state.rejected(refused);
        metrics.events(batch.size() - refused);
        metrics.deadLetters(refused);
        succeeded();
    }

    @Override
    void interrupt() {
        // the loop checks running() at least every FETCH_WAIT; a write in hand finishes
    }
}
