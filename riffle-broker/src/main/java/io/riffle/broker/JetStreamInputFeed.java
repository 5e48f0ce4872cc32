package io.riffle.broker;

import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.impl.Headers;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A runner's view of the shared durable consumer, through one pull subscription that lives as long as the feed.
 * Each {@link #next} is one pull request ("no wait" with an expiry): it returns as soon as at least one event is
 * available, with up to {@code max}, so a runner never holds events it is not working on (they would get no
 * heartbeats, and other replicas could not take them).
 */
final class JetStreamInputFeed implements InputFeed {
    private static final long MIN_WAIT_MILLIS = 100;
    private final JetStreamSubscription sub;
    private long lastRequestEnds;

    JetStreamInputFeed(JetStreamSubscription sub) {
        this.sub = sub;
    }

    @Override
    public List<InputEvent> next(int max, Duration wait) {
        var out = new ArrayList<InputEvent>(Math.min(max, 256));
        long waitMillis = Math.max(MIN_WAIT_MILLIS, wait.toMillis());
        try {
            sub.pullNoWait(max, Duration.ofMillis(waitMillis));
            lastRequestEnds = System.nanoTime() + waitMillis * 1_000_000L;
            long deadline = System.nanoTime() + (waitMillis + 1_000) * 1_000_000L;
            while (out.size() < max) {
                long left = (deadline - System.nanoTime()) / 1_000_000L;
                if (left <= 0) {
                    break;
                }
                // null: the request ended (no more messages, or it expired) or nothing came in time
                Message m = sub.nextMessage(Duration.ofMillis(left));
                if (m == null) {
                    break;
                }
                out.add(new Event(m));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            throw Failures.wrap("reading the input stream", e);
        }
        return out;
    }

    /**
     * Gives back (nak) whatever the last pull request still delivers until it expires, then unsubscribes: an event
     * delivered to a closed subscription would otherwise sit unacked until the ack wait ran out.
     */
    @Override
    public void close() {
        try {
            long left;
            while ((left = (lastRequestEnds - System.nanoTime()) / 1_000_000L + 50) > 0) {
                var m = sub.nextMessage(Duration.ofMillis(left));
                if (m == null) {
                    break;
                }
                m.nakWithDelay(Duration.ZERO);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // the connection is gone: JetStream redelivers after the ack wait
        }
        try {
            sub.unsubscribe();
        } catch (RuntimeException e) {
            // the connection is gone already
        }
    }

    /** One delivered message. */
    static final class Event implements InputEvent {
        private final Message msg;

        Event(Message msg) {
            this.msg = msg;
        }

        @Override
        public long sequence() {
            return msg.metaData().streamSequence();
        }

        @Override
        public byte[] data() {
            return msg.getData();
        }

        @Override
        public String requestId() {
            return header(msg.getHeaders(), io.riffle.broker.Headers.REQUEST_ID);
        }

        @Override
        public Instant receiveTime() {
            var text = header(msg.getHeaders(), io.riffle.broker.Headers.RECEIVE_TIME);
            return text == null ? msg.metaData().timestamp().toInstant() : Instant.parse(text);
        }

        @Override
        public String externalId() {
            return header(msg.getHeaders(), io.riffle.broker.Headers.EXTERNAL_ID);
        }

        @Override
        public long deliveries() {
            return msg.metaData().deliveredCount();
        }

        @Override
        public void ack() {
            msg.ack();
        }

        @Override
        public void nak(Duration delay) {
            msg.nakWithDelay(delay);
        }

        @Override
        public void inProgress() {
            msg.inProgress();
        }
    }

    static String header(Headers headers, String name) {
        return headers == null ? null : headers.getFirst(name);
    }
}
