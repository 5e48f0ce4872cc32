package io.riffle.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The interactive grants of {@link TestOidcProvider}, as strict as a real provider: the authorization code flow
 * (a sign-in page with a button, codes bound to client, redirect URI and PKCE S256 challenge, usable once), the
 * device authorization grant of RFC 8628 (pending, slow_down, approval at the verification page, expiry) and
 * refresh tokens. Thread-safe.
 */
final class TestOidcFlows {
    static final String DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";
    private static final SecureRandom RANDOM = new SecureRandom();
    private final TestOidcProvider provider;
    private final Map<String, String> clients = new ConcurrentHashMap<>(); // id -> secret ("" = public)
    private final Map<String, Map<String, String>> authorizeRequests = new ConcurrentHashMap<>();
    private final Map<String, Grant> codes = new ConcurrentHashMap<>();
    private final Map<String, Device> devices = new ConcurrentHashMap<>(); // by device_code
    private final Map<String, Grant> refreshTokens = new ConcurrentHashMap<>();
    private final AtomicInteger refreshes = new AtomicInteger();
    volatile long accessTokenTtlSeconds = 300;
    volatile int deviceIntervalSeconds = 1;
    volatile String subject = "user-1";
    volatile Map<String, Object> claims = Map.of();
    /** The redirect of the last approved sign-in: the client's callback URL with code and state. */
    volatile String lastCallback;

    /** What a code or refresh token stands for. */
    record Grant(String clientId, String redirectUri, String challenge, String nonce, String subject,
                 Map<String, Object> claims, String audience) {
    }

    private static final class Device {
        final String clientId;
        final String userCode;
        final String audience;
        final long expiresAt;
        volatile long lastPoll;
        volatile Grant approved;

        Device(String clientId, String userCode, String audience, long expiresAt) {
            this.clientId = clientId;
            this.userCode = userCode;
            this.audience = audience;
            this.expiresAt = expiresAt;
        }
    }

    TestOidcFlows(TestOidcProvider provider, HttpServer server) {
        this.provider = provider;
        server.createContext("/authorize", this::authorize);
        server.createContext("/oauth/token", this::token);
        server.createContext("/oauth/device/code", this::deviceCode);
        server.createContext("/activate", this::activate);
    }

    void client(String id, String secret) {
        clients.put(id, secret == null ? "" : secret);
    }

    int refreshes() {
        return refreshes.get();
    }

    /** GET: checks the request and shows the sign-in page; POST (the page's button): redirects with a code. */
    private void authorize(HttpExchange ex) throws IOException {
        if ("POST".equals(ex.getRequestMethod())) {
            var request = authorizeRequests.remove(form(ex).getOrDefault("request", ""));
            if (request == null) {
                html(ex, 400, "<p id='error'>unknown or used sign-in request</p>");
                return;
            }
            var code = random();
            codes.put(code, new Grant(request.get("client_id"), request.get("redirect_uri"),
                request.get("code_challenge"), request.get("nonce"), subject, claims, null));
            lastCallback = request.get("redirect_uri") + "?code=" + enc(code) + "&state=" + enc(request.get("state"));
            redirect(ex, lastCallback);
            return;
        }
        var q = parse(ex.getRequestURI().getRawQuery());
        var problem = !clients.containsKey(q.getOrDefault("client_id", "")) ? "unknown client_id"
            : !"code".equals(q.get("response_type")) ? "response_type must be code"
            : !"S256".equals(q.get("code_challenge_method")) || q.get("code_challenge") == null ? "PKCE S256 required"
            : q.get("redirect_uri") == null || q.get("state") == null || q.get("nonce") == null
            ? "redirect_uri, state and nonce are required" : null;
        if (problem != null) {
            html(ex, 400, "<p id='error'>" + problem + "</p>");
            return;
        }
        var id = random();
        authorizeRequests.put(id, q);
        html(ex, 200, "<h1>Test provider</h1><form method='post' action='/authorize'>"
            + "<input type='hidden' name='request' value='" + id + "'>"
            + "<button id='approve' type='submit'>Continue as " + subject + "</button></form>");
    }

    private void token(HttpExchange ex) throws IOException {
        var f = form(ex);
        var client = f.getOrDefault("client_id", "");
        var secret = clients.get(client);
        if (secret == null || !secret.equals(f.getOrDefault("client_secret", ""))) {
            error(ex, 401, "invalid_client", "unknown client or wrong secret");
            return;
        }
        switch (f.getOrDefault("grant_type", "")) {
            case "authorization_code" -> codeGrant(ex, f, client);
            case DEVICE_GRANT -> deviceGrant(ex, f, client);
            case "refresh_token" -> {
                var grant = refreshTokens.remove(f.getOrDefault("refresh_token", ""));
                if (grant == null || !grant.clientId().equals(client)) {
                    error(ex, 400, "invalid_grant", "unknown or used refresh token");
                    return;
                }
                refreshes.incrementAndGet();
                tokens(ex, grant, false);
            }
            default -> error(ex, 400, "unsupported_grant_type", f.get("grant_type"));
        }
    }

    private void codeGrant(HttpExchange ex, Map<String, String> f, String client) throws IOException {
        var grant = codes.remove(f.getOrDefault("code", "")); // once, whatever happens next
        if (grant == null) {
            error(ex, 400, "invalid_grant", "unknown or already used authorization code");
        } else if (!grant.clientId().equals(client) || !grant.redirectUri().equals(f.get("redirect_uri"))) {
            error(ex, 400, "invalid_grant", "client or redirect_uri differ from the authorization request");
        } else if (f.get("code_verifier") == null || !s256(f.get("code_verifier")).equals(grant.challenge())) {
            error(ex, 400, "invalid_grant", "PKCE verification failed");
        } else {
            tokens(ex, grant, true);
        }
    }

    private void deviceCode(HttpExchange ex) throws IOException {
        var f = form(ex);
        if (!clients.containsKey(f.getOrDefault("client_id", ""))) {
            error(ex, 401, "invalid_client", "unknown client");
            return;
        }
        var deviceCode = random();
        var userCode = random().substring(0, 8).toUpperCase(java.util.Locale.ROOT).replaceAll("[^A-Z0-9]", "X");
        devices.put(deviceCode, new Device(f.get("client_id"), userCode, f.get("audience"),
            System.currentTimeMillis() + 600_000));
        var out = new LinkedHashMap<String, Object>();
        out.put("device_code", deviceCode);
        out.put("user_code", userCode);
        out.put("verification_uri", provider.issuer() + "activate");
        out.put("verification_uri_complete", provider.issuer() + "activate?user_code=" + userCode);
        out.put("expires_in", 600);
        out.put("interval", deviceIntervalSeconds);
        TestOidcProvider.respond(ex, 200, out);
    }

    /** The verification page's form: {@code user_code} and the {@code action} (approve or deny). */
    private void activate(HttpExchange ex) throws IOException {
        var f = "POST".equals(ex.getRequestMethod()) ? form(ex) : parse(ex.getRequestURI().getRawQuery());
        var device = devices.values().stream().filter(d -> d.userCode.equals(f.get("user_code"))).findFirst();
        if (device.isEmpty() || !"POST".equals(ex.getRequestMethod())) {
            html(ex, device.isEmpty() ? 404 : 200, device.isEmpty() ? "<p id='error'>unknown code</p>"
                : "<form method='post'><input name='user_code' value='" + f.get("user_code") + "'>"
                + "<button name='action' value='approve'>Approve</button></form>");
            return;
        }
        device.get().approved = "deny".equals(f.get("action")) ? new Grant(null, null, null, null, null, null, null)
            : new Grant(device.get().clientId, null, null, null, subject, claims, device.get().audience);
        html(ex, 200, "<p id='done'>Device " + ("deny".equals(f.get("action")) ? "denied" : "approved") + "</p>");
    }

    private void deviceGrant(HttpExchange ex, Map<String, String> f, String client) throws IOException {
        var device = devices.get(f.getOrDefault("device_code", ""));
        long now = System.currentTimeMillis();
        if (device == null || !device.clientId.equals(client)) {
            error(ex, 400, "invalid_grant", "unknown device_code");
        } else if (now > device.expiresAt) {
            devices.remove(f.get("device_code"));
            error(ex, 400, "expired_token", "the device code expired");
        } else if (device.approved == null) {
            boolean tooSoon = now - device.lastPoll < deviceIntervalSeconds * 1000L - 100;
            device.lastPoll = now;
            error(ex, 400, tooSoon ? "slow_down" : "authorization_pending", "waiting for the user");
        } else if (device.approved.subject() == null) {
            devices.remove(f.get("device_code"));
            error(ex, 400, "access_denied", "the user denied the request");
        } else {
            devices.remove(f.get("device_code"));
            tokens(ex, device.approved, false);
        }
    }

    /** Expires every pending device code at once (the user never approved in time). */
    void expireDevices() {
        devices.replaceAll((k, d) -> new Device(d.clientId, d.userCode, d.audience, 0));
    }

    private void tokens(HttpExchange ex, Grant grant, boolean withIdToken) throws IOException {
        long now = Instant.now().getEpochSecond();
        var access = new LinkedHashMap<String, Object>(grant.claims());
        access.put("iss", provider.issuer());
        access.put("sub", grant.subject());
        access.put("aud", grant.audience() == null ? grant.clientId() : grant.audience());
        access.put("iat", now);
        access.put("exp", now + accessTokenTtlSeconds);
        var out = new LinkedHashMap<String, Object>();
        out.put("access_token", provider.sign(access));
        out.put("token_type", "Bearer");
        out.put("expires_in", accessTokenTtlSeconds);
        if (withIdToken) {
            var id = new LinkedHashMap<String, Object>(grant.claims());
            id.put("iss", provider.issuer());
            id.put("sub", grant.subject());
            id.put("aud", grant.clientId());
            id.put("nonce", grant.nonce());
            id.put("iat", now);
            id.put("exp", now + 300);
            out.put("id_token", provider.sign(id));
        } else {
            var refresh = random();
            refreshTokens.put(refresh, grant);
            out.put("refresh_token", refresh);
        }
        TestOidcProvider.respond(ex, 200, out);
    }

    private static void error(HttpExchange ex, int status, String error, String description) throws IOException {
        TestOidcProvider.respond(ex, status, Map.of("error", error, "error_description", description));
    }

    private static void html(HttpExchange ex, int status, String body) throws IOException {
        var bytes = ("<!doctype html><html><body>" + body + "</body></html>").getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
        ex.sendResponseHeaders(status, bytes.length);
        try (var out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static void redirect(HttpExchange ex, String location) throws IOException {
        ex.getResponseHeaders().add("Location", location);
        ex.sendResponseHeaders(302, -1);
        ex.close();
    }

    private static Map<String, String> form(HttpExchange ex) throws IOException {
        try (var in = ex.getRequestBody()) {
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    static Map<String, String> parse(String query) {
        var out = new HashMap<String, String>();
        if (query == null || query.isEmpty()) {
            return out;
        }
        Function<String, String> dec = s -> URLDecoder.decode(s, StandardCharsets.UTF_8);
        for (var pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.put(dec.apply(pair.substring(0, eq)), dec.apply(pair.substring(eq + 1)));
            }
        }
        return out;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static String s256(String verifier) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(MessageDigest.getInstance("SHA-256")
                .digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String random() {
        var bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
