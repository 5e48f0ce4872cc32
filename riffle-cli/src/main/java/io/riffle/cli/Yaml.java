package io.riffle.cli;

import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Represent;
import org.yaml.snakeyaml.representer.Representer;

/** YAML output in block style, multi-line strings (function sources) as literal {@code |} blocks. */
final class Yaml {
    private Yaml() {
    }

    static String dump(Object value) {
        var options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setIndicatorIndent(2);
        options.setIndentWithIndicator(true);
        options.setWidth(120);
        return new org.yaml.snakeyaml.Yaml(new LiteralRepresenter(options), options).dump(value);
    }

    private static final class LiteralRepresenter extends Representer {
        LiteralRepresenter(DumperOptions options) {
            super(options);
            var plain = this.representers.get(String.class);
            this.representers.put(String.class, new Represent() {
                @Override
                public Node representData(Object data) {
                    var s = (String) data;
                    if (s.indexOf('\n') >= 0) {
                        return representScalar(Tag.STR, s, DumperOptions.ScalarStyle.LITERAL);
                    }
                    return plain.representData(data);
                }
            });
        }
    }
}
