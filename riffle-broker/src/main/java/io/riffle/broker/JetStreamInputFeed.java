package io.riffle.broker;

import io.nats.client.ConsumerContext;
import io.nats.client.FetchConsumeOptions;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamStatusCheckedException;
import io.nats.client.Message;
import io.nats.client.impl.Headers;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A runner's view of the shared durable consumer. Each {@link #next} is one pull request ("no wait" with an
 * expiry): it returns as soon as at least one event is available, with up to {@code max}, and nothing is buffered
 * between calls, so a runner never holds events it is not working on (they would get no heartbeats, and other
 * replicas could not take them).
 */
final class JetStreamInputFeed implements InputFeed {
    private static final long MIN_WAIT_MILLIS = 1000;
    private final ConsumerContext consumer;

    JetStreamInputFeed(ConsumerContext consumer) {
        this.consumer = consumer;
    }

    @Override
    public List<InputEvent> next(int max, Duration wait) {
        var out = new ArrayList<InputEvent>(Math.min(max, 256));
        var options = FetchConsumeOptions.builder().maxMessages(max)
            .noWaitExpiresIn(Math.max(MIN_WAIT_MILLIS, wait.toMillis())).build();
        try (var fetch = consumer.fetch(options)) {
            Message m;
            while ((m = fetch.nextMessage()) != null) {
                out.add(new Event(m));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (JetStreamStatusCheckedException | java.io.IOException | JetStreamApiException e) {
            throw Failures.wrap("reading the input stream", e);
        } catch (Exception e) {
            throw Failures.wrap("reading the input stream", e);
        }
        return out;
    }

    @Override
    public void close() {
        // each fetch closes its own subscription
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
