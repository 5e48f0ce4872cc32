package io.riffle.broker;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.PullRequestOptions;
import io.nats.client.PullSubscribeOptions;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A runner's feed from an input ordered by key: one pull subscription per partition consumer (each lets one event
 * at a time be in flight) plus the plain consumer (events published before the pipeline was ordered), all
 * delivering into one queue through one dispatcher. Every runner of every engine reads every partition; JetStream
 * hands each partition's next event to whichever pull request comes first, only once the previous one is acked,
 * so events of one partition are processed one after the other and a dead runner's partition moves on after the
 * ack wait. A batch holds at most one event per partition.
 */
final class PartitionedInputFeed implements InputFeed {
    /** How long one pull request waits on the server; a request is renewed once it ended. */
    static final Duration PULL_EXPIRY = Duration.ofSeconds(1);
    private final Dispatcher dispatcher;
    private final List<Source> sources = new ArrayList<>();
    private final LinkedBlockingQueue<Message> queue = new LinkedBlockingQueue<>();
    private int rotation;

    /** One consumer: its subscription and what its outstanding pull request may still deliver. */
    private static final class Source {
        /** Most events one pull asks for: 1 for a partition (it has at most one in flight anyway). */
        final int batch;
        JetStreamSubscription sub;
        final AtomicInteger outstanding = new AtomicInteger();
        volatile long requestEnds;

        Source(int batch) {
            this.batch = batch;
        }
    }

    private final Connection nc;

    PartitionedInputFeed(Connection nc, String stream, int partitions, int plainBatch)
        throws IOException, JetStreamApiException {
        this.nc = nc;
        this.dispatcher = nc.createDispatcher();
        var js = nc.jetStream();
        try {
            add(js, stream, StreamNames.RUNNER, plainBatch);
            for (int n = 0; n < partitions; n++) {
                add(js, stream, StreamNames.partitionConsumer(n), 1);
            }
        } catch (IOException | JetStreamApiException | RuntimeException e) {
            close();
            throw e;
        }
    }

    private void add(JetStream js, String stream, String consumer, int batch)
        throws IOException, JetStreamApiException {
        var source = new Source(batch);
        source.sub = js.subscribe(null, dispatcher, msg -> {
            source.outstanding.decrementAndGet();
            queue.add(msg);
        }, PullSubscribeOptions.bind(stream, consumer));
        sources.add(source);
    }

    @Override
    public List<InputEvent> next(int max, Duration wait) {
        var out = new ArrayList<InputEvent>();
        try {
            renewPulls(max);
            var first = queue.poll(Math.max(1, wait.toMillis()), TimeUnit.MILLISECONDS);
            if (first == null) {
                return out;
            }
            out.add(new JetStreamInputFeed.Event(first));
            Message m;
            while (out.size() < max && (m = queue.poll()) != null) {
                out.add(new JetStreamInputFeed.Event(m));
            }
            // anything beyond max stays queued for the next call (a nak would count as a delivery, and deliveries
            // decide when a crashing event is dead-lettered); its ack wait starts again now
            queue.forEach(Message::inProgress);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            throw Failures.wrap("reading the partitions of the input stream", e);
        }
        return out;
    }

    /**
     * A new pull request for every consumer whose last one ended (expired, or delivered all it asked for) while
     * fewer than {@code max} events are queued. Every partition is asked at once (most of them are usually empty or
     * have their one event in flight elsewhere), so more than {@code max} may arrive: the rest wait in the queue for
     * the next call. The scan starts at a rotating consumer, so that under a full queue every partition gets turns.
     */
    private void renewPulls(int max) {
        long now = System.nanoTime();
        int n = sources.size();
        for (int k = 0; k < n && queue.size() < max; k++) {
            var s = sources.get((rotation + k) % n);
            if (s.outstanding.get() <= 0 || now - s.requestEnds >= 0) {
                int ask = Math.min(s.batch, max);
                s.outstanding.set(ask);
                s.requestEnds = now + PULL_EXPIRY.toNanos();
                s.sub.pull(PullRequestOptions.builder(ask).expiresIn(PULL_EXPIRY).build());
            }
        }
        rotation = (rotation + 1) % n;
    }

    /**
     * Gives back (nak) what is queued and what the outstanding pull requests still deliver until they expire, then
     * unsubscribes: an event delivered to a closed subscription would block its partition until the ack wait ran out.
     */
    @Override
    public void close() {
        long ends = System.nanoTime();
        for (var s : sources) {
            if (s.outstanding.get() > 0) {
                ends = Math.max(ends, s.requestEnds);
            }
        }
        try {
            long left;
            while ((left = (ends - System.nanoTime()) / 1_000_000L + 50) > 0) {
                var m = queue.poll(left, TimeUnit.MILLISECONDS);
                if (m == null) {
                    break;
                }
                m.nakWithDelay(Duration.ZERO);
            }
            Message m;
            while ((m = queue.poll()) != null) {
                m.nakWithDelay(Duration.ZERO);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // the connection is gone: JetStream redelivers after the ack wait
        }
        try {
            nc.closeDispatcher(dispatcher);
        } catch (RuntimeException e) {
            // the connection is gone already
        }
    }
}
