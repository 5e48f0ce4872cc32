package io.riffle.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.riffle.core.SecretBox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedDatabaseTest {
    private final SecretBox secrets = SecretBox.create(Base64.getDecoder().decode(SecretBox.newKey()));

    @Test
    void dataSurviveARestartOnTheSamePort(@TempDir Path dataDir) throws Exception {
        String spaceId;
        String userId;
        int port;
        try (var embedded = EmbeddedDatabase.start(dataDir);
             var database = Database.open(DatabaseConfig.of(embedded.jdbcUrl()), secrets)) {
            port = embedded.port();
            assertThat(embedded.jdbcUrl()).isEqualTo("jdbc:postgresql://localhost:" + port + "/postgres?user=postgres");
            assertThat(database.healthy()).isTrue();
            userId = database.users().createUser("owner@example.com", "Owner", false, null).id();
            spaceId = database.spaces().create("kept", userId).id();
        }
        assertThat(Files.readString(dataDir.resolve(EmbeddedDatabase.PORT_FILE)).trim())
            .isEqualTo(Integer.toString(port));

        try (var embedded = EmbeddedDatabase.start(dataDir);
             var database = Database.open(DatabaseConfig.of(embedded.jdbcUrl()), secrets)) {
            assertThat(embedded.port()).isEqualTo(port);
            var user = database.users().findUser(userId).orElseThrow();
            assertThat(database.spaces().find(spaceId, user)).get()
                .extracting(m -> m.space().name()).isEqualTo("kept");
        }
    }
}
