package io.riffle.broker;

import io.nats.client.IterableConsumer;
import io.nats.client.JetStreamStatusCheckedException;
import io.nats.client.Message;
import io.nats.client.impl.Headers;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A runner's pull subscription, buffering at most one batch ahead so that events do not wait unacked for long. */
final class JetStreamInputFeed implements InputFeed {
    private final IterableConsumer consumer;

    JetStreamInputFeed(IterableConsumer consumer) {
        this.consumer = consumer;
    }

    @Override
    public List<InputEvent> next(int max, Duration wait) {
        var out = new ArrayList<InputEvent>(Math.min(max, 256));
        try {
            var first = consumer.nextMessage(wait);
            if (first == null) {
                return out;
            }
            out.add(new Event(first));
            while (out.size() < max) {
                var more = consumer.nextMessage((Duration) null);
                if (more == null) {
                    break;
                }
                out.add(new Event(more));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (JetStreamStatusCheckedException e) {
            throw Failures.wrap("reading the input stream", e);
        }
        return out;
    }

    @Override
    public void close() {
        try {
            consumer.stop();
            consumer.close();
        } catch (Exception e) {
            // closing a subscription of a dead connection; nothing left to release
        }
    }

    /** One delivered message. */
    private static final class Event implements InputEvent {
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
