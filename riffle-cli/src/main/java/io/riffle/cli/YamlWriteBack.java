package io.riffle.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * Writes {@code pipeline_id} and {@code space_id} into a {@code pipeline.yaml} as GlassFlow's pipelines action does,
 * editing only those lines: comments, order and formatting of everything else stay as they were.
 */
final class YamlWriteBack {
    /** Where a missing key goes: after the last of these that the file has. */
    private static final List<String> ORDER = List.of("name", "pipeline_id", "space_id");
    private static final Pattern PLAIN_SAFE = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]*|"
        + "(?=.*[a-fA-F])[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private YamlWriteBack() {
    }

    /**
     * The text with each top-level key set to its value (null or "" = empty), keys in {@code values}' order.
     *
     * @throws CliException when the file's top level is not a block mapping (nothing can be edited safely)
     */
    static String set(String text, Path file, Map<String, String> values) {
        var result = text;
        for (var e : values.entrySet()) {
            result = setOne(result, file, e.getKey(), e.getValue() == null ? "" : e.getValue());
        }
        return result;
    }

    static Map<String, String> ids(String pipelineId, String spaceId) {
        var m = new LinkedHashMap<String, String>();
        m.put("pipeline_id", pipelineId);
        m.put("space_id", spaceId);
        return m;
    }

    private static String setOne(String text, Path file, String key, String value) {
        var root = PipelineYaml.compose(text, file);
        if (root.getFlowStyle() == DumperOptions.FlowStyle.FLOW) {
            throw new CliException(file + ": cannot write " + key + " back into a flow-style mapping ({...}); "
                + "set " + key + ": " + value + " by hand");
        }
        var lines = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
        var existing = YamlNodes.entry(root, key);
        var rendered = key + ":" + (value.isEmpty() ? "" : " " + quote(value));
        if (existing.isPresent()) {
            var t = existing.get();
            int line = t.getKeyNode().getStartMark().getLine();
            if (!(t.getValueNode() instanceof ScalarNode v) || v.getEndMark().getLine() != line
                && !YamlNodes.isNull(v)) {
                throw new CliException(file + ":" + (line + 1) + ": " + key + ": cannot write back into a multi-line "
                    + "value; make it a single line");
            }
            var old = lines.get(line);
            boolean cr = old.endsWith("\r");
            var indent = old.substring(0, old.length() - old.stripLeading().length());
            var comment = comment(old.substring(old.indexOf(':') + 1));
            lines.set(line, indent + rendered + (comment == null ? "" : "  " + comment) + (cr ? "\r" : ""));
        } else {
            int at = insertionLine(root);
            var indent = " ".repeat(root.getStartMark().getColumn());
            boolean cr = !lines.isEmpty() && lines.getFirst().endsWith("\r");
            lines.add(at, indent + rendered + (cr ? "\r" : ""));
        }
        return String.join("\n", lines);
    }

    private static int insertionLine(MappingNode root) {
        int at = root.getStartMark().getLine();
        for (var key : ORDER) {
            var t = YamlNodes.entry(root, key);
            if (t.isPresent()) {
                var end = t.get().getValueNode().getEndMark();
                at = end.getColumn() == 0 ? end.getLine() : end.getLine() + 1;
            }
        }
        return at;
    }

    /** A trailing {@code # comment} of a plain single-line value, or null. */
    private static String comment(String rest) {
        for (int i = 0; i < rest.length(); i++) {
            if (rest.charAt(i) == '#' && (i == 0 || Character.isWhitespace(rest.charAt(i - 1)))) {
                return rest.substring(i).strip();
            }
        }
        return null;
    }

    private static String quote(String value) {
        if (PLAIN_SAFE.matcher(value).matches() && !List.of("true", "false", "null", "yes", "no", "on", "off")
            .contains(value.toLowerCase(java.util.Locale.ROOT))) {
            return value;
        }
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
