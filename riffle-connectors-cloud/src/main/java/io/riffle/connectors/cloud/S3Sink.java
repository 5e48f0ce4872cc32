package io.riffle.connectors.cloud;

import io.riffle.connectors.Rejection;
import io.riffle.connectors.Sink;
import io.riffle.connectors.SinkRecord;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** Writes each batch as one NDJSON object; a record whose payload is not JSON is refused. */
final class S3Sink implements Sink {
    private final S3Client client;
    private final S3SinkFactory.S3Settings settings;

    S3Sink(S3Client client, S3SinkFactory.S3Settings settings) {
        this.client = client;
        this.settings = settings;
    }

    @Override
    public List<Rejection> write(List<SinkRecord> records) {
        var rejections = new ArrayList<Rejection>();
        var ids = new ArrayList<String>(records.size());
        var body = new ByteArrayOutputStream();
        for (var r : records) {
            var json = Payloads.parse(new String(r.payload(), java.nio.charset.StandardCharsets.UTF_8));
            if (json == null) {
                rejections.add(new Rejection(r, "amazon_s3 writes JSON lines; the result is not JSON"));
                continue;
            }
            ids.add(r.id());
            body.writeBytes(Payloads.write(json));
            body.write('\n');
        }
        if (!ids.isEmpty()) {
            var key = S3Keys.key(settings.prefix(), ids);
            client.putObject(p -> p.bucket(settings.bucket()).key(key).contentType("application/x-ndjson"),
                RequestBody.fromBytes(body.toByteArray()));
        }
        return rejections;
    }

    @Override
    public void close() {
        client.close();
    }
}
