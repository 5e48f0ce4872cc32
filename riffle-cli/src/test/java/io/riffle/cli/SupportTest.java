package io.riffle.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Credentials, event reading, --since and the line diff. */
class SupportTest {
    @TempDir
    Path home;

    @Test
    void credentialsComeFromFlagsThenEnvThenProfileThenTheAdminTokenFile() throws Exception {
        var dataDir = Files.createDirectories(home.resolve("data"));
        Files.writeString(dataDir.resolve("admin.token"), "rfl_pat_admin\n");
        var env = Map.of("RIFFLE_DATA_DIR", dataDir.toString(), "RIFFLE_CONFIG_DIR", home.resolve("cfg").toString(),
            "RIFFLE_HTTP_PORT", "18080");
        var c = new Credentials(env, home);
        var local = c.resolve(null, null, null);
        assertThat(local.server()).isEqualTo("http://127.0.0.1:18080");
        assertThat(local.token()).isEqualTo("rfl_pat_admin");
        assertThat(local.tokenSource()).startsWith("admin token ");

        c.save("work", new Credentials.Profile("https://riffle.example.com", "rfl_pat_work"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(c.file()))).isEqualTo("rw-------");
        var stored = c.resolve(null, null, null);
        assertThat(stored.server()).isEqualTo("https://riffle.example.com");
        assertThat(stored.tokenSource()).contains("profile 'work'");

        var withEnv = new Credentials(Map.of("RIFFLE_CONFIG_DIR", home.resolve("cfg").toString(),
            "RIFFLE_TOKEN", "rfl_pat_env"), home).resolve(null, null, null);
        assertThat(withEnv.token()).isEqualTo("rfl_pat_env");
        assertThat(withEnv.server()).isEqualTo("https://riffle.example.com");
        assertThat(c.resolve("http://x:1", "t", null)).extracting(Credentials.Resolved::serverSource,
            Credentials.Resolved::tokenSource).containsExactly("--server", "--token");

        assertThat(c.remove("work")).isTrue();
        assertThat(c.remove("work")).isFalse();
    }

    @Test
    void noCredentialAtAllSaysHowToGetOne() {
        var c = new Credentials(Map.of("RIFFLE_CONFIG_DIR", home.resolve("cfg").toString(), "RIFFLE_DATA_DIR",
            home.resolve("none").toString()), home);
        assertThatThrownBy(() -> c.resolve(null, null, null)).isInstanceOf(CliException.class)
            .hasMessageContaining("riffle login");
    }

    private static EventReader reader(String text) {
        return new EventReader(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "in.json");
    }

    @Test
    void eventsComeFromAnObjectAnArrayOrNdjsonInBatches() {
        assertThat(reader("{\"a\":1}").next(10, 1 << 20)).hasSize(1);
        try (var r = reader("[{\"a\":1},{\"a\":2},{\"a\":3}]")) {
            assertThat(r.next(2, 1 << 20)).hasSize(2);
            assertThat(r.next(2, 1 << 20)).hasSize(1);
            assertThat(r.next(2, 1 << 20)).isEmpty();
        }
        try (var r = reader("{\"a\":1}\n{\"a\":2}\n\n{\"a\":3}\n")) {
            assertThat(new String(r.next(10, 1 << 20).get(2), StandardCharsets.UTF_8)).isEqualTo("{\"a\":3}");
        }
    }

    @Test
    void badEventsNameTheirLine() {
        assertThatThrownBy(() -> reader("{\"a\":1}\n42\n").next(10, 1 << 20))
            .hasMessage("in.json:2: event 2 is number, not a JSON object");
        assertThatThrownBy(() -> reader("{\"a\":1}\n{\"a\":\n").next(10, 1 << 20))
            .hasMessageStartingWith("in.json:").hasMessageContaining("not valid JSON");
    }

    @Test
    void sinceTakesDurationsOrTimes() {
        var now = Instant.parse("2026-01-31T12:00:00Z");
        assertThat(Since.parse("10m", now)).isEqualTo(Instant.parse("2026-01-31T11:50:00Z"));
        assertThat(Since.parse("1d", now)).isEqualTo(Instant.parse("2026-01-30T12:00:00Z"));
        assertThat(Since.parse("2026-01-31T13:00:00+01:00", now)).isEqualTo(now);
        assertThatThrownBy(() -> Since.parse("yesterday", now)).hasMessageContaining("--since");
    }

    @Test
    void lineDiffShowsRemovedThenAddedLines() {
        assertThat(TextDiff.lines("a\nb\nc\n", "a\nB\nc\nd\n")).containsExactly("- b", "+ B", "+ d");
        assertThat(TextDiff.lines("a\n", "a\n")).isEmpty();
    }
}
