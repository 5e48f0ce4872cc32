package io.riffle.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.riffle.testkit.TestDatabase;
import io.riffle.testkit.TestNats;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzing of every route the server has (read from {@code GET /v1/admin/routes}, as AuthorizationMatrixIT does) with
 * seeded hostile input ({@link HostileInputs}), sent byte for byte over a socket ({@link RawHttp}). Every answer must
 * be below 500, carry no stack trace or exception class name, reflect no injected header, and an error answer from
 * Riffle must be the JSON {@code {detail, msg}}; a run of refusals must leave every resource as it was (a
 * {@link Snapshot} before and after). The seed is printed; {@code -Driffle.fuzz.seed=N} replays a run,
 * {@code -Driffle.fuzz.soak=true} (or {@code -Driffle.fuzz.perRoute=N}) runs long. Figures go to System.out
 * ("HostileInputIT: ..." lines).
 */
@Timeout(1800)
class HostileInputIT {
    static final boolean SOAK = Boolean.getBoolean("riffle.fuzz.soak");
    static final int PER_ROUTE = Integer.getInteger("riffle.fuzz.perRoute", SOAK ? 1500 : 100);
    static final int CHUNK = 20;
    static final long SEED = Long.getLong("riffle.fuzz.seed", System.nanoTime());
    private static final Pattern PARAM = Pattern.compile("\\{([A-Za-z]+)}");
    private static TestDatabase db;
    private static TestNats nats;
    private static RiffleProcess riffle;
    private static Api api;
    private static Fixture fixture;

    /** The resources the fuzzer aims at with valid ids. */
    record Fixture(String spaceId, Api.Pipeline pipeline, String userId, String tokenId, String patId) {
    }

    @BeforeAll
    static void up() {
        db = TestDatabase.create();
        nats = TestNats.start();
        riffle = RiffleProcess.external(db, nats, Map.of()).start();
        api = Api.of(riffle);
        var space = api.createSpace("fuzz");
        var p = api.createPipeline(space, "fuzz", "def handler(data, log):\n    return data\n", Map.of());
        api.awaitReady(p);
        api.post("/v1/secrets", Map.of("key", "FUZZ_SECRET", "value", "fuzz-secret-value")).expect(201);
        var userId = api.get("/v1/profile").expect(200).json().path("id").asText();
        var tokenId = api.get(p.path("/access_tokens")).expect(200).json().path("access_tokens").get(0).path("id")
            .asText();
        var patId = api.post("/v1/personal_access_tokens", Map.of("name", "fuzz")).expect(200).json().path("id")
            .asText();
        fixture = new Fixture(space, p, userId, tokenId, patId);
    }

    @AfterAll
    static void down() {
        if (riffle != null) {
            riffle.close();
        }
        if (nats != null) {
            nats.close();
        }
        if (db != null) {
            db.close();
        }
    }

    /** One request as bytes, and a short description for failure messages. */
    record Input(String method, String target, Map<String, byte[]> headers, byte[] body, String what) {
        @Override
        public String toString() {
            var t = target.length() > 160 ? target.substring(0, 160) + "..." : target;
            return method + " " + t + " [" + what + ", body " + (body == null ? "none" : body.length + " B") + "]";
        }
    }

    @Test
    void everyRouteAnswersHostileInputWithA4xxAndChangesNothingOnRefusal() {
        var routes = new ArrayList<String[]>();
        for (var r : api.get("/v1/admin/routes").expect(200).json().path("routes")) {
            routes.add(new String[] {r.path("method").asText(), r.path("path").asText()});
        }
        assertThat(routes).as("routes of the server").hasSizeGreaterThan(40);
        var gen = new HostileInputs(SEED);
        var tally = new FuzzTally();
        long start = System.nanoTime();
        for (var route : routes) {
            var inputs = new ArrayList<Input>(fixedInputs(gen, route[0], route[1]));
            for (int i = 0; i < PER_ROUTE; i++) {
                inputs.add(randomInput(gen, route[0], route[1]));
            }
            fuzzRoute(route[0] + " " + route[1], inputs, tally);
        }
        long seconds = (System.nanoTime() - start) / 1_000_000_000L;
        System.out.printf("HostileInputIT: seed=%d, routes=%d, hostile inputs tried=%d, 5xx answers=%d, "
                + "answers by status=%s, runs of refusals and reads checked unchanged=%d (changed=%d), answers with internals=%d, "
                + "non-JSON error answers from Riffle=%d, low-level HTTP refusals by Jetty=%d, injected headers "
                + "reflected=%d, 2xx (valid input) by route=%s; %d s%n", SEED, routes.size(), tally.inputs,
            tally.fiveHundreds, tally.byStatus, tally.unchangedRuns, tally.changedRuns.size(), tally.internals.size(),
            tally.notProblem.size(), tally.lowLevel, tally.reflected.size(), tally.successes, seconds);
        assertThat(tally.failures5xx).as("5xx answers (seed %d)", SEED).isEmpty();
        assertThat(tally.internals).as("answers showing internals (seed %d)", SEED).isEmpty();
        assertThat(tally.reflected).as("injected headers reflected (seed %d)", SEED).isEmpty();
        assertThat(tally.notProblem).as("error answers without {detail, msg} (seed %d)", SEED).isEmpty();
        assertThat(tally.changedRuns).as("resources changed by refusals (seed %d)", SEED).isEmpty();
        api.get("/v1/spaces").expect(200);
        assertThat(riffle.alive()).isTrue();
    }

    /**
     * Very many small requests at once from many clients: a mix of health checks, management reads, publishes,
     * unknown routes and bad credentials. None may get a 5xx, and the server answers normally afterwards.
     */
    @Test
    void veryManySmallRequestsGetNo5xx() throws Exception {
        int total = Integer.getInteger("riffle.fuzz.flood", SOAK ? 200_000 : 4_000);
        int clients = 32;
        var statuses = new java.util.concurrent.ConcurrentHashMap<Integer, java.util.concurrent.atomic.AtomicInteger>();
        var bad = new java.util.concurrent.ConcurrentLinkedQueue<String>();
        var next = new java.util.concurrent.atomic.AtomicInteger();
        var p = fixture.pipeline();
        long start = System.nanoTime();
        try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < clients; c++) {
                pool.submit(() -> {
                    int i;
                    while ((i = next.getAndIncrement()) < total) {
                        var r = switch (i % 6) {
                            case 0 -> api.send("GET", "/healthz", Map.of(), java.net.http.HttpRequest.BodyPublishers
                                .noBody());
                            case 1 -> api.get("/v1/spaces");
                            case 2 -> api.publish(p, "{\"n\":" + i + "}");
                            case 3 -> api.get("/v1/no/such/route/" + i);
                            case 4 -> api.publish(new Api.Pipeline(p.id(), "rfl_pipe_wrong" + i), "{\"n\":1}");
                            default -> api.get("/v1/pipelines/" + java.util.UUID.randomUUID());
                        };
                        statuses.computeIfAbsent(r.status(), k -> new java.util.concurrent.atomic.AtomicInteger())
                            .incrementAndGet();
                        if (r.status() >= 500 || (r.status() >= 400 && HostileBodies.internalIn(r.body()) != null)) {
                            bad.add(r.toString());
                        }
                    }
                    return null;
                });
            }
        }
        long ms = Math.max(1, (System.nanoTime() - start) / 1_000_000);
        System.out.printf("HostileInputIT: %d small requests from %d clients at once in %d ms (%d/s): answers by "
            + "status=%s, 5xx or internals=%d%n", total, clients, ms, total * 1000L / ms, new TreeMap<>(statuses),
            bad.size());
        assertThat(bad).as("5xx answers or internals").isEmpty();
        assertThat(statuses.keySet()).allMatch(s -> s < 500);
        api.get("/v1/spaces").expect(200);
        api.consumeResults(p, 1, java.time.Duration.ofSeconds(60));
    }

    private static void fuzzRoute(String route, List<Input> inputs, FuzzTally tally) {
        var before = Snapshot.take(api, fixture);
        for (int from = 0; from < inputs.size(); from += CHUNK) {
            boolean anySuccess = false;
            var chunk = inputs.subList(from, Math.min(inputs.size(), from + CHUNK));
            for (var input : chunk) {
                var answer = RawHttp.send(riffle.port(), input.method().getBytes(StandardCharsets.US_ASCII),
                    input.target().getBytes(StandardCharsets.ISO_8859_1), input.headers(), input.body());
                // a read that succeeds must not change anything either: only other successes may
                anySuccess |= tally.record(route, input, answer) && !input.method().equals("GET");
            }
            if (anySuccess) {
                // a valid upload starts a build that changes the pipeline when it ends: let it end first
                Await.await("builds to settle", java.time.Duration.ofSeconds(180),
                    () -> !api.status(fixture.pipeline()).path("function_status").asText().equals("building"));
            }
            var after = Snapshot.take(api, fixture);
            if (!anySuccess) {
                tally.unchangedRuns++;
                var diff = before.diff(after);
                if (diff != null) {
                    tally.changedRuns.add(route + " " + chunk.getFirst() + ": " + diff);
                }
            }
            before = after;
        }
    }

    /** The same classic attacks on every route, so that each is tried whatever the seed. */
    private static List<Input> fixedInputs(HostileInputs gen, String method, String template) {
        var out = new ArrayList<Input>();
        var target = fill(gen, method, template, false);
        out.add(new Input(method, target, json(), gen.deep(100_000), "100,000 levels of nesting"));
        out.add(new Input(method, target, json(), gen.deep(1_500), "1,500 levels of nesting"));
        out.add(new Input(method, target, json(), ("{\"name\":\"" + "x".repeat(3_000_000) + "\"}")
            .getBytes(StandardCharsets.UTF_8), "a 3 MB string"));
        out.add(new Input(method, target, json(), gen.invalidUtf8(), "invalid UTF-8"));
        var injected = json();
        injected.put("Idempotency-Key", "k\r\nX-Injected: 1".getBytes(StandardCharsets.ISO_8859_1));
        out.add(new Input(method, target, injected, "{\"n\":1}".getBytes(StandardCharsets.UTF_8), "CR/LF in a header"));
        out.add(new Input(method, fill(gen, method, template, true) + "?page_size=%0d%0aX-Injected:%201", json(),
            null, "CR/LF in a query value"));
        out.add(new Input(method, template.replaceAll("\\{[A-Za-z]+}", "..%2F..%2F..%2Fetc%2Fpasswd"), json(),
            null, "encoded path traversal"));
        out.add(new Input(method, template.replaceAll("\\{[A-Za-z]+}", "%C3%28%FF"), json(), null,
            "invalid UTF-8 in the path"));
        out.add(new Input(method, target, json(), "{\"name\":\"ok\",\"name\":\"twice\",\"unknown_field\":{\"a\":[1,{}]}}"
            .getBytes(StandardCharsets.UTF_8), "duplicate and unknown fields"));
        return out;
    }

    private static Input randomInput(HostileInputs gen, String method, String template) {
        var r = gen.random();
        boolean hostilePath = method.equals("DELETE") || r.nextInt(3) == 0;
        var target = fill(gen, method, template, hostilePath) + (r.nextInt(3) == 0 ? gen.query() : "");
        var headers = r.nextInt(7) == 0 ? new LinkedHashMap<String, byte[]>() : json();
        var what = new StringBuilder(hostilePath ? "hostile path" : "valid ids");
        if (r.nextInt(6) == 0) {
            var name = gen.pick(List.of(Api.PAT, "Authorization", Api.DATA_TOKEN, "Idempotency-Key", "X-External-Id",
                "Content-Type", "Accept", "Content-Encoding", "Transfer-Encoding", "X-Forwarded-For"));
            headers.put(name, gen.headerValue());
            what.append(", hostile ").append(name);
        }
        byte[] body = null;
        if (!method.equals("GET") && !method.equals("DELETE") || r.nextInt(5) == 0) {
            body = gen.body();
            what.append(", hostile body");
        }
        if (template.endsWith("/artifacts") && r.nextBoolean()) {
            headers.put("Content-Type", ("multipart/form-data; boundary=" + (r.nextInt(4) == 0 ? "" : "b"))
                .getBytes(StandardCharsets.US_ASCII));
            body = gen.multipart();
            what.append(", hostile multipart");
        }
        return new Input(method, target, headers, body, what.toString());
    }

    /** The route's template with its parameters filled: valid fixture ids, or hostile segments. */
    private static String fill(HostileInputs gen, String method, String template, boolean hostile) {
        var m = PARAM.matcher(template);
        var sb = new StringBuilder();
        while (m.find()) {
            String value;
            if (hostile || method.equals("DELETE")) {
                value = gen.segment();
            } else {
                value = switch (m.group(1)) {
                    case "id" -> template.startsWith("/v1/spaces") ? fixture.spaceId()
                        : template.startsWith("/v1/personal_access_tokens") ? fixture.patId()
                        : fixture.pipeline().id();
                    case "userId" -> fixture.userId();
                    case "tokenId" -> fixture.tokenId();
                    case "version" -> "1";
                    case "key" -> "FUZZ_SECRET";
                    default -> gen.segment();
                };
            }
            m.appendReplacement(sb, java.util.regex.Matcher.quoteReplacement(value));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /** Valid credentials for both planes, and a JSON content type. */
    private static LinkedHashMap<String, byte[]> json() {
        var h = new LinkedHashMap<String, byte[]>();
        h.put(Api.PAT, riffle.adminToken().getBytes(StandardCharsets.US_ASCII));
        h.put(Api.DATA_TOKEN, fixture.pipeline().token().getBytes(StandardCharsets.US_ASCII));
        h.put("Content-Type", "application/json".getBytes(StandardCharsets.US_ASCII));
        return h;
    }
}
