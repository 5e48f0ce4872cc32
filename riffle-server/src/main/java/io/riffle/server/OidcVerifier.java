package io.riffle.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.riffle.core.UnauthorizedException;
import io.riffle.core.UnavailableException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The configured OIDC issuer: its discovery document, and verification of its access tokens and ID tokens.
 * Verifies OIDC access tokens (JWTs) of one issuer: signature against the issuer's JWKS (found through
 * {@code /.well-known/openid-configuration}), {@code iss}, {@code aud}, {@code exp} and {@code nbf} with one minute
 * of clock skew. A token signed with a key id not in the cached JWKS makes it fetch the JWKS again (key rotation),
 * at most once per {@link #MIN_REFETCH}. Thread-safe.
 */
final class OidcVerifier {
    static final Duration MIN_REFETCH = Duration.ofSeconds(1);
    static final Duration MAX_SKEW = Duration.ofSeconds(60);
    private static final Logger LOG = LoggerFactory.getLogger(OidcVerifier.class);
    private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384,
        JWSAlgorithm.RS512, JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512, JWSAlgorithm.ES256,
        JWSAlgorithm.ES384, JWSAlgorithm.ES512);
    private final String issuer;
    private final Clock clock;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
        .followRedirects(HttpClient.Redirect.NORMAL).build();
    private final ReentrantLock lock = new ReentrantLock();
    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    private volatile Discovery discovery;
    private volatile JWKSet keys = new JWKSet();
    private volatile long fetchedAt = Long.MIN_VALUE / 2; // never, without overflow in the subtraction

    OidcVerifier(String issuer, String audience, Clock clock) {
        this.issuer = issuer;
        this.clock = clock;
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT,
            new JOSEObjectType("at+jwt"), null));
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, new Keys()));
        var claims = new DefaultJWTClaimsVerifier<SecurityContext>(audience,
            new JWTClaimsSet.Builder().issuer(issuer).build(), Set.of("sub", "exp")) {
            @Override
            protected Date currentTime() {
                return new Date(OidcVerifier.this.clock.millis());
            }
        };
        claims.setMaxClockSkew((int) MAX_SKEW.toSeconds());
        processor.setJWTClaimsSetVerifier(claims);
    }

    /**
     * The endpoints of the issuer's discovery document ({@code /.well-known/openid-configuration}); an endpoint the
     * provider does not offer is null.
     */
    record Discovery(URI jwksUri, URI authorizationEndpoint, URI tokenEndpoint, URI deviceAuthorizationEndpoint) {
    }

    /**
     * The discovery document, fetched once.
     *
     * @throws UnavailableException when it cannot be fetched or does not name this issuer
     */
    Discovery discovery() {
        var known = discovery;
        if (known != null) {
            return known;
        }
        lock.lock();
        try {
            if (discovery == null) {
                discovery = discover();
            }
            return discovery;
        } catch (KeySourceException e) {
            throw new UnavailableException("cannot read the OIDC discovery document of " + issuer + ": "
                + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    /**
     * The verified claims of an ID token from the authorization-code flow: signature (JWKS), {@code iss},
     * {@code aud} containing {@code clientId} (and {@code azp} equal to it when there are several audiences),
     * {@code exp}, {@code sub}, and the {@code nonce} of the sign-in.
     *
     * @throws UnauthorizedException when any check fails
     * @throws UnavailableException  when the JWKS cannot be fetched
     */
    JWTClaimsSet verifyIdToken(String idToken, String clientId, String nonce) {
        var processor = new DefaultJWTProcessor<SecurityContext>();
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT, null));
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, new Keys()));
        var claims = new DefaultJWTClaimsVerifier<SecurityContext>(clientId,
            new JWTClaimsSet.Builder().issuer(issuer).claim("nonce", nonce).build(), Set.of("sub", "exp", "iat")) {
            @Override
            protected Date currentTime() {
                return new Date(OidcVerifier.this.clock.millis());
            }
        };
        claims.setMaxClockSkew((int) MAX_SKEW.toSeconds());
        processor.setJWTClaimsSetVerifier(claims);
        JWTClaimsSet verified;
        try {
            verified = processor.process(idToken, null);
        } catch (ParseException | BadJOSEException | com.nimbusds.jose.JOSEException e) {
            throw new UnauthorizedException("the provider's ID token was refused: " + e.getMessage());
        }
        var azp = verified.getClaim("azp");
        if (verified.getAudience().size() > 1 && !clientId.equals(azp)) {
            throw new UnauthorizedException("the provider's ID token has several audiences and azp '" + azp
                + "', not '" + clientId + "'");
        }
        return verified;
    }

    /** True when {@code token} has the shape of a JWS (three base64url parts), so it is not a personal token. */
    static boolean looksLikeJwt(String token) {
        return token.startsWith("eyJ") && token.chars().filter(c -> c == '.').count() == 2;
    }

    /**
     * The verified claims of {@code token}.
     *
     * @throws UnauthorizedException when the token is malformed, badly signed, expired, not yet valid, or for
     *                               another issuer or audience
     * @throws UnavailableException  when the issuer's discovery document or JWKS cannot be fetched
     */
    JWTClaimsSet verify(String token) {
        try {
            return processor.process(token, null);
        } catch (ParseException e) {
            throw new UnauthorizedException("the bearer token is not a valid JWT: " + e.getMessage());
        } catch (BadJOSEException e) {
            throw new UnauthorizedException("the bearer token was refused: " + e.getMessage());
        } catch (KeySourceException e) {
            throw new UnavailableException("cannot fetch the signing keys of " + issuer + ": " + e.getMessage(), e);
        } catch (com.nimbusds.jose.JOSEException e) {
            throw new UnauthorizedException("the bearer token could not be verified: " + e.getMessage());
        }
    }

    /** The JWKS, fetched again when no key matches and the last fetch is older than {@link #MIN_REFETCH}. */
    private final class Keys implements JWKSource<SecurityContext> {
        @Override
        public List<JWK> get(JWKSelector selector, SecurityContext context) throws KeySourceException {
            var found = selector.select(keys);
            if (!found.isEmpty()) {
                return found;
            }
            lock.lock();
            try {
                found = selector.select(keys);
                if (found.isEmpty() && clock.millis() - fetchedAt >= MIN_REFETCH.toMillis()) {
                    keys = fetchKeys();
                    fetchedAt = clock.millis();
                    found = selector.select(keys);
                }
                return found;
            } finally {
                lock.unlock();
            }
        }
    }

    private JWKSet fetchKeys() throws KeySourceException {
        if (discovery == null) {
            discovery = discover();
        }
        var jwksUri = discovery.jwksUri();
        try {
            var set = JWKSet.parse(get(jwksUri));
            LOG.info("OIDC issuer {}: fetched {} signing key(s) from {}", issuer, set.getKeys().size(), jwksUri);
            return set;
        } catch (ParseException e) {
            throw new KeySourceException("the JWKS at " + jwksUri + " is not valid: " + e.getMessage(), e);
        }
    }

    private Discovery discover() throws KeySourceException {
        var base = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
        var url = URI.create(base + "/.well-known/openid-configuration");
        JsonNode doc;
        try {
            doc = Wire.JSON.readTree(get(url));
        } catch (IOException e) {
            throw new KeySourceException("the discovery document at " + url + " is not JSON", e);
        }
        if (!issuer.equals(doc.path("issuer").asText())) {
            throw new KeySourceException("the discovery document at " + url + " names issuer '"
                + doc.path("issuer").asText() + "', not '" + issuer + "' (RIFFLE_OIDC_ISSUER must match exactly, "
                + "trailing slash included)");
        }
        var jwks = doc.path("jwks_uri").asText("");
        if (jwks.isEmpty()) {
            throw new KeySourceException("the discovery document at " + url + " has no jwks_uri");
        }
        return new Discovery(URI.create(jwks), endpoint(doc, "authorization_endpoint"),
            endpoint(doc, "token_endpoint"), endpoint(doc, "device_authorization_endpoint"));
    }

    private static URI endpoint(JsonNode doc, String name) {
        var text = doc.path(name).asText("");
        return text.isEmpty() ? null : URI.create(text);
    }

    private String get(URI uri) throws KeySourceException {
        try {
            var r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new KeySourceException("GET " + uri + " answered " + r.statusCode());
            }
            return r.body();
        } catch (IOException e) {
            throw new KeySourceException("GET " + uri + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KeySourceException("interrupted while fetching " + uri, e);
        }
    }
}
