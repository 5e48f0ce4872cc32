package io.riffle.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.riffle.core.InvalidInputException;
import io.riffle.core.UnavailableException;
import io.riffle.core.User;
import java.sql.DriverManager;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DatabaseTest {
    private static final String UNREACHABLE = "jdbc:postgresql://127.0.0.1:1/riffle?user=riffle&password=s3cret";
    private static StoreFixture fixture;

    @BeforeAll
    static void setUp() {
        fixture = new StoreFixture();
    }

    @AfterAll
    static void tearDown() {
        fixture.close();
    }

    @Test
    void migrationsRunOnceAndReopeningKeepsData() throws Exception {
        var user = fixture.user(false);
        var config = DatabaseConfig.of(fixture.testDatabase.jdbcUrl());

        try (var again = Database.open(config, fixture.secrets)) {
            assertThat(again.users().findUser(user.id())).contains(user);
        }
        try (var c = DriverManager.getConnection(fixture.testDatabase.jdbcUrl());
             var s = c.createStatement();
             var rs = s.executeQuery("SELECT count(*) FROM flyway_schema_history WHERE success")) {
            rs.next();
            long migrations;
            try (var files = java.nio.file.Files.list(java.nio.file.Path.of(
                Database.class.getClassLoader().getResource("db/migration").toURI()))) {
                migrations = files.filter(f -> f.getFileName().toString().matches("V\\d+__.*\\.sql")).count();
            }
            assertThat(migrations).isGreaterThanOrEqualTo(3);
            assertThat(rs.getInt(1)).as("every migration, each once").isEqualTo((int) migrations);
        }
    }

    @Test
    void tablesLiveInTheUrlsSchema() throws Exception {
        try (var c = DriverManager.getConnection(fixture.testDatabase.baseUrl());
             var ps = c.prepareStatement("SELECT count(*) FROM information_schema.tables WHERE table_schema = ?"
                 + " AND table_name IN ('users', 'personal_tokens', 'spaces', 'space_members', 'pipelines',"
                 + " 'function_versions', 'pipeline_tokens')")) {
            ps.setString(1, fixture.testDatabase.schema());
            try (var rs = ps.executeQuery()) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(7);
            }
        }
    }

    @Test
    void openDatabaseIsHealthy() {
        assertThat(fixture.database.healthy()).isTrue();
    }

    @Test
    void closedDatabaseIsUnavailable() {
        var database = Database.open(DatabaseConfig.of(fixture.testDatabase.jdbcUrl()), fixture.secrets);
        database.close();

        assertThat(database.healthy()).isFalse();
        assertThatThrownBy(() -> database.users().countUsers()).isInstanceOf(UnavailableException.class)
            .hasMessageStartingWith("database unavailable");
    }

    @Test
    void unreachableDatabaseIsUnavailableFromStoreCalls() {
        try (var pool = Database.pool(DatabaseConfig.of(UNREACHABLE), Duration.ofMillis(500))) {
            var spaces = new PostgresSpaceStore(new Jdbc(pool), Clock.systemUTC());
            var user = new User("u", "u@example.com", "U", false, Instant.now());

            assertThatThrownBy(() -> spaces.list(user)).isInstanceOf(UnavailableException.class)
                .hasMessageStartingWith("database unavailable: ");
            assertThatThrownBy(() -> spaces.create("s", "u")).isInstanceOf(UnavailableException.class);
        }
    }

    @Test
    void openingAnUnreachableDatabaseIsUnavailable() {
        assertThatThrownBy(() -> Database.open(DatabaseConfig.of(UNREACHABLE), fixture.secrets))
            .isInstanceOf(UnavailableException.class)
            .hasMessageStartingWith("database unavailable: ");
    }

    @Test
    void configRejectsOtherUrlsNamingTheVariableButNotThePassword() {
        assertThatThrownBy(() -> DatabaseConfig.of("postgres://riffle:s3cret@db:5432/riffle"))
            .isInstanceOf(InvalidInputException.class)
            .hasMessageContaining("RIFFLE_DATABASE_URL")
            .hasMessageContaining("jdbc:postgresql:")
            .hasMessageNotContaining("s3cret");
        assertThatThrownBy(() -> new DatabaseConfig("jdbc:postgresql://db/riffle", null, null, 0))
            .isInstanceOf(InvalidInputException.class);
        assertThat(DatabaseConfig.of(UNREACHABLE).toString()).doesNotContain("s3cret");
    }

    @Test
    void configReadsTheSchemaFromTheUrl() {
        assertThat(DatabaseConfig.of("jdbc:postgresql://db/riffle").schemas()).isEmpty();
        assertThat(DatabaseConfig.of("jdbc:postgresql://db/riffle?user=x&currentSchema=riffle").schemas())
            .containsExactly("riffle");
        assertThat(DatabaseConfig.of("jdbc:postgresql://db/riffle?currentSchema=a%2Cb&ssl=true").schemas())
            .containsExactly("a", "b");
    }
}
