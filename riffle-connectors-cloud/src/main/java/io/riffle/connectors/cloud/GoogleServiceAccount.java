package io.riffle.connectors.cloud;

import com.fasterxml.jackson.databind.JsonNode;
import io.riffle.connectors.ConnectorConfig;
import io.riffle.core.UnavailableException;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * A Google service-account key ({@code credentials_json}) and the OAuth access tokens it earns: a JWT signed with
 * the key is exchanged at the key's {@code token_uri} (Google's documented server-to-server flow). A token is
 * reused until a minute before it expires. Not thread-safe (one source uses it).
 */
final class GoogleServiceAccount {
    static final String SCOPE = "https://www.googleapis.com/auth/pubsub";
    private static final String DEFAULT_TOKEN_URI = "https://oauth2.googleapis.com/token";
    private final String clientEmail;
    private final PrivateKey key;
    private final URI tokenUri;
    private final Clock clock;
    private String token;
    private Instant expires = Instant.EPOCH;

    private GoogleServiceAccount(String clientEmail, PrivateKey key, URI tokenUri, Clock clock) {
        this.clientEmail = clientEmail;
        this.key = key;
        this.tokenUri = tokenUri;
        this.clock = clock;
    }

    /**
     * The key in {@code credentials_json} (the JSON text of the key file, or the JSON object itself); null when
     * {@code allowNone} and it has no {@code private_key} (a Pub/Sub emulator needs none).
     */
    static GoogleServiceAccount of(ConnectorConfig config, boolean allowNone, Clock clock) {
        var raw = config.raw("credentials_json");
        if (raw != null && raw.isObject() && config.isSecret("credentials_json")) {
            var text = SecretFields.required(config, "credentials_json");
            if (text == null) {
                return null; // only the shape is checked: the key is read when the source starts
            }
            raw = Payloads.parse(text);
        }
        JsonNode json = raw != null && raw.isObject() ? raw : Payloads.parse(config.string("credentials_json"));
        if (json == null || !json.isObject()) {
            throw config.invalid("credentials_json", "must be the JSON of a service-account key file "
                + "(with client_email and private_key)");
        }
        if (allowNone && !json.hasNonNull("private_key")) {
            return null;
        }
        var email = json.path("client_email").asText("");
        if (email.isBlank() || !json.path("private_key").isTextual()) {
            throw config.invalid("credentials_json", "must be a service-account key with client_email and "
                + "private_key");
        }
        PrivateKey key;
        try {
            key = RsaJwt.privateKey(json.get("private_key").asText());
        } catch (IllegalArgumentException e) {
            throw config.invalid("credentials_json", "private_key " + e.getMessage());
        }
        var tokenUri = AwsSettings.httpUri(config, "credentials_json", json.path("token_uri").asText(DEFAULT_TOKEN_URI));
        return new GoogleServiceAccount(email, key, tokenUri, clock);
    }

    String clientEmail() {
        return clientEmail;
    }

    /** A valid access token, fetched when the cached one is (nearly) expired. */
    String accessToken(JsonHttp http) throws IOException, InterruptedException {
        var now = clock.instant();
        if (token != null && now.isBefore(expires.minusSeconds(60))) {
            return token;
        }
        var claims = Payloads.JSON.createObjectNode().put("iss", clientEmail).put("scope", SCOPE)
            .put("aud", tokenUri.toString()).put("iat", now.getEpochSecond()).put("exp", now.getEpochSecond() + 3600);
        var form = "grant_type=" + URLEncoder.encode("urn:ietf:params:oauth:grant-type:jwt-bearer",
            StandardCharsets.UTF_8) + "&assertion=" + RsaJwt.sign(claims, key);
        var response = http.postForm(tokenUri, form, Duration.ofSeconds(30));
        if (!response.ok() || !response.json().path("access_token").isTextual()) {
            throw new TokenRefusedException("Google refused a token for " + clientEmail + ": HTTP "
                + response.status() + " " + response.excerpt());
        }
        token = response.json().get("access_token").asText();
        expires = now.plusSeconds(response.json().path("expires_in").asLong(3600));
        return token;
    }

    /** The token endpoint refused the key. */
    static final class TokenRefusedException extends UnavailableException {
        TokenRefusedException(String message) {
            super(message);
        }
    }
}
