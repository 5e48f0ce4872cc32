package io.riffle.testkit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small OpenID provider over HTTP, JDK only: discovery document, JWKS, and RS256 access tokens signed with its
 * current key. {@link #rotate()} replaces the signing key (the old one leaves the JWKS), as providers do. Its
 * interactive grants ({@link TestOidcFlows}): the authorization code flow with PKCE behind a sign-in page, the
 * device authorization grant, refresh tokens; for registered {@link #client clients} only.
 */
public final class TestOidcProvider implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private final HttpServer server;
    private final List<Key> keys = new CopyOnWriteArrayList<>();
    private final AtomicInteger jwksFetches = new AtomicInteger();
    private final AtomicInteger kids = new AtomicInteger();
    private final TestOidcFlows flows;

    private record Key(String kid, KeyPair pair) {
    }

    public TestOidcProvider() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/.well-known/openid-configuration", ex -> respond(ex, Map.of("issuer", issuer(),
            "jwks_uri", issuer() + ".well-known/jwks.json", "authorization_endpoint", issuer() + "authorize",
            "token_endpoint", issuer() + "oauth/token",
            "device_authorization_endpoint", issuer() + "oauth/device/code")));
        flows = new TestOidcFlows(this, server);
        server.createContext("/.well-known/jwks.json", ex -> {
            jwksFetches.incrementAndGet();
            var list = new ArrayList<Map<String, Object>>();
            for (var k : keys) {
                var pub = (RSAPublicKey) k.pair().getPublic();
                list.add(Map.of("kty", "RSA", "kid", k.kid(), "use", "sig", "alg", "RS256",
                    "n", B64.encodeToString(unsigned(pub.getModulus())),
                    "e", B64.encodeToString(unsigned(pub.getPublicExponent()))));
            }
            respond(ex, Map.of("keys", list));
        });
        server.start();
        rotate();
    }

    /** The issuer URL, with a trailing slash as Auth0 spells it. */
    public String issuer() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    /** Registers a client; {@code secret} null for a public client (PKCE only). */
    public TestOidcProvider client(String clientId, String secret) {
        flows.client(clientId, secret);
        return this;
    }

    /** Who the sign-in page and the device approval sign in as, with these extra claims in their tokens. */
    public TestOidcProvider signInAs(String subject, Map<String, Object> claims) {
        flows.subject = subject;
        flows.claims = Map.copyOf(claims);
        return this;
    }

    /** Lifetime of access tokens from the interactive grants (default 300 seconds). */
    public TestOidcProvider accessTokenTtl(long seconds) {
        flows.accessTokenTtlSeconds = seconds;
        return this;
    }

    /** Makes every device code waiting for approval expire. */
    public void expireDeviceCodes() {
        flows.expireDevices();
    }

    /** Where the last approved sign-in sent the browser: the client's callback with {@code code} and {@code state}. */
    public String lastCallback() {
        return flows.lastCallback;
    }

    /** How many refresh tokens were redeemed. */
    public int refreshes() {
        return flows.refreshes();
    }

    public int jwksFetches() {
        return jwksFetches.get();
    }

    /** A new signing key replaces the current one. */
    public void rotate() {
        try {
            var gen = KeyPairGenerator.getInstance("RSA");
            gen.initialize(2048);
            var key = new Key("key-" + kids.incrementAndGet(), gen.generateKeyPair());
            keys.clear();
            keys.add(key);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A token from this issuer for {@code audience}, valid from a minute ago for {@code ttlSeconds}. */
    public String token(String subject, String audience, long ttlSeconds, Map<String, Object> extra) {
        var now = Instant.now().getEpochSecond();
        var claims = new LinkedHashMap<String, Object>();
        claims.put("iss", issuer());
        claims.put("sub", subject);
        claims.put("aud", List.of(audience, issuer() + "userinfo"));
        claims.put("iat", now - 60);
        claims.put("exp", now + ttlSeconds);
        claims.putAll(extra);
        return sign(claims, keys.getFirst());
    }

    /** Signs {@code claims} as given (any iss, aud, exp) with the current key. */
    public String sign(Map<String, Object> claims) {
        return sign(claims, keys.getFirst());
    }

    /** Signs with a key the issuer never published. */
    public String signWithUnknownKey(Map<String, Object> claims) {
        try {
            var gen = KeyPairGenerator.getInstance("RSA");
            gen.initialize(2048);
            return sign(claims, new Key(keys.getFirst().kid(), gen.generateKeyPair()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sign(Map<String, Object> claims, Key key) {
        try {
            var header = B64.encodeToString(JSON.writeValueAsBytes(Map.of("alg", "RS256", "typ", "JWT",
                "kid", key.kid())));
            var payload = B64.encodeToString(JSON.writeValueAsBytes(claims));
            var signer = Signature.getInstance("SHA256withRSA");
            signer.initSign(key.pair().getPrivate());
            signer.update((header + "." + payload).getBytes(StandardCharsets.US_ASCII));
            return header + "." + payload + "." + B64.encodeToString(signer.sign());
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] unsigned(BigInteger n) {
        var bytes = n.toByteArray();
        return bytes[0] == 0 ? java.util.Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
    }

    private static void respond(com.sun.net.httpserver.HttpExchange ex, Object body) throws IOException {
        respond(ex, 200, body);
    }

    static void respond(com.sun.net.httpserver.HttpExchange ex, int status, Object body) throws IOException {
        var bytes = JSON.writeValueAsBytes(body);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        try (var out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
