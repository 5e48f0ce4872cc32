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
}
