package io.riffle.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code riffle login --oidc}: the OAuth 2.0 device authorization grant (RFC 8628) with the server's OIDC provider.
 * The server's {@code GET /v1/auth/config} names the provider and the CLI's client; the provider's discovery
 * document names its endpoints. Prints where to sign in and the code, polls at the provider's interval (slower
 * after {@code slow_down}), and returns the tokens. Also refreshes them with a refresh token.
 */
final class OidcDeviceLogin {
    static final String DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
        .followRedirects(HttpClient.Redirect.NORMAL).build();
    private final Clock clock;
    private final Sleeper sleeper;

    /** Waits between polls; tests pass one that does not sleep. */
    interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    OidcDeviceLogin(Clock clock, Sleeper sleeper) {
        this.clock = clock;
        this.sleeper = sleeper;
    }

    static OidcDeviceLogin system() {
        return new OidcDeviceLogin(Clock.systemUTC(), d -> Thread.sleep(d));
    }

    /** The tokens of a finished login or refresh; {@code refreshToken} may be null, {@code expiresAt} too. */
    record Granted(String accessToken, String refreshToken, Instant expiresAt, String tokenEndpoint,
                   String clientId) {
    }

    /** Runs the device flow against {@code server}'s provider, telling the user what to do on {@code out}. */
    Granted login(String server, PrintStream out) {
        var config = get(URI.create(server.replaceAll("/+$", "") + "/v1/auth/config"), "the server's /v1/auth/config");
        var oidc = config.path("oidc");
        if (!oidc.isObject() || !oidc.path("cli").isObject()) {
            throw new CliException(server + " has no OIDC login for the CLI (its administrator sets "
                + "RIFFLE_OIDC_ISSUER and RIFFLE_OIDC_CLI_CLIENT_ID); use --token or --email");
        }
        var cli = oidc.get("cli");
        var clientId = cli.path("client_id").asText();
        var issuer = oidc.path("issuer").asText();
        var discovery = get(URI.create(issuer.replaceAll("/+$", "") + "/.well-known/openid-configuration"),
            "the provider's discovery document");
        var deviceEndpoint = discovery.path("device_authorization_endpoint").asText("");
        var tokenEndpoint = discovery.path("token_endpoint").asText("");
        if (deviceEndpoint.isEmpty() || tokenEndpoint.isEmpty()) {
            throw new CliException("the provider " + issuer + " offers no device authorization "
                + "(device_authorization_endpoint) in its discovery document");
        }
        var form = new LinkedHashMap<String, String>();
        form.put("client_id", clientId);
        form.put("scope", cli.path("scope").asText("openid"));
        if (cli.hasNonNull("audience")) {
            form.put("audience", cli.get("audience").asText());
        }
        var device = post(URI.create(deviceEndpoint), form);
        if (device.status() != 200) {
            throw new CliException("the provider refused the device login: " + error(device.body()));
        }
        var answer = device.body();
        out.println("To log in, open " + answer.path("verification_uri").asText() + " and enter the code "
            + answer.path("user_code").asText());
        if (answer.hasNonNull("verification_uri_complete")) {
            out.println("(or open " + answer.get("verification_uri_complete").asText() + ")");
        }
        out.println("Waiting for you to approve...");
        out.flush();
        return poll(URI.create(tokenEndpoint), clientId, answer);
    }

    private Granted poll(URI tokenEndpoint, String clientId, JsonNode device) {
        var interval = Duration.ofSeconds(Math.max(1, device.path("interval").asInt(5)));
        var deadline = clock.instant().plusSeconds(device.path("expires_in").asLong(600));
        var form = Map.of("grant_type", DEVICE_GRANT, "device_code", device.path("device_code").asText(),
            "client_id", clientId);
        while (true) {
            try {
                sleeper.sleep(interval);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CliException("login interrupted");
            }
            var r = post(tokenEndpoint, form);
            if (r.status() == 200) {
                return granted(r.body(), tokenEndpoint.toString(), clientId);
            }
            switch (r.body().path("error").asText("")) {
                case "authorization_pending" -> { }
                case "slow_down" -> interval = interval.plusSeconds(5);
                case "access_denied" -> throw new CliException("the login was denied at the provider");
                case "expired_token" -> throw new CliException("the code expired before it was approved; run "
                    + "'riffle login --oidc' again");
                default -> throw new CliException("the provider refused the login: " + error(r.body()));
            }
            if (clock.instant().isAfter(deadline)) {
                throw new CliException("the code expired before it was approved; run 'riffle login --oidc' again");
            }
        }
    }

    /**
     * New tokens for a refresh token.
     *
     * @throws CliException when the provider refuses it (expired, revoked) or cannot be reached
     */
    Granted refresh(String tokenEndpoint, String clientId, String refreshToken) {
        var r = post(URI.create(tokenEndpoint), Map.of("grant_type", "refresh_token", "refresh_token", refreshToken,
            "client_id", clientId));
        if (r.status() != 200) {
            throw new CliException("the provider refused to refresh the login (" + error(r.body()) + ")");
        }
        var granted = granted(r.body(), tokenEndpoint, clientId);
        // Providers without refresh token rotation answer no new refresh token: the old one stays valid.
        return granted.refreshToken() != null ? granted : new Granted(granted.accessToken(), refreshToken,
            granted.expiresAt(), tokenEndpoint, clientId);
    }

    private Granted granted(JsonNode body, String tokenEndpoint, String clientId) {
        var access = body.path("access_token").asText("");
        if (access.isEmpty()) {
            throw new CliException("the provider answered no access_token");
        }
        var expiresAt = body.hasNonNull("expires_in") ? clock.instant().plusSeconds(body.get("expires_in").asLong())
            : null;
        return new Granted(access, body.hasNonNull("refresh_token") ? body.get("refresh_token").asText() : null,
            expiresAt, tokenEndpoint, clientId);
    }

    private record Answer(int status, JsonNode body) {
    }

    private static JsonNode get(URI uri, String what) {
        var r = send(HttpRequest.newBuilder(uri).GET(), what);
        if (r.status() != 200) {
            throw new CliException(what + " (" + uri + ") answered HTTP " + r.status());
        }
        return r.body();
    }

    private static Answer post(URI uri, Map<String, String> form) {
        var body = new StringBuilder();
        form.forEach((k, v) -> body.append(body.isEmpty() ? "" : "&").append(URLEncoder.encode(k,
            StandardCharsets.UTF_8)).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return send(HttpRequest.newBuilder(uri).header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(body.toString())), uri.toString());
    }

    private static Answer send(HttpRequest.Builder request, String what) {
        try {
            var r = HTTP.send(request.header("Accept", "application/json").timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
            JsonNode body;
            try {
                body = Json.MAPPER.readTree(r.body());
            } catch (IOException e) {
                body = Json.MAPPER.createObjectNode();
            }
            return new Answer(r.statusCode(), body == null ? Json.MAPPER.createObjectNode() : body);
        } catch (IOException e) {
            throw new CliException("cannot reach " + what + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted while calling " + what, e);
        }
    }

    private static String error(JsonNode body) {
        var error = body.path("error").asText("unknown error");
        return body.hasNonNull("error_description") ? error + ": " + body.get("error_description").asText() : error;
    }
}
