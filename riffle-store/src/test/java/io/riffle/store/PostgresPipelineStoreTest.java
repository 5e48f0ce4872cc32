package io.riffle.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.riffle.core.BuildStatus;
import io.riffle.core.ConflictException;
import io.riffle.core.EnvVar;
import io.riffle.core.FunctionVersion;
import io.riffle.core.NotFoundException;
import io.riffle.core.Pipeline;
import io.riffle.core.PipelineSettings;
import io.riffle.core.PipelineState;
import io.riffle.core.PipelineStore;
import io.riffle.core.PipelineToken;
import io.riffle.core.Tokens;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PostgresPipelineStoreTest {
    private static StoreFixture fixture;
    private static PipelineStore pipelines;
    private static String spaceId;

    @BeforeAll
    static void setUp() {
        fixture = new StoreFixture();
        pipelines = fixture.database.pipelines();
        spaceId = fixture.database.spaces().create("space", fixture.user(false).id()).id();
    }

    @AfterAll
    static void tearDown() {
        fixture.close();
    }

    @Test
    void createdPipelineReadsBackEqual() {
        var stored = fixture.pipeline(spaceId);

        assertThat(pipelines.find(stored.pipeline().id())).contains(stored.pipeline());
        assertThat(pipelines.versions(stored.pipeline().id())).containsExactly(stored.version());
        assertThat(pipelines.findVersion(stored.pipeline().id(), 1)).contains(stored.version());
        assertThat(fixture.database.tokens().pipelineTokens(stored.pipeline().id())).containsExactly(stored.token());
    }

    @Test
    void anIdPostgresCannotTakeIsTheCallersError() {
        assertThatThrownBy(() -> pipelines.find("a\u0000b")).isInstanceOf(io.riffle.core.InvalidInputException.class)
            .hasMessageStartingWith("a value in the request is not valid: ").hasMessageContaining("0x00")
            .hasMessageNotContaining("portal");
    }

    @Test
    void createIsAllOrNothing() {
        var first = fixture.pipeline(spaceId);
        var now = StoreFixture.now();
        var id = Tokens.newId();
        var pipeline = new Pipeline(id, spaceId, "p", PipelineState.PAUSED, StoreFixture.JSON.createObjectNode(),
            null, null, PipelineSettings.DEFAULTS, 1, now, now);
        var version = new FunctionVersion(id, 1, "src", "", List.of(), BuildStatus.READY, "", now);
        // Reusing the first pipeline's token secret violates token_hash's uniqueness, after the other inserts.
        var token = new PipelineToken(Tokens.newId(), id, "t", first.token().token(), now);

        assertThatThrownBy(() -> pipelines.create(pipeline, version, token))
            .isInstanceOf(ConflictException.class);
        assertThat(pipelines.find(id)).isEmpty();
        assertThat(pipelines.versions(id)).isEmpty();
    }

    @Test
    void concurrentAddVersionNumbersWithoutGapsOrDuplicates() throws Exception {
        var id = fixture.pipeline(spaceId).pipeline().id();
        var start = new CountDownLatch(1);
        var results = new ArrayList<Future<FunctionVersion>>();
        try (var executor = Executors.newFixedThreadPool(8)) {
            for (int i = 0; i < 8; i++) {
                results.add(executor.submit(() -> {
                    start.await();
                    return pipelines.addVersion(id, "src", "", List.of(), BuildStatus.BUILDING);
                }));
            }
            start.countDown();
        }
        var numbers = new ArrayList<Integer>();
        for (var result : results) {
            numbers.add(result.get().version());
        }

        assertThat(numbers).containsExactlyInAnyOrderElementsOf(IntStream.rangeClosed(2, 9).boxed().toList());
        assertThat(pipelines.versions(id)).extracting(FunctionVersion::version)
            .containsExactly(9, 8, 7, 6, 5, 4, 3, 2, 1);
    }

    @Test
    void addVersionStoresItsFieldsAndBuildOutcome() {
        var id = fixture.pipeline(spaceId).pipeline().id();
        var added = pipelines.addVersion(id, "def handler(d, l): pass", "numpy", List.of(new EnvVar("A", "1")),
            BuildStatus.READY);

        assertThat(added.version()).isEqualTo(2);
        assertThat(pipelines.findVersion(id, 2)).contains(added);

        pipelines.updateBuild(id, 2, BuildStatus.FAILED, "ImportError: numpy");
        assertThat(pipelines.findVersion(id, 2)).contains(added.withBuild(BuildStatus.FAILED, "ImportError: numpy"));
        assertThat(pipelines.find(id).orElseThrow().activeVersion()).isEqualTo(1);
    }

    @Test
    void addVersionToMissingPipelineIsNotFound() {
        assertThatThrownBy(() -> pipelines.addVersion("missing", "src", "", List.of(), BuildStatus.BUILDING))
            .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> pipelines.updateBuild("missing", 1, BuildStatus.READY, ""))
            .isInstanceOf(NotFoundException.class);
    }

    @Test
    void updateReplacesMutableFieldsAndBumpsUpdatedAt() throws Exception {
        var original = fixture.pipeline(spaceId).pipeline();
        pipelines.addVersion(original.id(), "src", "", List.of(), BuildStatus.READY);
        var changed = new Pipeline(original.id(), original.spaceId(), "renamed", PipelineState.PAUSED,
            StoreFixture.JSON.readTree("{\"k\":\"v\"}"), null,
            StoreFixture.JSON.readTree("{\"kind\":\"s3\",\"configuration\":{}}"),
            new PipelineSettings(3, Duration.ofMillis(1500), 5, 10, 0), 2, original.createdAt(),
            original.updatedAt());

        var stored = pipelines.update(changed);

        assertThat(stored.updatedAt()).isAfterOrEqualTo(original.updatedAt());
        assertThat(stored).usingRecursiveComparison().ignoringFields("updatedAt").isEqualTo(changed);
        assertThat(pipelines.find(original.id())).contains(stored);
    }

    @Test
    void updateOfMissingPipelineIsNotFound() {
        var now = StoreFixture.now();
        var ghost = new Pipeline("ghost", spaceId, "g", PipelineState.RUNNING, StoreFixture.JSON.createObjectNode(),
            null, null, PipelineSettings.DEFAULTS, 1, now, now);

        assertThatThrownBy(() -> pipelines.update(ghost)).isInstanceOf(NotFoundException.class);
    }

    @Test
    void deleteCascadesToVersionsAndTokens() {
        var stored = fixture.pipeline(spaceId);
        var id = stored.pipeline().id();
        pipelines.addVersion(id, "src", "", List.of(), BuildStatus.READY);

        pipelines.delete(id);
        pipelines.delete(id);

        assertThat(pipelines.find(id)).isEmpty();
        assertThat(pipelines.versions(id)).isEmpty();
        assertThat(fixture.database.tokens().pipelineTokens(id)).isEmpty();
        assertThat(fixture.database.tokens().pipelineForToken(stored.token().token())).isEmpty();
    }

    @Test
    void listReturnsPipelinesOfTheGivenSpacesOldestFirst() {
        var otherSpace = fixture.database.spaces().create("other", fixture.user(false).id()).id();
        var a = fixture.pipeline(otherSpace).pipeline();
        var b = fixture.pipeline(otherSpace).pipeline();

        assertThat(pipelines.list(List.of(otherSpace))).containsExactlyInAnyOrder(a, b)
            .isSortedAccordingTo(Comparator.comparing(Pipeline::createdAt));
        assertThat(pipelines.list(List.of())).isEmpty();
        assertThat(pipelines.listAll()).contains(a, b);
    }
}
