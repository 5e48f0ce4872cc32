package io.riffle.connectors.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.model.IndexOptions;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.riffle.connectors.ConnectorConfig;
import io.riffle.connectors.SinkRecord;
import io.riffle.core.InvalidInputException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The mongodb_json sink with MongoDB's official driver against mongo-java-server, an in-memory implementation of
 * the MongoDB wire protocol in this JVM. It is not a real mongod: what it proves is the driver calls and the
 * mapping, not MongoDB's own behaviour.
 */
class MongoSinkIT {
    private static final MongoSinkFactory FACTORY = new MongoSinkFactory();
    private static final MemoryBackend BACKEND = new MemoryBackend();
    private static MongoServer server;
    private static InetSocketAddress address;
    private static MongoClient client;

    @BeforeAll
    static void start() {
        server = new MongoServer(BACKEND);
        server.bind("127.0.0.1", 0);
        address = server.getLocalAddress();
        client = MongoClients.create(uri());
    }

    @AfterAll
    static void stop() {
        client.close();
        server.shutdownNow();
    }

    private static String uri() {
        return "mongodb://127.0.0.1:" + address.getPort();
    }

    private static ConnectorConfig config(String db, String collection) {
        var fields = new HashMap<String, Object>(Map.of("connection_uri", uri(), "db_name", db));
        if (collection != null) {
            fields.put("collection", collection);
        }
        return Configs.sink("mongodb_json", fields);
    }

    private static SinkRecord record(String id, String json) {
        return new SinkRecord(id, json.getBytes(StandardCharsets.UTF_8));
    }

    private static String db() {
        return "d" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void upsertsByIdSoARetriedBatchReplacesInsteadOfDuplicating() throws Exception {
        var db = db();
        var batch = new ArrayList<SinkRecord>();
        for (int i = 0; i < 50; i++) {
            batch.add(record("p:" + i, "{\"n\": " + i + ", \"tags\": [\"a\"], \"nested\": {\"x\": 1.5}}"));
        }
        batch.add(record("p:own", "{\"_id\": \"mine\", \"n\": -1}"));
        try (var sink = FACTORY.openSink(config(db, "orders"))) {
            assertThat(sink.write(batch)).isEmpty();
            assertThat(sink.write(batch)).isEmpty();
        }
        var orders = client.getDatabase(db).getCollection("orders");
        assertThat(orders.countDocuments()).isEqualTo(51);
        var seven = orders.find(new Document("_id", "p:7")).first();
        assertThat(seven.getInteger("n")).isEqualTo(7);
        assertThat(seven.get("nested", Document.class).getDouble("x")).isEqualTo(1.5);
        assertThat(orders.find(new Document("_id", "mine")).first().getInteger("n")).isEqualTo(-1);
    }

    @Test
    void withoutACollectionEachResultNamesItsOwn() throws Exception {
        var db = db();
        List<io.riffle.connectors.Rejection> rejected;
        try (var sink = FACTORY.openSink(config(db, null))) {
            rejected = sink.write(List.of(
                record("p:1", "{\"collection\": \"a\", \"document\": {\"v\": 1}}"),
                record("p:2", "{\"collection\": \"b\", \"document\": {\"v\": 2}}"),
                record("p:3", "{\"v\": 3}")));
        }
        assertThat(rejected).singleElement().satisfies(r -> {
            assertThat(r.record().id()).isEqualTo("p:3");
            assertThat(r.reason()).contains("\"collection\"");
        });
        assertThat(client.getDatabase(db).getCollection("a").countDocuments()).isEqualTo(1);
        assertThat(client.getDatabase(db).getCollection("b").countDocuments()).isEqualTo(1);
    }

    @Test
    void aDocumentMongoRefusesBecomesADeadLetterAndTheOthersAreWritten() throws Exception {
        var db = db();
        client.getDatabase(db).getCollection("users").createIndex(new Document("email", 1),
            new IndexOptions().unique(true));
        List<io.riffle.connectors.Rejection> rejected;
        try (var sink = FACTORY.openSink(config(db, "users"))) {
            rejected = sink.write(List.of(record("p:1", "{\"email\": \"a@x\"}"),
                record("p:2", "{\"email\": \"a@x\"}"), record("p:3", "{\"email\": \"b@x\"}")));
        }
        assertThat(rejected).singleElement().satisfies(r -> {
            assertThat(r.record().id()).isEqualTo("p:2");
            assertThat(r.reason()).contains("code 11000");
        });
        assertThat(client.getDatabase(db).getCollection("users").countDocuments()).isEqualTo(2);
    }

    @Test
    void writeFailsWhileTheServerIsAwayAndSucceedsOnceItIsBack() throws Exception {
        var db = db();
        try (var sink = FACTORY.openSink(config(db, "c"))) {
            server.shutdownNow();
            try {
                assertThatThrownBy(() -> sink.write(List.of(record("p:1", "{\"v\": 1}"))))
                    .isInstanceOf(com.mongodb.MongoException.class);
            } finally {
                server = new MongoServer(BACKEND);
                server.bind("127.0.0.1", address.getPort());
            }
            assertThat(sink.write(List.of(record("p:1", "{\"v\": 1}")))).isEmpty();
        }
        assertThat(client.getDatabase(db).getCollection("c").countDocuments()).isEqualTo(1);
    }

    @Test
    void probeAndValidationNameTheField() {
        FACTORY.probe(config(db(), "c"));
        assertThatThrownBy(() -> FACTORY.probe(Configs.sink("mongodb_json",
            Map.of("connection_uri", "mongodb://127.0.0.1:1", "db_name", "x"))))
            .isInstanceOf(InvalidInputException.class)
            .hasMessageContaining("sink_connector.config.connection_uri").hasMessageContaining("127.0.0.1:1");
        assertThatThrownBy(() -> FACTORY.validate(Configs.sink("mongodb_json",
            Map.of("connection_uri", "http://user:hunter2@x", "db_name", "x"))))
            .hasMessageContaining("sink_connector.config.connection_uri").hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> FACTORY.validate(Configs.sink("mongodb_json",
            Map.of("connection_uri", "mongodb://x", "db_name", "a.b"))))
            .hasMessageContaining("sink_connector.config.db_name").hasMessageContaining("'a.b'");
        assertThatThrownBy(() -> FACTORY.validate(Configs.sink("mongodb_json", Map.of("db_name", "x"))))
            .hasMessage("sink_connector.config.connection_uri: is required");
    }
}
