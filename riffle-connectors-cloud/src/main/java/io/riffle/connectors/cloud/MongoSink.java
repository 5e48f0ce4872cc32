package io.riffle.connectors.cloud;

import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.MongoBulkWriteException;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.client.MongoClient;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.ReplaceOptions;
import io.riffle.connectors.Rejection;
import io.riffle.connectors.Sink;
import io.riffle.connectors.SinkRecord;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import org.bson.Document;
import org.bson.json.JsonParseException;

/**
 * Upserts documents by {@code _id}, one unordered bulk write per collection. Write errors caused by the document
 * (validation, duplicate key on another unique index, bad field names) become dead letters; any other error
 * retries the batch, which is safe because every write is a replace by {@code _id}.
 */
final class MongoSink implements Sink {
    /** Server error codes that mean "this document": BadValue, TypeMismatch, field name rules, validation, size. */
    static final Set<Integer> DOCUMENT_ERRORS = Set.of(2, 14, 52, 55, 56, 57, 66, 121, 10334, 11000, 17419);
    private final MongoClient client;
    private final MongoSinkFactory.MongoSettings settings;

    MongoSink(MongoClient client, MongoSinkFactory.MongoSettings settings) {
        this.client = client;
        this.settings = settings;
    }

    /** Where a result goes and what it holds, or why it cannot go anywhere. */
    record Target(String collection, Document document, String problem) {
    }

    /** Maps one result to its collection and document (pure; unit-tested). */
    static Target target(SinkRecord record, String configuredCollection) {
        JsonNode json = Payloads.parse(new String(record.payload(), StandardCharsets.UTF_8));
        if (json == null || !json.isObject()) {
            return new Target(null, null, "mongodb_json takes a JSON object per result");
        }
        var collection = configuredCollection;
        var body = json;
        if (collection == null) {
            if (!json.path("collection").isTextual() || !json.path("document").isObject()) {
                return new Target(null, null, "without a configured collection a result must be "
                    + "{\"collection\": \"<name>\", \"document\": {...}}");
            }
            collection = json.get("collection").asText();
            body = json.get("document");
        }
        try {
            var document = Document.parse(Payloads.JSON.writeValueAsString(body));
            document.putIfAbsent("_id", record.id());
            return new Target(collection, document, null);
        } catch (JsonParseException | com.fasterxml.jackson.core.JsonProcessingException e) {
            return new Target(null, null, "not a MongoDB document: " + e.getMessage());
        }
    }

    @Override
    public List<Rejection> write(List<SinkRecord> records) {
        var rejections = new ArrayList<Rejection>();
        var byCollection = new LinkedHashMap<String, List<SinkRecord>>();
        var documents = new LinkedHashMap<String, List<Document>>();
        for (var r : records) {
            var t = target(r, settings.collection());
            if (t.problem() != null) {
                rejections.add(new Rejection(r, t.problem()));
                continue;
            }
            byCollection.computeIfAbsent(t.collection(), c -> new ArrayList<>()).add(r);
            documents.computeIfAbsent(t.collection(), c -> new ArrayList<>()).add(t.document());
        }
        var database = client.getDatabase(settings.database());
        for (var entry : documents.entrySet()) {
            var models = entry.getValue().stream().map(d -> new ReplaceOneModel<>(new Document("_id", d.get("_id")), d,
                new ReplaceOptions().upsert(true))).toList();
            try {
                database.getCollection(entry.getKey()).bulkWrite(models, new BulkWriteOptions().ordered(false));
            } catch (MongoBulkWriteException e) {
                rejections.addAll(refused(e, byCollection.get(entry.getKey())));
            }
        }
        return rejections;
    }

    private static List<Rejection> refused(MongoBulkWriteException e, List<SinkRecord> records) {
        var out = new ArrayList<Rejection>();
        for (BulkWriteError error : e.getWriteErrors()) {
            if (!DOCUMENT_ERRORS.contains(error.getCode())) {
                throw e;
            }
            out.add(new Rejection(records.get(error.getIndex()), "MongoDB refused the document (code "
                + error.getCode() + "): " + error.getMessage()));
        }
        if (e.getWriteConcernError() != null) {
            throw e;
        }
        return out;
    }

    @Override
    public void close() {
        client.close();
    }
}
