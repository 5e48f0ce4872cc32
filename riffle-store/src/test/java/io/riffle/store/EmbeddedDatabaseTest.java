package io.riffle.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.riffle.core.SecretBox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.sql.DriverManager;
import java.sql.SQLException;
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
            assertThat(embedded.jdbcUrl()).startsWith("jdbc:postgresql://localhost:" + port
                + "/postgres?user=postgres&password=");
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

    @Test
    void connectionsWithoutThePasswordAreRefused(@TempDir Path dataDir) throws Exception {
        try (var embedded = EmbeddedDatabase.start(dataDir)) {
            var url = "jdbc:postgresql://localhost:" + embedded.port() + "/postgres";
            var password = Files.readString(dataDir.resolve(EmbeddedDatabase.PASSWORD_FILE)).strip();

            assertThat(Files.getPosixFilePermissions(dataDir.resolve(EmbeddedDatabase.PASSWORD_FILE)))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
            assertThatThrownBy(() -> DriverManager.getConnection(url, "postgres", null).close())
                .isInstanceOf(SQLException.class).hasMessageContaining("password");
            assertThatThrownBy(() -> DriverManager.getConnection(url, "postgres", "wrong").close())
                .isInstanceOf(SQLException.class).hasMessageContaining("password authentication failed");
            try (var connection = DriverManager.getConnection(url, "postgres", password)) {
                assertThat(connection.isValid(5)).isTrue();
            }
        }
    }
}
