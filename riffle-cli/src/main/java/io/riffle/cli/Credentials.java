package io.riffle.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/**
 * Where the CLI finds its server and token, first match wins: the {@code --server}/{@code --token} flags, the
 * {@code RIFFLE_SERVER}/{@code RIFFLE_TOKEN} environment, the stored profile ({@code riffle login}), and last the
 * admin token that {@code riffle up} writes to {@code $RIFFLE_DATA_DIR/admin.token} with the local server.
 */
final class Credentials {
    static final String DEFAULT_PROFILE = "default";
    static final String FILE_NAME = "credentials.json";
    private final Map<String, String> env;
    private final Path home;

    Credentials(Map<String, String> env, Path home) {
        this.env = env;
        this.home = home;
    }

    static Credentials system() {
        return new Credentials(System.getenv(),
            Path.of(System.getenv().getOrDefault("HOME", System.getProperty("user.home"))));
    }

    /** A resolved credential and a human description of where each part came from. */
    record Resolved(String server, String token, String serverSource, String tokenSource, String profile) {
    }

    /** A stored profile. */
    record Profile(String server, String token) {
    }

    Path configDir() {
        var dir = env.get("RIFFLE_CONFIG_DIR");
        if (dir != null && !dir.isBlank()) {
            return Path.of(dir);
        }
        var xdg = env.get("XDG_CONFIG_HOME");
        return (xdg != null && !xdg.isBlank() ? Path.of(xdg) : home.resolve(".config")).resolve("riffle");
    }

    Path file() {
        return configDir().resolve(FILE_NAME);
    }

    Path adminTokenFile() {
        var dataDir = env.get("RIFFLE_DATA_DIR");
        return (dataDir != null && !dataDir.isBlank() ? Path.of(dataDir) : home.resolve(".riffle"))
            .resolve("admin.token");
    }

    /** The local server {@code riffle up} starts: 127.0.0.1 on {@code RIFFLE_HTTP_PORT} (8080). */
    String localServer() {
        var port = env.get("RIFFLE_HTTP_PORT");
        return "http://127.0.0.1:" + (port != null && port.matches("\\d{1,5}") ? port : "8080");
    }

    /** The profile to use: {@code --profile}, {@code RIFFLE_PROFILE}, the one of the last login, or "default". */
    String profileName(String flag) {
        if (flag != null && !flag.isBlank()) {
            return flag;
        }
        var fromEnv = env.get("RIFFLE_PROFILE");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv;
        }
        return read().path("current_profile").asText(DEFAULT_PROFILE);
    }

    Resolved resolve(String serverFlag, String tokenFlag, String profileFlag) {
        var profileName = profileName(profileFlag);
        var profile = profile(profileName);
        String server = null;
        String serverSource = null;
        String token = null;
        String tokenSource = null;
        if (present(serverFlag)) {
            server = serverFlag;
            serverSource = "--server";
        } else if (present(env.get("RIFFLE_SERVER"))) {
            server = env.get("RIFFLE_SERVER");
            serverSource = "RIFFLE_SERVER";
        } else if (profile != null) {
            server = profile.server();
            serverSource = "profile '" + profileName + "' in " + file();
        }
        if (present(tokenFlag)) {
            token = tokenFlag;
            tokenSource = "--token";
        } else if (present(env.get("RIFFLE_TOKEN"))) {
            token = env.get("RIFFLE_TOKEN");
            tokenSource = "RIFFLE_TOKEN";
        } else if (profile != null) {
            token = profile.token();
            tokenSource = "profile '" + profileName + "' in " + file();
        } else if (Files.isReadable(adminTokenFile())) {
            token = readAdminToken();
            tokenSource = "admin token " + adminTokenFile();
        }
        if (server == null) {
            server = localServer();
            serverSource = "local default";
        }
        if (token == null) {
            throw new CliException("no credential: run 'riffle login --server URL --token TOKEN', set RIFFLE_TOKEN, "
                + "or start a local server with 'riffle up' (it writes " + adminTokenFile() + ")");
        }
        return new Resolved(server, token, serverSource, tokenSource, profile == null ? null : profileName);
    }

    Profile profile(String name) {
        var node = read().path("profiles").path(name);
        if (!node.isObject() || !node.hasNonNull("server") || !node.hasNonNull("token")) {
            return null;
        }
        return new Profile(node.get("server").asText(), node.get("token").asText());
    }

    /** Stores a profile and makes it the current one; the file is written with mode 0600. */
    void save(String name, Profile profile) {
        var root = read();
        root.put("current_profile", name);
        root.withObjectProperty("profiles").putObject(name).put("server", profile.server()).put("token", profile.token());
        write(root);
    }

    /** Removes a profile; false when there was none. */
    boolean remove(String name) {
        var root = read();
        var profiles = root.withObjectProperty("profiles");
        if (profiles.remove(name) == null) {
            return false;
        }
        if (name.equals(root.path("current_profile").asText())) {
            root.remove("current_profile");
        }
        write(root);
        return true;
    }

    private ObjectNode read() {
        var file = file();
        if (!Files.exists(file)) {
            return Json.MAPPER.createObjectNode();
        }
        try {
            var node = Json.MAPPER.readTree(file.toFile());
            if (node instanceof ObjectNode o) {
                return o;
            }
            throw new CliException(file + " is not a JSON object; fix it or delete it and log in again");
        } catch (IOException e) {
            throw new CliException("cannot read " + file + ": " + e.getMessage() + "; fix it or delete it", e);
        }
    }

    private void write(ObjectNode root) {
        var file = file();
        try {
            Files.createDirectories(file.getParent());
            var tmp = file.resolveSibling(FILE_NAME + ".tmp");
            Files.deleteIfExists(tmp);
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            }
            Files.writeString(tmp, Json.pretty(root) + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new CliException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private String readAdminToken() {
        try {
            return Files.readString(adminTokenFile()).strip();
        } catch (IOException e) {
            throw new CliException("cannot read " + adminTokenFile() + ": " + e.getMessage(), e);
        }
    }

    private static boolean present(String s) {
        return s != null && !s.isBlank();
    }
}
