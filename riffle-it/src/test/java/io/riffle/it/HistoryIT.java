package io.riffle.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code GET /v1/pipelines/{id}/history}: a pipeline's versions, builds and scale events, newest first, from the real
 * executable ({@code riffle up}: the server runs the engine, so its scale events are there).
 */
@Timeout(600)
class HistoryIT {
    private static final String V1 = "def handler(data, log):\n    return {\"v\": 1, \"id\": data[\"id\"]}\n";
    private static final String V2 = "def handler(data, log):\n    return {\"v\": 2, \"id\": data[\"id\"]}\n";
    private static final String BROKEN = "raise RuntimeError(\"broken at import\")\n\n"
        + "def handler(data, log):\n    return data\n";

    @Test
    void versionsBuildsAndScalingFromZeroShowNewestFirst() {
        try (var riffle = RiffleProcess.embedded(Map.of()).start()) {
            var api = Api.of(riffle);
            var space = api.createSpace("history");
            var p = api.createPipeline(space, "audited", V1, Map.of());
            api.awaitReady(p);
            api.patch(p.path(""), Map.of("transformation_function", V2)).expect(200);
            api.awaitReady(p);

            api.publishBatch(p, List.of("{\"id\":1}", "{\"id\":2}", "{\"id\":3}"));
            assertThat(api.consumeResults(p, 3, Duration.ofSeconds(120)))
                .allSatisfy(r -> assertThat(r.path("response").path("v").asInt()).isEqualTo(2));
            var events = Await.awaitValue("a scaled event in the history", Duration.ofSeconds(60),
                () -> history(api, p, ""), h -> kinds(h).contains("scaled"));

            assertThat(kinds(events)).filteredOn("version_created"::equals).hasSize(2);
            assertThat(kinds(events)).filteredOn("build_ready"::equals).hasSize(2);
            var created = byKind(events, "version_created");
            assertThat(created).extracting(e -> e.path("version").asInt()).containsExactly(2, 1);
            assertThat(created.get(0).path("message").asText()).isEqualTo("Version 2 created");
            var built = byKind(events, "build_ready").get(0);
            assertThat(built.path("version").asInt()).isEqualTo(2);
            assertThat(built.path("at_is_created_at").asBoolean()).isTrue();
            assertThat(built.path("message").asText()).startsWith("Version 2 built");
            var scaled = byKind(events, "scaled").getLast();
            assertThat(scaled.path("from").asInt()).isZero();
            assertThat(scaled.path("to").asInt()).isPositive();
            assertThat(scaled.path("reason").asText()).isNotBlank();
            assertThat(scaled.path("message").asText()).startsWith("Scaled from 0 to ");
            // newest first; a version's build event comes after (above) its creation
            var times = new ArrayList<Instant>();
            events.forEach(e -> times.add(Instant.parse(e.path("at").asText())));
            assertThat(times).isSortedAccordingTo(java.util.Comparator.reverseOrder());
            assertThat(kinds(events).indexOf("build_ready")).isLessThan(kinds(events).indexOf("version_created"));

            api.patch(p.path(""), Map.of("transformation_function", BROKEN)).expect(200);
            api.awaitFunctionStatus(p, "failed", Duration.ofSeconds(120));
            var afterFailure = history(api, p, "?limit=2");
            assertThat(afterFailure).hasSize(2);
            assertThat(afterFailure.get(0).path("kind").asText()).isEqualTo("build_failed");
            assertThat(afterFailure.get(0).path("version").asInt()).isEqualTo(3);
            assertThat(afterFailure.get(0).path("message").asText()).startsWith("Version 3 failed to build");
            assertThat(afterFailure.get(0).path("log").asText()).doesNotContain("\n");
            assertThat(afterFailure.get(1).path("kind").asText()).isEqualTo("version_created");

            Api.assertProblem(api.get(p.path("/history?limit=0")), 400);
            Api.assertProblem(api.get("/v1/pipelines/no-such-pipeline/history"), 404);
        }
    }

    private static List<JsonNode> history(Api api, Api.Pipeline p, String query) {
        var out = new ArrayList<JsonNode>();
        api.get(p.path("/history" + query)).expect(200).json().path("events").forEach(out::add);
        return out;
    }

    private static List<String> kinds(List<JsonNode> events) {
        return events.stream().map(e -> e.path("kind").asText()).toList();
    }

    private static List<JsonNode> byKind(List<JsonNode> events, String kind) {
        return events.stream().filter(e -> e.path("kind").asText().equals(kind)).toList();
    }
}
