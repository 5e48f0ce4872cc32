package io.riffle.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.riffle.core.BuildStatus;
import io.riffle.core.EnvVar;
import io.riffle.core.FunctionVersion;
import io.riffle.core.Pipeline;
import io.riffle.core.PipelineSettings;
import io.riffle.core.PipelineState;
import io.riffle.core.PipelineToken;
import io.riffle.core.SecretBox;
import io.riffle.core.Tokens;
import io.riffle.core.User;
import io.riffle.testkit.TestDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;

/** A migrated database in a fresh schema, for one test class, with helpers that create rows. */
final class StoreFixture implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    final TestDatabase testDatabase;
    final SecretBox secrets = SecretBox.create(Base64.getDecoder().decode(SecretBox.newKey()));
    final Database database;

    StoreFixture() {
        testDatabase = TestDatabase.create();
        database = Database.open(DatabaseConfig.of(testDatabase.jdbcUrl()), secrets);
    }

    static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    User user(boolean admin) {
        var id = Tokens.newId();
        return database.users().createUser(id + "@example.com", "User " + id, admin, null);
    }

    /** A pipeline in {@code spaceId} with version 1 and one token, as it was stored. */
    Stored pipeline(String spaceId) {
        try {
            var id = Tokens.newId();
            var now = now();
            var pipeline = new Pipeline(id, spaceId, "pipeline " + id, PipelineState.RUNNING,
                JSON.readTree("{\"team\":\"data\",\"tags\":[1,2.5,\"x\"],\"nested\":{\"a\":null}}"),
                JSON.readTree("{\"kind\":\"webhook\",\"config\":{\"url\":\"http://example.com\"}}"), null,
                PipelineSettings.DEFAULTS, 1, now, now);
            var version = new FunctionVersion(id, 1, "def handler(data, log):\n    return data\n", "requests==2.32.0",
                List.of(new EnvVar("MODE", "test")), BuildStatus.BUILDING, "", now);
            var token = new PipelineToken(Tokens.newId(), id, "default", Tokens.newSecret(Tokens.PIPELINE_PREFIX), now);
            database.pipelines().create(pipeline, version, token);
            return new Stored(pipeline, version, token);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    record Stored(Pipeline pipeline, FunctionVersion version, PipelineToken token) {
    }

    @Override
    public void close() {
        try (testDatabase) {
            database.close();
        }
    }
}
