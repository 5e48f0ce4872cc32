package io.riffle.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every route of the server, called as every kind of caller, with the status each must get. The route list comes
 * from the server itself ({@code GET /v1/admin/routes}), so a route added without an entry here fails the test.
 */
@Timeout(600)
class AuthorizationMatrixIT {
    /**
     * Who calls. Data-plane routes take pipeline tokens; the users send their personal tokens only. The owner also
     * calls through a browser session: with its CSRF token ({@code SESSION}, which must fare as the owner) and
     * without ({@code SESSION_NO_CSRF}, whose every change must be refused).
     */
    enum Caller { ANONYMOUS, WRONG_TOKEN, REVOKED_TOKEN, SESSION_NO_CSRF, VIEWER, EDITOR, OWNER, OTHER_SPACE,
        PIPELINE_TOKEN, SESSION }

    private static final String HANDLER = "import os\n\ndef handler(data, log):\n"
        + "    return {\"seen\": data, \"secret\": os.environ.get(\"SECRET_VALUE\", \"\")}\n";
    private static final Set<Integer> OK = Set.of(200);
    private static final Set<Integer> CREATED = Set.of(201);
    private static final Set<Integer> NO_CONTENT = Set.of(204);
    /** Version changes and test runs pass authorization, then may find a build under way (425). */
    private static final Set<Integer> OK_OR_BUILDING = Set.of(200, 425);
    private static final Set<Integer> UNAUTHORIZED = Set.of(401);
    private static final Set<Integer> FORBIDDEN = Set.of(403);
    private static final Set<Integer> NOT_FOUND = Set.of(404);

    private static RiffleProcess riffle;
    private static Api admin;
    private static final Map<Caller, Map<String, String>> HEADERS = new EnumMap<>(Caller.class);
    private static final Map<Caller, Api> USERS = new EnumMap<>(Caller.class);
    private static final Map<Caller, String> PASSWORDS = new EnumMap<>(Caller.class);
    private static String spaceId;
    private static Api.Pipeline pipeline;
    private static String viewerId;

    /** One request; {@code headers}, when not null, replace the caller's. */
    record Call(String method, String path, String contentType, String body, Map<String, String> headers) {
        Call(String method, String path, String contentType, String body) {
            this(method, path, contentType, body, null);
        }

        static Call of(String method, String path) {
            return new Call(method, path, null, null);
        }

        static Call json(String method, String path, Object body) {
            return new Call(method, path, "application/json", Api.text(body));
        }
    }

    /** One route: how to call it as each caller and what each must get. */
    record Entry(String method, String template, Function<Caller, Call> call, Map<Caller, Set<Integer>> expected) {
        String key() {
            return method + " " + template;
        }

        boolean allowed(Caller c) {
            return expected.get(c).stream().anyMatch(s -> s < 300 || s == 425);
        }
    }

    @BeforeAll
    static void start() {
        riffle = RiffleProcess.embedded(Map.of()).start();
        admin = Api.of(riffle);
        spaceId = admin.createSpace("matrix");
        for (var c : List.of(Caller.VIEWER, Caller.EDITOR, Caller.OWNER, Caller.OTHER_SPACE)) {
            var email = c.name().toLowerCase(java.util.Locale.ROOT) + "@matrix.test";
            var password = "pw-" + UUID.randomUUID();
            PASSWORDS.put(c, password);
            var id = admin.post("/v1/users", Map.of("email", email, "name", c.name(), "password", password))
                .expect(201).json().path("id").asText();
            var token = login(email, password);
            USERS.put(c, new Api(riffle.baseUrl(), token));
            HEADERS.put(c, Map.of(Api.PAT, token));
            if (c != Caller.OTHER_SPACE) {
                admin.post("/v1/spaces/" + spaceId + "/members", Map.of("email", email,
                    "role", c.name().toLowerCase(java.util.Locale.ROOT))).expect(201);
            }
            if (c == Caller.VIEWER) {
                viewerId = id;
            }
        }
        admin.post("/v1/secrets", Map.of("key", "MATRIX_SECRET", "value", "matrix-secret-value")).expect(201);
        pipeline = admin.createPipeline(spaceId, "matrix", HANDLER, Map.of("environments",
            List.of(Map.of("name", "SECRET_VALUE", "value_secret_ref",
                Map.of("type", "organization", "key", "MATRIX_SECRET")))));
        admin.awaitReady(pipeline);

        var other = USERS.get(Caller.OTHER_SPACE);
        var otherSpace = other.createSpace("elsewhere");
        var otherPipeline = other.createPipeline(otherSpace, "elsewhere", HANDLER, Map.of());
        HEADERS.put(Caller.OTHER_SPACE, Map.of(Api.PAT, HEADERS.get(Caller.OTHER_SPACE).get(Api.PAT),
            Api.DATA_TOKEN, otherPipeline.token()));

        var owner = USERS.get(Caller.OWNER);
        var revokedPat = owner.post("/v1/personal_access_tokens", Map.of("name", "to revoke")).expect(200).json();
        owner.delete("/v1/personal_access_tokens/" + revokedPat.path("id").asText()).expect(204);
        var revokedPipe = admin.post(pipeline.path("/access_tokens"), Map.of("name", "to revoke")).expect(200).json();
        admin.delete(pipeline.path("/access_tokens/" + revokedPipe.path("id").asText())).expect(204);
        HEADERS.put(Caller.REVOKED_TOKEN, Map.of(Api.PAT, revokedPat.path("token").asText(),
            Api.DATA_TOKEN, revokedPipe.path("token").asText()));
        HEADERS.put(Caller.ANONYMOUS, Map.of());
        HEADERS.put(Caller.WRONG_TOKEN, Map.of(Api.PAT, "rfl_pat_" + "x".repeat(40),
            Api.DATA_TOKEN, "rfl_pipe_" + "x".repeat(40)));
        HEADERS.put(Caller.PIPELINE_TOKEN, Map.of(Api.DATA_TOKEN, pipeline.token()));
        var session = ownerSession();
        HEADERS.put(Caller.SESSION, session);
        HEADERS.put(Caller.SESSION_NO_CSRF, Map.of("Cookie", ownerSession().get("Cookie")));
        USERS.put(Caller.SESSION, owner);
        USERS.put(Caller.SESSION_NO_CSRF, owner);
    }

    /** A new browser session of the owner: its cookie and CSRF header. */
    private static Map<String, String> ownerSession() {
        var r = new Api(riffle.baseUrl(), "none").send("POST", "/v1/auth/session", Map.of("Content-Type",
            "application/json"), BodyPublishers.ofString(Api.text(Map.of("email", "owner@matrix.test", "password",
            PASSWORDS.get(Caller.OWNER))))).expect(201);
        var cookie = r.headers().firstValue("Set-Cookie").orElseThrow();
        return Map.of("Cookie", cookie.substring(0, cookie.indexOf(';')), "X-CSRF-Token",
            r.json().path("csrf_token").asText());
    }

    /**
     * What the session callers must get: the owner's answer, except that without the CSRF token every change on a
     * route that authenticates is refused with 403 (data-plane routes ignore cookies: 401 as for the owner).
     */
    private static void sessionExpectations(List<Entry> entries) {
        for (var e : entries) {
            var m = e.expected();
            var owner = m.get(Caller.OWNER);
            m.put(Caller.SESSION, owner);
            boolean safe = Set.of("GET", "HEAD", "OPTIONS").contains(e.method());
            boolean open = m.get(Caller.ANONYMOUS).stream().anyMatch(x -> x < 300);
            boolean dataPlane = m.get(Caller.PIPELINE_TOKEN).stream().anyMatch(x -> x < 300);
            m.put(Caller.SESSION_NO_CSRF, safe || open ? owner : dataPlane ? UNAUTHORIZED : FORBIDDEN);
            if (e.template().equals("/v1/auth/session")) {
                var live = e.method().equals("GET") ? OK : e.method().equals("DELETE") ? NO_CONTENT : owner;
                m.put(Caller.SESSION, live);
                if (e.method().equals("GET")) {
                    m.put(Caller.SESSION_NO_CSRF, OK);
                }
            }
        }
    }

    @AfterAll
    static void stop() {
        if (riffle != null) {
            riffle.close();
        }
    }

    private static String login(String email, String password) {
        return new Api(riffle.baseUrl(), "none").post("/v1/auth/login", Map.of("email", email, "password", password))
            .expect(200).json().path("token").asText();
    }

    // ---- expectations

    /** Management routes on a space or pipeline: members with at least {@code min} get {@code ok}. */
    private static Map<Caller, Set<Integer>> role(Caller min, Set<Integer> ok) {
        var m = unauthenticated();
        m.put(Caller.OTHER_SPACE, NOT_FOUND);
        for (var c : List.of(Caller.VIEWER, Caller.EDITOR, Caller.OWNER)) {
            m.put(c, c.ordinal() >= min.ordinal() ? ok : FORBIDDEN);
        }
        return m;
    }

    private static Map<Caller, Set<Integer>> anyUser(Set<Integer> ok) {
        var m = unauthenticated();
        for (var c : List.of(Caller.VIEWER, Caller.EDITOR, Caller.OWNER, Caller.OTHER_SPACE)) {
            m.put(c, ok);
        }
        return m;
    }

    private static Map<Caller, Set<Integer>> adminOnly() {
        return anyUser(FORBIDDEN);
    }

    /** Installation-wide secrets: editors and owners of any space. */
    private static Map<Caller, Set<Integer>> secrets(Set<Integer> ok) {
        var m = anyUser(ok);
        m.put(Caller.VIEWER, FORBIDDEN);
        return m;
    }

    private static Map<Caller, Set<Integer>> data(Set<Integer> ok) {
        var m = new EnumMap<Caller, Set<Integer>>(Caller.class);
        for (var c : Caller.values()) {
            m.put(c, c == Caller.PIPELINE_TOKEN ? ok : UNAUTHORIZED);
        }
        return m;
    }

    private static Map<Caller, Set<Integer>> everyone(Set<Integer> ok) {
        var m = new EnumMap<Caller, Set<Integer>>(Caller.class);
        for (var c : Caller.values()) {
            m.put(c, ok);
        }
        return m;
    }

    private static EnumMap<Caller, Set<Integer>> unauthenticated() {
        var m = new EnumMap<Caller, Set<Integer>>(Caller.class);
        for (var c : List.of(Caller.ANONYMOUS, Caller.WRONG_TOKEN, Caller.REVOKED_TOKEN, Caller.PIPELINE_TOKEN)) {
            m.put(c, UNAUTHORIZED);
        }
        return m;
    }

    // ---- fresh targets for calls that succeed and change or delete something

    private static String freshSpace() {
        var id = admin.createSpace("fresh-" + UUID.randomUUID());
        for (var c : List.of(Caller.VIEWER, Caller.EDITOR, Caller.OWNER)) {
            admin.post("/v1/spaces/" + id + "/members", Map.of("email",
                c.name().toLowerCase(java.util.Locale.ROOT) + "@matrix.test",
                "role", c.name().toLowerCase(java.util.Locale.ROOT))).expect(201);
        }
        return id;
    }

    private static String freshMember() {
        return admin.post("/v1/spaces/" + spaceId + "/members", Map.of("email", UUID.randomUUID() + "@matrix.test",
            "role", "viewer")).expect(201).json().path("user_id").asText();
    }

    private static String freshPipelineToken() {
        return admin.post(pipeline.path("/access_tokens"), Map.of("name", "fresh")).expect(200).json().path("id")
            .asText();
    }

    private static Api.Pipeline freshPipeline() {
        return admin.createPipeline(spaceId, "fresh", "def handler(data, log):\n    return data\n", Map.of());
    }

    private static String multipart(String boundary) {
        return "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"handler.py\"\r\n"
            + "Content-Type: text/x-python\r\n\r\n" + HANDLER + "\r\n--" + boundary + "--\r\n";
    }

    private List<Entry> matrix() {
        var p = pipeline.path("");
        var fn = p + "/functions/main";
        var s = "/v1/spaces/" + spaceId;
        var e = new ArrayList<Entry>();
        e.add(new Entry("GET", "/healthz", c -> Call.of("GET", "/healthz"), everyone(OK)));
        e.add(new Entry("GET", "/readyz", c -> Call.of("GET", "/readyz"), everyone(OK)));
        e.add(new Entry("GET", "/metrics", c -> Call.of("GET", "/metrics"), everyone(OK)));
        e.add(new Entry("POST", "/v1/auth/login", c -> Call.json("POST", "/v1/auth/login",
            Map.of("email", "viewer@matrix.test", "password", PASSWORDS.get(Caller.VIEWER))), everyone(OK)));
        e.add(new Entry("GET", "/v1/auth/config", c -> Call.of("GET", "/v1/auth/config"), everyone(OK)));
        // No caller here holds a session cookie: the cookie and its CSRF token are SessionIT's.
        e.add(new Entry("GET", "/v1/auth/session", c -> Call.of("GET", "/v1/auth/session"),
            everyone(UNAUTHORIZED)));
        var openSession = everyone(CREATED); // a credential header opens a session for its user, else the password
        openSession.put(Caller.WRONG_TOKEN, UNAUTHORIZED);
        openSession.put(Caller.REVOKED_TOKEN, UNAUTHORIZED);
        // A sign-in ends the browser's previous session: the session callers sign in as a fresh browser would.
        e.add(new Entry("POST", "/v1/auth/session", c -> {
            var call = Call.json("POST", "/v1/auth/session", Map.of("email", "viewer@matrix.test", "password",
                PASSWORDS.get(Caller.VIEWER)));
            return c == Caller.SESSION || c == Caller.SESSION_NO_CSRF
                ? new Call(call.method(), call.path(), call.contentType(), call.body(), Map.of()) : call;
        }, openSession));
        // The session caller signs out a session of its own, so that its later calls keep theirs.
        e.add(new Entry("DELETE", "/v1/auth/session", c -> c == Caller.SESSION ? new Call("DELETE",
            "/v1/auth/session", null, null, ownerSession()) : Call.of("DELETE", "/v1/auth/session"),
            everyone(UNAUTHORIZED)));
        // This server has no OIDC provider: its browser sign-in routes answer 404 to everyone (OidcWebIT has one).
        e.add(new Entry("GET", "/v1/auth/oidc/login", c -> Call.of("GET", "/v1/auth/oidc/login"),
            everyone(NOT_FOUND)));
        e.add(new Entry("GET", "/v1/auth/oidc/callback", c -> Call.of("GET", "/v1/auth/oidc/callback?code=x&state=y"),
            everyone(NOT_FOUND)));
        e.add(new Entry("GET", "/v1/profile", c -> Call.of("GET", "/v1/profile"), anyUser(OK)));
        e.add(new Entry("GET", "/v1/personal_access_tokens", c -> Call.of("GET", "/v1/personal_access_tokens"),
            anyUser(OK)));
        e.add(new Entry("POST", "/v1/personal_access_tokens", c -> Call.json("POST", "/v1/personal_access_tokens",
            Map.of("name", "matrix")), anyUser(OK)));
        e.add(new Entry("DELETE", "/v1/personal_access_tokens/{id}", c -> Call.of("DELETE",
            "/v1/personal_access_tokens/" + (USERS.containsKey(c) ? USERS.get(c).post("/v1/personal_access_tokens",
                Map.of("name", "to delete")).expect(200).json().path("id").asText() : "nope")),
            anyUser(NO_CONTENT)));
        e.add(new Entry("POST", "/v1/users", c -> Call.json("POST", "/v1/users",
            Map.of("email", UUID.randomUUID() + "@matrix.test", "password", "long enough password")), adminOnly()));
        e.add(new Entry("GET", "/v1/admin/routes", c -> Call.of("GET", "/v1/admin/routes"), adminOnly()));
        e.add(new Entry("GET", "/v1/admin/audit", c -> Call.of("GET", "/v1/admin/audit?limit=5"), adminOnly()));
        e.add(new Entry("GET", "/v1/admin/users", c -> Call.of("GET", "/v1/admin/users"), adminOnly()));
        e.add(new Entry("POST", "/v1/admin/users/{id}/password", c -> Call.json("POST", "/v1/admin/users/"
            + admin.post("/v1/users", Map.of("email", UUID.randomUUID() + "@matrix.test", "password",
                "long enough password")).expect(201).json().path("id").asText() + "/password",
            Map.of("password", "another long password")), adminOnly()));
        e.add(new Entry("GET", "/v1/secrets", c -> Call.of("GET", "/v1/secrets"), secrets(OK)));
        e.add(new Entry("POST", "/v1/secrets", c -> Call.json("POST", "/v1/secrets",
            Map.of("key", "K_" + c.name(), "value", "v")), secrets(CREATED)));
        e.add(new Entry("DELETE", "/v1/secrets/{key}", c -> {
            var key = "DEL_" + c.name();
            admin.post("/v1/secrets", Map.of("key", key, "value", "v")).expect(201);
            return Call.of("DELETE", "/v1/secrets/" + key);
        }, secrets(NO_CONTENT)));
        e.add(new Entry("GET", "/v1/spaces", c -> Call.of("GET", "/v1/spaces"), anyUser(OK)));
        e.add(new Entry("POST", "/v1/spaces", c -> Call.json("POST", "/v1/spaces", Map.of("name", "new")),
            anyUser(OK)));
        var deleteSpace = role(Caller.OWNER, NO_CONTENT);
        e.add(new Entry("DELETE", "/v1/spaces/{id}", c -> Call.of("DELETE", "/v1/spaces/"
            + (deleteSpace.get(c).equals(NO_CONTENT) ? freshSpace() : spaceId)), deleteSpace));
        e.add(new Entry("GET", "/v1/spaces/{id}/members", c -> Call.of("GET", s + "/members"),
            role(Caller.VIEWER, OK)));
        e.add(new Entry("POST", "/v1/spaces/{id}/members", c -> Call.json("POST", s + "/members",
            Map.of("email", UUID.randomUUID() + "@matrix.test", "role", "viewer")), role(Caller.OWNER, CREATED)));
        var patchMember = role(Caller.OWNER, OK);
        e.add(new Entry("PATCH", "/v1/spaces/{id}/members/{userId}", c -> Call.json("PATCH", s + "/members/"
            + (patchMember.get(c).equals(OK) ? freshMember() : viewerId), Map.of("role", "editor")), patchMember));
        var deleteMember = role(Caller.OWNER, NO_CONTENT);
        e.add(new Entry("DELETE", "/v1/spaces/{id}/members/{userId}", c -> Call.of("DELETE", s + "/members/"
            + (deleteMember.get(c).equals(NO_CONTENT) ? freshMember() : viewerId)), deleteMember));
        e.add(new Entry("GET", "/v1/spaces/{id}/audit", c -> Call.of("GET", s + "/audit"), role(Caller.OWNER, OK)));
        e.add(new Entry("GET", "/v1/pipelines", c -> Call.of("GET", "/v1/pipelines"), anyUser(OK)));
        e.add(new Entry("POST", "/v1/pipelines", c -> Call.json("POST", "/v1/pipelines", Map.of("name", "created",
            "space_id", spaceId, "transformation_function", "def handler(data, log):\n    return data\n")),
            role(Caller.EDITOR, OK)));
        e.add(new Entry("GET", "/v1/pipelines/{id}", c -> Call.of("GET", p), role(Caller.VIEWER, OK)));
        e.add(new Entry("PATCH", "/v1/pipelines/{id}", c -> Call.json("PATCH", p,
            Map.of("metadata", Map.of("by", c.name()))), role(Caller.EDITOR, OK)));
        var deletePipeline = role(Caller.EDITOR, NO_CONTENT);
        e.add(new Entry("DELETE", "/v1/pipelines/{id}", c -> Call.of("DELETE", deletePipeline.get(c)
            .equals(NO_CONTENT) ? freshPipeline().path("") : p), deletePipeline));
        e.add(new Entry("GET", "/v1/pipelines/{id}/status", c -> Call.of("GET", p + "/status"),
            role(Caller.VIEWER, OK)));
        e.add(new Entry("GET", "/v1/pipelines/{id}/scaling", c -> Call.of("GET", p + "/scaling"),
            role(Caller.VIEWER, OK)));
        e.add(new Entry("GET", "/v1/pipelines/{id}/history", c -> Call.of("GET", p + "/history"),
            role(Caller.VIEWER, OK)));
        e.add(new Entry("GET", "/v1/pipelines/{id}/metrics", c -> Call.of("GET", p + "/metrics"),
            role(Caller.VIEWER, OK)));
        e.add(new Entry("GET", "/v1/pipelines/{id}/access_tokens", c -> Call.of("GET", p + "/access_tokens"),
            role(Caller.EDITOR, OK)));
        e.add(new Entry("POST", "/v1/pipelines/{id}/access_tokens", c -> Call.json("POST", p + "/access_tokens",
            Map.of("name", "matrix")), role(Caller.EDITOR, OK)));
        var tokenId = freshPipelineToken();
        e.add(new Entry("PATCH", "/v1/pipelines/{id}/access_tokens/{tokenId}", c -> Call.json("PATCH",
            p + "/access_tokens/" + tokenId, Map.of("name", "renamed")), role(Caller.EDITOR, OK)));
        var revokeToken = role(Caller.EDITOR, NO_CONTENT);
        e.add(new Entry("DELETE", "/v1/pipelines/{id}/access_tokens/{tokenId}", c -> Call.of("DELETE",
            p + "/access_tokens/" + (revokeToken.get(c).equals(NO_CONTENT) ? freshPipelineToken() : tokenId)),
            revokeToken));
        e.add(new Entry("GET", "/v1/pipelines/{id}/functions/main/artifacts/latest", c -> Call.of("GET",
            fn + "/artifacts/latest"), role(Caller.VIEWER, OK)));
        var boundary = "matrix-" + UUID.randomUUID();
        e.add(new Entry("POST", "/v1/pipelines/{id}/functions/main/artifacts", c -> new Call("POST",
            fn + "/artifacts", "multipart/form-data; boundary=" + boundary, multipart(boundary)),
            role(Caller.EDITOR, OK_OR_BUILDING)));
        e.add(new Entry("PATCH", "/v1/pipelines/{id}/functions/main", c -> Call.json("PATCH", fn,
            Map.of("environments", List.of(Map.of("name", "SECRET_VALUE", "value_secret_ref",
                Map.of("type", "organization", "key", "MATRIX_SECRET"))))), role(Caller.EDITOR, OK_OR_BUILDING)));
        e.add(new Entry("GET", "/v1/pipelines/{id}/functions/main/logs", c -> Call.of("GET", fn + "/logs"),
            role(Caller.VIEWER, OK)));
        e.add(new Entry("GET", "/v1/pipelines/{id}/functions/main/logs/stream", c -> Call.of("GET",
            fn + "/logs/stream"), role(Caller.VIEWER, OK)));
        e.add(new Entry("POST", "/v1/pipelines/{id}/functions/main/test", c -> Call.json("POST", fn + "/test",
            Map.of("n", 1)), role(Caller.EDITOR, OK_OR_BUILDING)));
        e.add(new Entry("GET", "/v1/pipelines/{id}/functions/main/versions", c -> Call.of("GET",
            fn + "/versions"), role(Caller.VIEWER, OK)));
        e.add(new Entry("GET", "/v1/pipelines/{id}/functions/main/versions/{version}", c -> Call.of("GET",
            fn + "/versions/1"), role(Caller.VIEWER, OK)));
        e.add(new Entry("POST", "/v1/pipelines/{id}/functions/main/versions/{version}/activate", c -> Call.of("POST",
            fn + "/versions/1/activate"), role(Caller.EDITOR, OK)));
        e.add(new Entry("GET", "/v1/pipelines/{id}/status/access_token", c -> Call.of("GET",
            p + "/status/access_token"), data(OK)));
        e.add(new Entry("POST", "/v1/pipelines/{id}/topics/input/events", c -> Call.json("POST",
            p + "/topics/input/events", Map.of("n", 1)), data(OK)));
        e.add(new Entry("POST", "/v1/pipelines/{id}/topics/input/events/batch", c -> Call.json("POST",
            p + "/topics/input/events/batch", List.of(Map.of("n", 2))), data(OK)));
        e.add(new Entry("POST", "/v1/pipelines/{id}/topics/output/events/consume", c -> Call.of("POST",
            p + "/topics/output/events/consume"), data(Set.of(200, 204))));
        e.add(new Entry("POST", "/v1/pipelines/{id}/topics/failed/events/consume", c -> Call.of("POST",
            p + "/topics/failed/events/consume"), data(Set.of(200, 204))));
        e.add(new Entry("POST", "/v1/pipelines/{id}/topics/output/events/consume/batch", c -> Call.of("POST",
            p + "/topics/output/events/consume/batch?wait_ms=0"), data(OK)));
        e.add(new Entry("GET", "/v1/pipelines/{id}/dead_letters", c -> Call.of("GET", p + "/dead_letters"),
            role(Caller.VIEWER, OK)));
        e.add(new Entry("POST", "/v1/pipelines/{id}/dead_letters/replay", c -> Call.json("POST",
            p + "/dead_letters/replay", Map.of("sequences", List.of(999_999))), role(Caller.EDITOR, OK)));
        e.add(new Entry("DELETE", "/v1/pipelines/{id}/dead_letters", c -> Call.of("DELETE", p + "/dead_letters"),
            role(Caller.EDITOR, OK)));
        sessionExpectations(e);
        return e;
    }

    @Test
    void everyRouteAnswersEveryCallerAsItMust() {
        var entries = matrix();
        var registered = new TreeSet<String>();
        for (var r : admin.get("/v1/admin/routes").expect(200).json().path("routes")) {
            registered.add(r.path("method").asText() + " " + r.path("path").asText());
        }
        var covered = new TreeSet<String>();
        entries.forEach(x -> covered.add(x.key()));
        assertThat(covered).as("routes of the matrix vs the server's routes: add an entry for every new route")
            .isEqualTo(registered);

        var failures = new ArrayList<String>();
        int calls = 0;
        int mustRefuse = 0;
        int refused = 0;
        // Weakest callers first, so that calls which must fail never run after one that changed the target.
        for (var caller : Caller.values()) {
            for (var entry : entries) {
                var expected = entry.expected().get(caller);
                assertThat(expected).as("expectation of %s for %s", entry.key(), caller).isNotNull();
                var call = entry.call().apply(caller);
                int status = send(call, call.headers() != null ? call.headers() : HEADERS.get(caller));
                calls++;
                if (!entry.allowed(caller)) {
                    mustRefuse++;
                    if (expected.contains(status)) {
                        refused++;
                    }
                }
                if (!expected.contains(status)) {
                    failures.add(entry.key() + " as " + caller + ": got " + status + ", expected " + expected);
                }
            }
        }
        System.out.printf("authorization matrix: %d routes x %d callers = %d calls; %d must be refused, %d were%n",
            entries.size(), Caller.values().length, calls, mustRefuse, refused);
        assertThat(failures).as("calls answered with the wrong status").isEmpty();
        assertThat(refused).isEqualTo(mustRefuse);
    }

    /** Sends one call; an event stream is closed as soon as its status is known. */
    private static int send(Call call, Map<String, String> headers) {
        var b = HttpRequest.newBuilder(URI.create(riffle.baseUrl() + call.path())).timeout(Duration.ofSeconds(60))
            .method(call.method(), call.body() == null ? BodyPublishers.noBody()
                : BodyPublishers.ofString(call.body()));
        headers.forEach(b::header);
        if (call.contentType() != null) {
            b.header("Content-Type", call.contentType());
        }
        try {
            var r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
            try (var in = r.body()) {
                if (!r.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream")) {
                    in.readAllBytes();
                }
            }
            return r.statusCode();
        } catch (IOException e) {
            throw new UncheckedIOException(call.method() + " " + call.path(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void revokedTokenStopsWorkingAtOnce() {
        var viewer = USERS.get(Caller.VIEWER);
        var created = viewer.post("/v1/personal_access_tokens", Map.of("name", "short-lived")).expect(200).json();
        var token = new Api(riffle.baseUrl(), created.path("token").asText());
        token.get("/v1/profile").expect(200);
        viewer.delete("/v1/personal_access_tokens/" + created.path("id").asText()).expect(204);
        Api.assertProblem(token.get("/v1/profile"), 401);
        // another user's token id is not found, not forbidden
        var mine = viewer.post("/v1/personal_access_tokens", Map.of("name", "mine")).expect(200).json();
        Api.assertProblem(USERS.get(Caller.EDITOR).delete("/v1/personal_access_tokens/" + mine.path("id").asText()),
            404);
        assertThat(viewer.get("/v1/personal_access_tokens").expect(200).body()).doesNotContain("rfl_pat_");
    }

    @Test
    void permissionIsTheCallersRoleAndTheLastOwnerStays() {
        for (var c : List.of(Caller.VIEWER, Caller.EDITOR, Caller.OWNER)) {
            var spaces = USERS.get(c).get("/v1/spaces").expect(200).json().path("spaces");
            var mine = find(spaces, spaceId);
            assertThat(mine.path("permission").asText()).isEqualTo(c.name().toLowerCase(java.util.Locale.ROOT));
        }
        var owner = USERS.get(Caller.OWNER);
        var space = owner.createSpace("solo");
        var me = owner.get("/v1/profile").expect(200).json().path("id").asText();
        Api.assertProblem(owner.delete("/v1/spaces/" + space + "/members/" + me), 409);
        Api.assertProblem(owner.patch("/v1/spaces/" + space + "/members/" + me, Map.of("role", "viewer")), 409);
    }

    @Test
    void secretValuesNeverLeaveTheServerButReachTheFunction() {
        var listed = admin.get("/v1/secrets").expect(200);
        assertThat(listed.body()).contains("MATRIX_SECRET").doesNotContain("matrix-secret-value");
        var detail = admin.get(pipeline.path("")).expect(200);
        assertThat(detail.body()).contains("value_secret_ref").doesNotContain("matrix-secret-value");
        Api.assertProblem(admin.post("/v1/secrets", Map.of("key", "bad-key!", "value", "v")), 400);
        Api.assertProblem(admin.patch(pipeline.path("/functions/main"), Map.of("environments", List.of(Map.of(
            "name", "X", "value_secret_ref", Map.of("type", "organization", "key", "NO_SUCH_SECRET"))))), 400);
        var run = Await.awaitValue("a test run", Duration.ofSeconds(120),
            () -> admin.post(pipeline.path("/functions/main/test"), Map.of("n", 7)), r -> r.status() == 200);
        assertThat(run.json().path("response").path("secret").asText()).isEqualTo("matrix-secret-value");
        assertThat(riffle.logText()).doesNotContain("matrix-secret-value");
    }

    @Test
    void loginsAreThrottledAfterFiveFailuresWithoutTellingWhetherTheEmailExists() {
        var anon = new Api(riffle.baseUrl(), "none");
        for (var email : List.of("editor@matrix.test", "nobody@matrix.test")) {
            for (int i = 0; i < 5; i++) {
                var r = anon.post("/v1/auth/login", Map.of("email", email, "password", "wrong password"));
                Api.assertProblem(r, 401);
                assertThat(r.json().path("detail").asText()).isEqualTo("wrong email or password");
            }
            var locked = anon.post("/v1/auth/login", Map.of("email", email, "password", "wrong password"));
            Api.assertProblem(locked, 429);
            assertThat(Integer.parseInt(locked.header("Retry-After"))).isBetween(1, 15 * 60);
        }
        // even the right password waits out the lock; other emails are not affected
        Api.assertProblem(anon.post("/v1/auth/login", Map.of("email", "editor@matrix.test",
            "password", PASSWORDS.get(Caller.EDITOR))), 429);
        anon.post("/v1/auth/login", Map.of("email", "owner@matrix.test", "password", PASSWORDS.get(Caller.OWNER)))
            .expect(200);
    }

    @Test
    void ownersReadTheAuditLogOfTheirSpace() {
        USERS.get(Caller.EDITOR).patch(pipeline.path(""), Map.of("metadata", Map.of("audited", true))).expect(200);
        var entries = USERS.get(Caller.OWNER).get("/v1/spaces/" + spaceId + "/audit").expect(200).json()
            .path("entries");
        var actions = new ArrayList<String>();
        entries.forEach(x -> actions.add(x.path("action").asText() + " by " + x.path("actor_email").asText()));
        assertThat(actions).contains("pipeline.update by editor@matrix.test", "pipeline.create by admin@localhost",
            "member.create by admin@localhost", "space.create by admin@localhost");
    }

    private static JsonNode find(JsonNode items, String id) {
        for (var item : items) {
            if (item.path("id").asText().equals(id)) {
                return item;
            }
        }
        throw new AssertionError(id + " not in " + items);
    }
}
