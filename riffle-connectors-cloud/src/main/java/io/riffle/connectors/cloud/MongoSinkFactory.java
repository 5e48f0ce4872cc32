package io.riffle.connectors.cloud;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.MongoException;
import com.mongodb.MongoSecurityException;
import com.mongodb.MongoTimeoutException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import io.riffle.connectors.ConnectorConfig;
import io.riffle.connectors.ConnectorFactory;
import io.riffle.connectors.Direction;
import io.riffle.connectors.Sink;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.bson.Document;

/**
 * The {@code mongodb_json} sink (GlassFlow's fields {@code connection_uri, db_name}; Riffle adds
 * {@code collection}). With {@code collection}, each result is a document of that collection; without it, each
 * result names its collection: {@code {"collection": "orders", "document": {...}}}. Documents are upserted by
 * {@code _id} (the result's own, else the record id), so a retried batch replaces instead of duplicating.
 * Uses MongoDB's official Java driver.
 */
public final class MongoSinkFactory implements ConnectorFactory {
    private static final Pattern NAME = Pattern.compile("[^/\\\\. \"$\\x00]{1,63}");
    private static final Pattern COLLECTION = Pattern.compile("[A-Za-z_][^$\\x00]{0,119}");

    @Override
    public String kind() {
        return "mongodb_json";
    }

    @Override
    public Direction direction() {
        return Direction.SINK;
    }

    @Override
    public void validate(ConnectorConfig config) {
        settings(config);
    }

    @Override
    public void probe(ConnectorConfig config) {
        var s = settings(config);
        try (var client = client(s, 3)) {
            client.getDatabase(s.database()).runCommand(new Document("ping", 1));
        } catch (MongoSecurityException e) {
            throw config.invalid("connection_uri", "credentials were refused: " + e.getMessage());
        } catch (MongoTimeoutException e) {
            throw config.invalid("connection_uri", "no MongoDB server answered at " + s.redactedHosts());
        } catch (MongoException e) {
            throw config.invalid("connection_uri", "MongoDB refused the check: " + e.getMessage());
        }
    }

    @Override
    public Sink openSink(ConnectorConfig config) {
        var s = settings(config);
        return new MongoSink(client(s, 10), s);
    }

    static MongoSettings settings(ConnectorConfig config) {
        var text = SecretFields.required(config, "connection_uri");
        ConnectionString uri = null;
        try {
            uri = text == null ? null : new ConnectionString(text);
        } catch (IllegalArgumentException e) {
            // the driver's message may echo the URI, password included: keep only its first clause
            throw config.invalid("connection_uri", "must be a mongodb:// or mongodb+srv:// connection string");
        }
        var database = config.string("db_name");
        if (!NAME.matcher(database).matches()) {
            throw config.invalid("db_name", "must be a MongoDB database name; got '" + database + "'");
        }
        var collection = config.string("collection", null);
        if (collection != null && !COLLECTION.matcher(collection).matches()) {
            throw config.invalid("collection", "must be a MongoDB collection name; got '" + collection + "'");
        }
        return new MongoSettings(uri, database, collection);
    }

    private static MongoClient client(MongoSettings s, int selectionSeconds) {
        return MongoClients.create(MongoClientSettings.builder().applyConnectionString(s.uri())
            .applyToClusterSettings(c -> c.serverSelectionTimeout(selectionSeconds, TimeUnit.SECONDS))
            .applyToSocketSettings(c -> c.connectTimeout(5, TimeUnit.SECONDS).readTimeout(60, TimeUnit.SECONDS))
            .build());
    }

    /** The validated configuration of one {@code mongodb_json} sink; {@code collection} may be null. */
    record MongoSettings(ConnectionString uri, String database, String collection) {
        String redactedHosts() {
            return uri == null ? "(secret)" : String.join(",", uri.getHosts());
        }

        @Override
        public String toString() {
            return "MongoSettings[" + redactedHosts() + "/" + database + "]";
        }
    }
}
