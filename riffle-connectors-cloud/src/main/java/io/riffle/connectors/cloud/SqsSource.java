package io.riffle.connectors.cloud;

import io.riffle.connectors.Source;
import io.riffle.connectors.SourceContext;
import io.riffle.connectors.SourceRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;

/** Long-polls one queue; deletes a batch only after {@link SourceContext#emit} returned. */
final class SqsSource implements Source {
    private static final Logger LOG = LoggerFactory.getLogger(SqsSource.class);
    private final SqsClient client;
    private final SqsSourceFactory.SqsSettings settings;

    SqsSource(SqsClient client, SqsSourceFactory.SqsSettings settings) {
        this.client = client;
        this.settings = settings;
    }

    @Override
    public void run(SourceContext context) throws Exception {
        boolean connected = false;
        while (context.running()) {
            var messages = client.receiveMessage(r -> r.queueUrl(settings.queueUrl())
                .maxNumberOfMessages(settings.maxMessages())
                .waitTimeSeconds(settings.waitSeconds())
                .messageAttributeNames("All")).messages();
            if (!connected) {
                context.connected();
                connected = true;
            }
            if (messages.isEmpty()) {
                continue;
            }
            context.emit(records(messages));
            delete(messages);
        }
    }

    static List<SourceRecord> records(List<Message> messages) {
        var records = new ArrayList<SourceRecord>(messages.size());
        for (var m : messages) {
            var attributes = new HashMap<String, String>();
            m.messageAttributes().forEach((k, v) -> {
                if (v.stringValue() != null) {
                    attributes.put(k, v.stringValue());
                }
            });
            records.add(new SourceRecord(Payloads.event(m.body(), attributes), m.messageId()));
        }
        return records;
    }

    private void delete(List<Message> messages) {
        var entries = new ArrayList<DeleteMessageBatchRequestEntry>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            entries.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(i))
                .receiptHandle(messages.get(i).receiptHandle()).build());
        }
        var result = client.deleteMessageBatch(r -> r.queueUrl(settings.queueUrl()).entries(entries));
        // A message not deleted comes back after its visibility timeout; its message id dedupes it then.
        result.failed().forEach(f -> LOG.warn("amazon_sqs {}: could not delete a message ({}: {}); it will be "
            + "received again and stored once", settings.queueUrl(), f.code(), f.message()));
    }

    @Override
    public void close() {
        client.close();
    }
}
