package io.riffle.cli;

import java.util.Optional;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.Tag;

/** Small helpers over SnakeYAML's node tree, which keeps the line of every node. */
final class YamlNodes {
    private YamlNodes() {
    }

    /** 1-based line where the node starts. */
    static int line(Node node) {
        return node.getStartMark().getLine() + 1;
    }

    static Optional<NodeTuple> entry(MappingNode map, String key) {
        return map.getValue().stream()
            .filter(t -> t.getKeyNode() instanceof ScalarNode k && key.equals(k.getValue()))
            .findFirst();
    }

    static boolean isNull(Node node) {
        return node == null || node instanceof ScalarNode s && Tag.NULL.equals(s.getTag());
    }

    static String keyName(NodeTuple t) {
        return t.getKeyNode() instanceof ScalarNode k ? k.getValue() : "?";
    }

    /** The node as JSON: scalars by their YAML tag (int, float, bool, null, else text), lists, mappings. */
    static com.fasterxml.jackson.databind.JsonNode json(Node node) {
        var f = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance;
        if (node instanceof MappingNode map) {
            var o = f.objectNode();
            map.getValue().forEach(t -> o.set(keyName(t), json(t.getValueNode())));
            return o;
        }
        if (node instanceof org.yaml.snakeyaml.nodes.SequenceNode seq) {
            var a = f.arrayNode();
            seq.getValue().forEach(n -> a.add(json(n)));
            return a;
        }
        var s = (ScalarNode) node;
        var text = s.getValue();
        try {
            if (Tag.NULL.equals(s.getTag())) {
                return f.nullNode();
            }
            if (Tag.BOOL.equals(s.getTag())) {
                return f.booleanNode(Boolean.parseBoolean(text.toLowerCase(java.util.Locale.ROOT)));
            }
            if (Tag.INT.equals(s.getTag())) {
                // the node types Jackson gives the same number parsed from JSON, so that trees compare equal
                var n = new java.math.BigInteger(text.replace("_", ""));
                return n.bitLength() < 32 ? f.numberNode(n.intValue()) : n.bitLength() < 64
                    ? f.numberNode(n.longValue()) : f.numberNode(n);
            }
            if (Tag.FLOAT.equals(s.getTag())) {
                return f.numberNode(Double.parseDouble(text.replace("_", "")));
            }
        } catch (NumberFormatException e) {
            return f.textNode(text);
        }
        return f.textNode(text);
    }
}
