package io.riffle.cli;

import io.riffle.client.EnvVar;
import io.riffle.client.FunctionArtifact;
import io.riffle.client.PipelineDetails;
import io.riffle.client.PipelineSettings;
import io.riffle.client.PipelineUpdate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * What {@code apply} will do to make the server match a {@link PipelineSpec}: create, update (with the changes,
 * field by field), or nothing.
 *
 * @param update  the PATCH that makes the change (for {@link Kind#UPDATE})
 * @param changes human lines, one change each (multi-line diffs are indented under their field)
 */
record Plan(Kind kind, PipelineSpec spec, boolean createSpace, String spaceLabel, List<String> changes,
            PipelineUpdate update) {
    enum Kind { CREATE, UPDATE, NO_CHANGE }

    /** The plan for a pipeline that does not exist yet. */
    static Plan create(PipelineSpec spec, boolean createSpace, String spaceLabel) {
        var lines = new ArrayList<String>();
        lines.add("transformation: " + spec.transformation().lines().count() + " lines");
        if (spec.requirements() != null && !spec.requirements().isBlank()) {
            lines.add("requirements: " + String.join(", ", spec.requirements().lines()
                .filter(l -> !l.isBlank()).toList()));
        }
        spec.env().forEach(e -> lines.add("env " + e.name()));
        settingsMap(spec.settings()).forEach((k, v) -> lines.add("settings." + k + ": " + v));
        if (spec.source() != null) {
            lines.add("source: " + spec.source().path("kind").asText());
        }
        if (spec.sink() != null) {
            lines.add("sink: " + spec.sink().path("kind").asText());
        }
        return new Plan(Kind.CREATE, spec, createSpace, spaceLabel, lines, null);
    }

    /**
     * The plan for an existing pipeline.
     *
     * @throws CliException when the file moves the pipeline to another space, which the API cannot do
     */
    static Plan update(PipelineSpec spec, PipelineDetails current, FunctionArtifact artifact) {
        if (spec.spaceId() != null && !spec.spaceId().equals(current.spaceId())) {
            throw new CliException(spec.file() + ": space_id: pipeline " + current.id() + " is in space "
                + current.spaceId() + ", not " + spec.spaceId() + "; a pipeline cannot move between spaces");
        }
        var lines = new ArrayList<String>();
        var update = PipelineUpdate.NONE;
        if (!spec.name().equals(current.name())) {
            lines.add("name: \"" + current.name() + "\" → \"" + spec.name() + "\"");
            update = update.withName(spec.name());
        }
        if (!spec.transformation().equals(artifact.transformationFunction())) {
            lines.add("transformation:");
            TextDiff.lines(artifact.transformationFunction(), spec.transformation()).forEach(l -> lines.add("  " + l));
            update = update.withTransformation(spec.transformation());
        }
        var requirements = Objects.requireNonNullElse(spec.requirements(), "");
        if (!requirements.strip().equals(artifact.requirementsTxt().strip())) {
            lines.add("requirements:");
            TextDiff.lines(artifact.requirementsTxt(), requirements).forEach(l -> lines.add("  " + l));
            update = update.withRequirements(requirements);
        }
        var envChanges = envChanges(current.environments(), spec.env());
        if (!envChanges.isEmpty()) {
            lines.addAll(envChanges);
            update = update.withEnvironments(spec.env());
        }
        var settingChanges = settingChanges(spec.settings(), current.settings());
        if (!settingChanges.isEmpty()) {
            lines.addAll(settingChanges);
            update = update.withSettings(spec.settings());
        }
        if (connectorChanged(spec.source(), current.sourceConnector())) {
            lines.add("source: " + describe(current.sourceConnector(), spec.source()));
            update = update.withSourceConnector(spec.source());
        }
        if (connectorChanged(spec.sink(), current.sinkConnector())) {
            lines.add("sink: " + describe(current.sinkConnector(), spec.sink()));
            update = update.withSinkConnector(spec.sink());
        }
        var label = current.spaceName() + " (" + current.spaceId() + ")";
        return new Plan(update.isEmpty() ? Kind.NO_CHANGE : Kind.UPDATE, spec, false, label, lines, update);
    }

    private static boolean connectorChanged(com.fasterxml.jackson.databind.JsonNode wanted,
                                            com.fasterxml.jackson.databind.JsonNode current) {
        boolean none = current == null || current.isNull() || current.isMissingNode();
        return wanted == null ? !none : none || !canonical(wanted).equals(canonical(current));
    }

    /** The tree as JSON parsing gives it (number node types included), so equal documents compare equal. */
    private static com.fasterxml.jackson.databind.JsonNode canonical(com.fasterxml.jackson.databind.JsonNode node) {
        try {
            return Json.MAPPER.readTree(Json.MAPPER.writeValueAsString(node));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return node;
        }
    }

    /** Kinds only: connector fields often hold hosts and credentials, and plans end up in CI logs. */
    private static String describe(com.fasterxml.jackson.databind.JsonNode before,
                                   com.fasterxml.jackson.databind.JsonNode after) {
        var from = kind(before);
        var to = kind(after);
        return from.equals(to) ? to + ": config changed" : from + " → " + to;
    }

    private static String kind(com.fasterxml.jackson.databind.JsonNode connector) {
        return connector == null || connector.isNull() || connector.isMissingNode() ? "REST API"
            : connector.path("kind").asText();
    }

    /** Values are not shown: they are often credentials, and plans end up in CI logs. */
    static List<String> envChanges(List<EnvVar> current, List<EnvVar> wanted) {
        var before = new LinkedHashMap<String, String>();
        current.forEach(e -> before.put(e.name(), e.value()));
        var after = new LinkedHashMap<String, String>();
        wanted.forEach(e -> after.put(e.name(), e.value()));
        var out = new ArrayList<String>();
        after.forEach((k, v) -> {
            if (!before.containsKey(k)) {
                out.add("env " + k + ": added");
            } else if (!before.get(k).equals(v)) {
                out.add("env " + k + ": value changed");
            }
        });
        before.keySet().stream().filter(k -> !after.containsKey(k)).forEach(k -> out.add("env " + k + ": removed"));
        return out;
    }

    /**
     * Only settings the file names are compared: leaving one out keeps the server's value. {@code replicas: N}
     * means min = N and max = max(1, N).
     */
    static List<String> settingChanges(PipelineSettings wanted, PipelineSettings current) {
        var out = new ArrayList<String>();
        var have = settingsMap(current == null ? PipelineSettings.NONE : current);
        if ("none".equals(wanted.ordering()) && wanted.orderingKey() == null) {
            have.remove("ordering_key"); // ordering none clears the key on the server
        }
        var want = settingsMap(wanted);
        if (wanted.replicas() != null) {
            want.remove("replicas");
            want.putIfAbsent("min_replicas", (long) wanted.replicas());
            want.putIfAbsent("max_replicas", (long) Math.max(1, wanted.replicas()));
        }
        want.forEach((k, v) -> {
            var now = have.get(k);
            if (!v.equals(now)) {
                out.add("settings." + k + ": " + (now == null ? "unset" : now) + " → " + v);
            }
        });
        return out;
    }

    static Map<String, Object> settingsMap(PipelineSettings s) {
        var m = new LinkedHashMap<String, Object>();
        put(m, "replicas", s.replicas());
        put(m, "min_replicas", s.minReplicas());
        put(m, "max_replicas", s.maxReplicas());
        put(m, "lag_per_replica", s.lagPerReplica());
        put(m, "cooldown_ms", s.cooldownMs());
        put(m, "idle_timeout_ms", s.idleTimeoutMs());
        put(m, "timeout_ms", s.timeoutMs());
        put(m, "max_retries", s.maxRetries());
        put(m, "batch_size", s.batchSize());
        put(m, "memory_limit_mb", s.memoryLimitMb());
        put(m, "async_concurrency", s.asyncConcurrency());
        if (s.ordering() != null) {
            m.put("ordering", s.ordering());
        }
        if (s.orderingKey() != null) {
            m.put("ordering_key", s.orderingKey());
        }
        put(m, "partitions", s.partitions());
        return m;
    }

    private static void put(Map<String, Object> m, String key, Number v) {
        if (v != null) {
            m.put(key, v.longValue());
        }
    }

    /** The plan as a person reads it before it is applied. */
    String render() {
        var sb = new StringBuilder("Plan for " + spec.file() + ":\n");
        Function<String, String> q = s -> "\"" + s + "\"";
        switch (kind) {
            case CREATE -> {
                if (createSpace) {
                    sb.append("  + create space ").append(q.apply(spec.spaceName())).append('\n');
                }
                sb.append("  + create pipeline ").append(q.apply(spec.name())).append(" in space ")
                    .append(spaceLabel).append('\n');
            }
            case UPDATE -> sb.append("  ~ update pipeline ").append(q.apply(spec.name())).append(" (")
                .append(spec.pipelineId()).append("):\n");
            case NO_CHANGE -> sb.append("  = no change: pipeline ").append(q.apply(spec.name())).append(" (")
                .append(spec.pipelineId()).append(") is up to date\n");
        }
        if (kind != Kind.NO_CHANGE) {
            changes.forEach(c -> sb.append("      ").append(c).append('\n'));
        }
        return sb.toString();
    }
}
