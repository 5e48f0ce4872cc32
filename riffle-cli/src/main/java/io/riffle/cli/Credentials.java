package io.riffle.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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
    private final Clock clock;
    private final Renewer renewer;

    /** Renews an OIDC access token with a refresh token ({@link OidcDeviceLogin#refresh}). */
    interface Renewer {
        OidcDeviceLogin.Granted refresh(String tokenEndpoint, String clientId, String refreshToken);
    }

    Credentials(Map<String, String> env, Path home) {
        this(env, home, Clock.systemUTC(), (endpoint, client, refresh) -> OidcDeviceLogin.system()
            .refresh(endpoint, client, refresh));
    }

    Credentials(Map<String, String> env, Path home, Clock clock, Renewer renewer) {
        this.env = env;
        this.home = home;
        this.clock = clock;
        this.renewer = renewer;
    }

    static Credentials system() {
        return new Credentials(System.getenv(),
            Path.of(System.getenv().getOrDefault("HOME", System.getProperty("user.home"))));
    }

    /** A resolved credential and a human description of where each part came from. */
    record Resolved(String server, String token, String serverSource, String tokenSource, String profile) {
    }

    /**
     * A stored profile. {@code oidc} is null for a personal access token; for an OIDC login it holds what renewing
     * the access token takes.
     */
    record Profile(String server, String token, OidcLogin oidc) {
        Profile(String server, String token) {
            this(server, token, null);
        }
    }

    /**
     * The renewal data of an OIDC login: the access token's end, and the refresh token (null when the provider
     * issued none) with the provider's token endpoint and the CLI's client id.
     */
    record OidcLogin(Instant expiresAt, String refreshToken, String tokenEndpoint, String clientId) {
    }

    /** An access token this close to its end is renewed before use. */
    static final Duration RENEW_BEFORE = Duration.ofSeconds(30);

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
            token = fresh(profileName, profile).token();
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
        OidcLogin oidc = null;
        var o = node.path("oidc");
        if (o.isObject()) {
            oidc = new OidcLogin(o.hasNonNull("expires_at") ? Instant.parse(o.get("expires_at").asText()) : null,
                o.hasNonNull("refresh_token") ? o.get("refresh_token").asText() : null,
                o.path("token_endpoint").asText(null), o.path("client_id").asText(null));
        }
        return new Profile(node.get("server").asText(), node.get("token").asText(), oidc);
    }

    /**
     * The profile with an access token that is not about to end: an OIDC login near its end is renewed with its
     * refresh token (and stored again); without one, or when the provider refuses it, the user is told to log in
     * again.
     */
    Profile fresh(String name, Profile profile) {
        var oidc = profile.oidc();
        if (oidc == null || oidc.expiresAt() == null || oidc.expiresAt().isAfter(clock.instant().plus(RENEW_BEFORE))) {
            return profile;
        }
        var again = "run 'riffle login --server " + profile.server() + " --oidc" + ("default".equals(name) ? ""
            : " --profile " + name) + "'";
        if (oidc.refreshToken() == null) {
            throw new CliException("the OIDC login of profile '" + name + "' expired at " + oidc.expiresAt()
                + " and the provider gave no refresh token; log in again: " + again);
        }
        OidcDeviceLogin.Granted granted;
        try {
            granted = renewer.refresh(oidc.tokenEndpoint(), oidc.clientId(), oidc.refreshToken());
        } catch (CliException e) {
            throw new CliException("the OIDC login of profile '" + name + "' expired and could not be renewed: "
                + e.getMessage() + "; log in again: " + again, e);
        }
        var renewed = new Profile(profile.server(), granted.accessToken(), new OidcLogin(granted.expiresAt(),
            granted.refreshToken(), oidc.tokenEndpoint(), oidc.clientId()));
        store(name, renewed, false);
        return renewed;
    }

    /** Stores a profile and makes it the current one; the file is written with mode 0600. */
    void save(String name, Profile profile) {
        store(name, profile, true);
    }

    private void store(String name, Profile profile, boolean makeCurrent) {
        var root = read();
        if (makeCurrent) {
            root.put("current_profile", name);
        }
        var node = root.withObjectProperty("profiles").putObject(name).put("server", profile.server())
            .put("token", profile.token());
        var oidc = profile.oidc();
        if (oidc != null) {
            node.putObject("oidc").put("expires_at", oidc.expiresAt() == null ? null : oidc.expiresAt().toString())
                .put("refresh_token", oidc.refreshToken()).put("token_endpoint", oidc.tokenEndpoint())
                .put("client_id", oidc.clientId());
        }
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
