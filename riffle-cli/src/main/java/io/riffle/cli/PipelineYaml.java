package io.riffle.cli;

import io.riffle.client.EnvVar;
import io.riffle.client.PipelineSettings;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads and validates GlassFlow's {@code pipeline.yaml} (source → transformer → sink) with Riffle's {@code settings}.
 * Every problem is reported as {@code FILE:LINE: FIELD: what to fix}.
 */
final class PipelineYaml {
    /** Settings a transformer may carry, as the API names them. */
    static final List<String> SETTINGS = List.of("replicas", "min_replicas", "max_replicas", "lag_per_replica",
        "cooldown_ms", "idle_timeout_ms", "timeout_ms", "max_retries", "batch_size", "memory_limit_mb",
        "async_concurrency", "ordering", "ordering_key", "partitions");
    /** Settings whose values are text rather than whole numbers. */
    static final List<String> TEXT_SETTINGS = List.of("ordering", "ordering_key");
    private static final List<String> TYPES = List.of("source", "transformer", "sink");

    private final Path file;
    private final Path dir;

    private PipelineYaml(Path file) {
        this.file = file;
        var parent = file.toAbsolutePath().getParent();
        this.dir = parent == null ? Path.of(".") : parent;
    }

    static PipelineSpec load(Path file) {
        return parse(Inputs.readText(file, "pipeline file"), file);
    }

    /** Validates {@code text}; {@code file} names it in messages and anchors relative paths. */
    static PipelineSpec parse(String text, Path file) {
        return new PipelineYaml(file).spec(compose(text, file));
    }

    /** The node tree of {@code text}, or a message naming the line of a syntax error. */
    static MappingNode compose(String text, Path file) {
        Node root;
        try {
            root = new Yaml(new SafeConstructor(new LoaderOptions())).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            var mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            throw new CliException(file + ":" + (mark == null ? 1 : mark.getLine() + 1) + ": invalid YAML: "
                + (e.getProblem() != null ? e.getProblem() : e.getMessage()));
        }
        if (root == null) {
            throw new CliException(file + ":1: the file is empty; a pipeline needs name, space_name or space_id, "
                + "and components");
        }
        if (!(root instanceof MappingNode map)) {
            throw new CliException(file + ":" + YamlNodes.line(root) + ": the file must be a mapping with name, "
                + "space_name or space_id, and components");
        }
        return map;
    }

    private CliException fail(Node at, String field, String problem) {
        return new CliException(file + ":" + YamlNodes.line(at) + ": " + field + ": " + problem);
    }

    private PipelineSpec spec(MappingNode root) {
        var keys = unique(root, "");
        var name = text(keys.get("name"), "name", root, true);
        var pipelineId = text(keys.get("pipeline_id"), "pipeline_id", root, false);
        var spaceId = text(keys.get("space_id"), "space_id", root, false);
        var spaceName = text(keys.get("space_name"), "space_name", root, false);
        if (pipelineId != null && spaceId == null) {
            throw fail(keys.get("pipeline_id").getKeyNode(), "space_id",
                "is required when pipeline_id is set (apply writes both back after creating the pipeline)");
        }
        if (spaceId == null && spaceName == null) {
            throw fail(root, "space_name", "give space_name (created when missing) or space_id");
        }
        var components = keys.get("components");
        if (components == null || YamlNodes.isNull(components.getValueNode())) {
            throw fail(root, "components", "is required: exactly one source, one transformer and one sink");
        }
        if (!(components.getValueNode() instanceof SequenceNode list)) {
            throw fail(components.getValueNode(), "components", "must be a list of components");
        }
        var found = components(list, components.getKeyNode());
        var t = found.get("transformer");
        var tPath = t.path();
        var tKeys = unique(t.node(), tPath + ".");
        checkInputs(found.get("source"), null);
        checkInputs(t, found.get("source"));
        checkInputs(found.get("sink"), t);
        var transformation = code(tKeys.get("transformation"), tPath + ".transformation", t.node(), true);
        if (transformation.isBlank()) {
            throw fail(tKeys.get("transformation").getValueNode(), tPath + ".transformation",
                "is empty; it must define handler(data, log)");
        }
        var requirements = code(tKeys.get("requirements"), tPath + ".requirements", t.node(), false);
        var env = env(tKeys.get("env_vars"), tPath + ".env_vars");
        var settings = settings(tKeys.get("settings"), tPath + ".settings");
        int idLine = keys.containsKey("pipeline_id") ? YamlNodes.line(keys.get("pipeline_id").getKeyNode()) : 0;
        return new PipelineSpec(file, name, pipelineId, spaceId, spaceName, transformation, requirements, env,
            settings, idLine, connector(found.get("source")), connector(found.get("sink")));
    }

    private record Component(MappingNode node, String path, String id, String type) {
    }

    private Map<String, Component> components(SequenceNode list, Node key) {
        var found = new LinkedHashMap<String, Component>();
        var ids = new HashSet<String>();
        for (int i = 0; i < list.getValue().size(); i++) {
            var path = "components[" + i + "]";
            if (!(list.getValue().get(i) instanceof MappingNode c)) {
                throw fail(list.getValue().get(i), path, "must be a mapping with id and type");
            }
            var keys = unique(c, path + ".");
            var id = text(keys.get("id"), path + ".id", c, true);
            var type = text(keys.get("type"), path + ".type", c, true);
            if (!TYPES.contains(type)) {
                throw fail(keys.get("type").getValueNode(), path + ".type", "unknown component type '" + type
                    + "'; use source, transformer or sink");
            }
            if (!ids.add(id)) {
                throw fail(keys.get("id").getValueNode(), path + ".id", "id '" + id + "' is used twice");
            }
            var previous = found.get(type);
            if (previous != null) {
                throw fail(keys.get("type").getValueNode(), path + ".type", "a second " + type + " (the first is "
                    + previous.path() + " at line " + YamlNodes.line(previous.node()) + "); a pipeline has exactly "
                    + "one source, one transformer and one sink");
            }
            if (!"transformer".equals(type)) {
                checkConnector(keys, path, type);
            }
            found.put(type, new Component(c, path, id, type));
        }
        for (var type : TYPES) {
            if (!found.containsKey(type)) {
                throw fail(key, "components", "has no " + type + "; a pipeline has exactly one source, one "
                    + "transformer and one sink");
            }
        }
        return found;
    }

    /**
     * Shape checks only: {@code kind} is a word and {@code config} a mapping given with a kind. Which kinds exist
     * and which fields they need is the server's to say (it answers naming the field).
     */
    private void checkConnector(Map<String, NodeTuple> keys, String path, String type) {
        var kind = keys.get("kind");
        boolean hasKind = kind != null && !YamlNodes.isNull(kind.getValueNode());
        if (hasKind && !(kind.getValueNode() instanceof ScalarNode s && !s.getValue().isBlank())) {
            throw fail(kind.getValueNode(), path + ".kind", "must be a connector kind such as webhook or nats");
        }
        var secretRef = keys.get("config_secret_ref");
        if (secretRef != null && !YamlNodes.isNull(secretRef.getValueNode())) {
            throw fail(secretRef.getKeyNode(), path + ".config_secret_ref", "is not supported; reference secrets "
                + "per field inside config, e.g. password: {secret_ref: {type: organization, key: PG_PASS}}");
        }
        var config = keys.get("config");
        if (config != null && !YamlNodes.isNull(config.getValueNode())) {
            if (!hasKind) {
                throw fail(config.getKeyNode(), path + ".config", "is only used with a connector kind; add kind "
                    + "or remove config to use the built-in REST " + type);
            }
            if (!(config.getValueNode() instanceof MappingNode)) {
                throw fail(config.getValueNode(), path + ".config", "must be a mapping of the connector's fields");
            }
        }
    }

    /** {@code {kind, config}} of a source or sink component as the API takes it, or null for the REST one. */
    private static com.fasterxml.jackson.databind.JsonNode connector(Component c) {
        var kind = YamlNodes.entry(c.node(), "kind").map(NodeTuple::getValueNode).orElse(null);
        if (YamlNodes.isNull(kind)) {
            return null;
        }
        var out = Json.MAPPER.createObjectNode().put("kind", ((ScalarNode) kind).getValue());
        var config = YamlNodes.entry(c.node(), "config").map(NodeTuple::getValueNode).orElse(null);
        out.set("config", YamlNodes.isNull(config) ? Json.MAPPER.createObjectNode() : YamlNodes.json(config));
        return out;
    }

    /** The source has no inputs; the transformer reads the source; the sink reads the transformer. */
    private void checkInputs(Component c, Component upstream) {
        var keys = unique(c.node(), c.path() + ".");
        var inputs = keys.get("inputs");
        var field = c.path() + ".inputs";
        if (upstream == null) {
            if (inputs != null && !YamlNodes.isNull(inputs.getValueNode())
                && !(inputs.getValueNode() instanceof SequenceNode s && s.getValue().isEmpty())) {
                throw fail(inputs.getValueNode(), field, "a source has no inputs; remove them");
            }
            return;
        }
        var expected = "[" + upstream.id() + "]";
        if (inputs == null || YamlNodes.isNull(inputs.getValueNode())) {
            throw fail(c.node(), field, "is required: " + expected + " (the " + upstream.type() + "'s id)");
        }
        var got = new ArrayList<String>();
        if (inputs.getValueNode() instanceof SequenceNode s) {
            s.getValue().forEach(n -> got.add(n instanceof ScalarNode v ? v.getValue() : "?"));
        } else if (inputs.getValueNode() instanceof ScalarNode v) {
            got.add(v.getValue());
        }
        if (!got.equals(List.of(upstream.id()))) {
            throw fail(inputs.getValueNode(), field, "must be " + expected + " (the " + upstream.type() + "'s id); got "
                + got);
        }
    }

    /** {@code {path: FILE}} or {@code {value: TEXT}}; null when absent and optional. */
    private String code(NodeTuple tuple, String field, MappingNode owner, boolean required) {
        if (tuple == null || YamlNodes.isNull(tuple.getValueNode())) {
            if (required) {
                throw fail(owner, field, "is required: {path: handler.py} or {value: \"...\"}");
            }
            return null;
        }
        if (!(tuple.getValueNode() instanceof MappingNode map)) {
            throw fail(tuple.getValueNode(), field, "must be {path: FILE} or {value: TEXT}");
        }
        var keys = unique(map, field + ".");
        var path = keys.get("path");
        var value = keys.get("value");
        if ((path == null) == (value == null)) {
            throw fail(map, field, "give exactly one of path and value");
        }
        if (value != null) {
            var text = text(value, field + ".value", map, true);
            return text;
        }
        var relative = text(path, field + ".path", map, true);
        var resolved = dir.resolve(relative).normalize();
        if (!Files.isRegularFile(resolved)) {
            throw fail(path.getValueNode(), field + ".path", "file " + relative + " does not exist (looked for "
                + resolved + ")");
        }
        return Inputs.readText(resolved, field + ".path");
    }

    private List<EnvVar> env(NodeTuple tuple, String field) {
        if (tuple == null || YamlNodes.isNull(tuple.getValueNode())) {
            return List.of();
        }
        if (!(tuple.getValueNode() instanceof SequenceNode list)) {
            throw fail(tuple.getValueNode(), field, "must be a list of {name, value}");
        }
        var out = new ArrayList<EnvVar>();
        var names = new HashSet<String>();
        for (int i = 0; i < list.getValue().size(); i++) {
            var path = field + "[" + i + "]";
            if (!(list.getValue().get(i) instanceof MappingNode item)) {
                throw fail(list.getValue().get(i), path, "must be {name: ..., value: ...}");
            }
            var keys = unique(item, path + ".");
            if (keys.containsKey("value_secret_ref")) {
                throw fail(keys.get("value_secret_ref").getKeyNode(), path + ".value_secret_ref",
                    "secret references are not available in this Riffle version; give value");
            }
            var name = text(keys.get("name"), path + ".name", item, true);
            var value = keys.get("value");
            if (value == null || !(value.getValueNode() instanceof ScalarNode v)) {
                throw fail(item, path + ".value", "is required (a string)");
            }
            if (!names.add(name)) {
                throw fail(keys.get("name").getValueNode(), path + ".name", "'" + name + "' is set twice");
            }
            out.add(new EnvVar(name, YamlNodes.isNull(v) ? "" : v.getValue()));
        }
        return out;
    }

    private PipelineSettings settings(NodeTuple tuple, String field) {
        if (tuple == null || YamlNodes.isNull(tuple.getValueNode())) {
            return PipelineSettings.NONE;
        }
        if (!(tuple.getValueNode() instanceof MappingNode map)) {
            throw fail(tuple.getValueNode(), field, "must be a mapping such as {replicas: 2, timeout_ms: 30000}");
        }
        var values = new LinkedHashMap<String, Long>();
        var texts = new LinkedHashMap<String, String>();
        for (var t : unique(map, field + ".").values()) {
            var key = YamlNodes.keyName(t);
            if (!SETTINGS.contains(key)) {
                throw fail(t.getKeyNode(), field + "." + key, "unknown setting; use " + String.join(", ", SETTINGS));
            }
            if (TEXT_SETTINGS.contains(key)) {
                texts.put(key, textSetting(t, field + "." + key));
            } else {
                values.put(key, wholeNumber(t, field + "." + key));
            }
        }
        return new PipelineSettings(intOrNull(values.get("replicas")), intOrNull(values.get("min_replicas")),
            intOrNull(values.get("max_replicas")), intOrNull(values.get("lag_per_replica")),
            values.get("cooldown_ms"), values.get("idle_timeout_ms"), values.get("timeout_ms"),
            intOrNull(values.get("max_retries")), intOrNull(values.get("batch_size")),
            intOrNull(values.get("memory_limit_mb")), intOrNull(values.get("async_concurrency")),
            texts.get("ordering"), texts.get("ordering_key"), intOrNull(values.get("partitions")));
    }

    private long wholeNumber(NodeTuple t, String field) {
        var key = YamlNodes.keyName(t);
        if (!(t.getValueNode() instanceof ScalarNode v) || !Tag.INT.equals(v.getTag())) {
            throw fail(t.getValueNode(), field, "must be a whole number");
        }
        long n;
        try {
            n = Long.parseLong(v.getValue().replace("_", ""));
        } catch (NumberFormatException e) {
            throw fail(t.getValueNode(), field, "must be a whole number in decimal; got " + v.getValue());
        }
        long min = key.equals("replicas") || key.equals("min_replicas") || key.equals("max_retries")
            || key.equals("memory_limit_mb") ? 0 : 1;
        if (n < min || n > Integer.MAX_VALUE) {
            throw fail(t.getValueNode(), field, "must be at least " + min + "; got " + n);
        }
        return n;
    }

    /** {@code ordering: none|key}, {@code ordering_key: /json/pointer}. */
    private String textSetting(NodeTuple t, String field) {
        if (!(t.getValueNode() instanceof ScalarNode v) || YamlNodes.isNull(v)) {
            throw fail(t.getValueNode(), field, "must be a single value");
        }
        var text = v.getValue();
        if (YamlNodes.keyName(t).equals("ordering") && !text.equals("none") && !text.equals("key")) {
            throw fail(v, field, "must be none or key; got " + text);
        }
        if (YamlNodes.keyName(t).equals("ordering_key") && !text.startsWith("/")) {
            throw fail(v, field, "must be a JSON pointer such as /user_id; got " + text);
        }
        return text;
    }

    private static Integer intOrNull(Long v) {
        return v == null ? null : v.intValue();
    }

    /** The mapping's entries by key; a key given twice is an error (YAML parsers disagree on which one wins). */
    private Map<String, NodeTuple> unique(MappingNode map, String prefix) {
        var out = new LinkedHashMap<String, NodeTuple>();
        for (var t : map.getValue()) {
            var key = YamlNodes.keyName(t);
            var first = out.putIfAbsent(key, t);
            if (first != null) {
                throw fail(t.getKeyNode(), prefix + key, "is given twice (first at line "
                    + YamlNodes.line(first.getKeyNode()) + ")");
            }
        }
        return out;
    }

    /** A scalar field as text; null when absent or empty and optional. */
    private String text(NodeTuple tuple, String field, MappingNode owner, boolean required) {
        if (tuple == null || YamlNodes.isNull(tuple.getValueNode())) {
            if (required) {
                throw fail(tuple == null ? owner : tuple.getKeyNode(), field, "is required");
            }
            return null;
        }
        if (!(tuple.getValueNode() instanceof ScalarNode s)) {
            throw fail(tuple.getValueNode(), field, "must be a single value, not a list or mapping");
        }
        if (required && s.getValue().isBlank()) {
            throw fail(tuple.getValueNode(), field, "must not be empty");
        }
        return s.getValue().isBlank() ? null : s.getValue();
    }
}
