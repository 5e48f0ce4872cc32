package io.riffle.broker;

import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** {@link SinkFeed} over a pull subscription bound to the {@code sink} durable consumer of an output stream. */
final class JetStreamSinkFeed implements SinkFeed {
    private static final long MIN_WAIT_MILLIS = 100;
    private final JetStreamSubscription sub;
    private long lastRequestEnds;

    JetStreamSinkFeed(JetStreamSubscription sub) {
        this.sub = sub;
    }

    @Override
    public List<Delivery> next(int max, Duration wait) {
        var out = new ArrayList<Delivery>(Math.min(max, 256));
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
                Message m = sub.nextMessage(Duration.ofMillis(left));
                if (m == null) {
                    break;
                }
                if (m.isJetStream()) {
                    out.add(new Item(m));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            throw Failures.wrap("reading the output stream", e);
        }
        return out;
    }

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

    private record Item(Message msg) implements Delivery {
        @Override
        public long sequence() {
            return msg.metaData().streamSequence();
        }

        @Override
        public byte[] data() {
            return msg.getData();
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
        public void nak() {
            msg.nakWithDelay(Duration.ZERO);
        }

        @Override
        public void inProgress() {
            msg.inProgress();
        }
    }
}
