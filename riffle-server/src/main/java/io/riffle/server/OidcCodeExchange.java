package io.riffle.server;

import io.riffle.core.UnavailableException;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;

/**
 * The back-channel half of the authorization code flow: trades a code and its PKCE verifier for the provider's
 * tokens at the token endpoint, authenticating with {@code client_secret_post} when a secret is configured. Only the
 * ID token is kept: the session, not the provider's tokens, signs the browser's calls. Thread-safe.
 */
final class OidcCodeExchange {
    private final OidcLoginConfig config;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    OidcCodeExchange(OidcLoginConfig config) {
        this.config = config;
    }

    /**
     * The ID token the provider issues for {@code code}.
     *
     * @throws OidcLoginRoutes.SignInFailure when the provider refuses the code (unknown, used, wrong verifier)
     * @throws UnavailableException          when the provider cannot be reached
     */
    String idToken(OidcVerifier.Discovery discovery, String code, String verifier) {
        if (discovery.tokenEndpoint() == null) {
            throw new OidcLoginRoutes.SignInFailure("the provider's discovery document has no token_endpoint");
        }
        var form = new LinkedHashMap<String, String>();
        form.put("grant_type", "authorization_code");
        form.put("code", code);
        form.put("redirect_uri", config.redirectUrl());
        form.put("client_id", config.clientId());
        form.put("code_verifier", verifier);
        if (config.clientSecret() != null) {
            form.put("client_secret", config.clientSecret());
        }
        var request = HttpRequest.newBuilder(discovery.tokenEndpoint()).timeout(Duration.ofSeconds(15))
            .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(OidcLoginRoutes.form(form))).build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UnavailableException("the provider's token endpoint did not answer: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnavailableException("interrupted while calling the provider's token endpoint", e);
        }
        com.fasterxml.jackson.databind.JsonNode answer;
        try {
            answer = Wire.JSON.readTree(response.body());
        } catch (IOException e) {
            throw new OidcLoginRoutes.SignInFailure("the token endpoint answered " + response.statusCode()
                + " without JSON");
        }
        if (response.statusCode() != 200) {
            throw new OidcLoginRoutes.SignInFailure("the provider refused the code: "
                + answer.path("error").asText("HTTP " + response.statusCode())
                + (answer.hasNonNull("error_description") ? " (" + answer.get("error_description").asText() + ")"
                : ""));
        }
        var idToken = answer.path("id_token").asText("");
        if (idToken.isEmpty()) {
            throw new OidcLoginRoutes.SignInFailure("the token endpoint answered no id_token (is 'openid' among "
                + "RIFFLE_OIDC_SCOPES?)");
        }
        return idToken;
    }
}
