package io.riffle.cli;

import java.io.PrintStream;
import java.util.function.Consumer;
import picocli.CommandLine.Option;

/** {@code -o table|json|yaml}: how a command prints its answer. */
final class OutputOptions {
    enum Format { table, json, yaml }

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
        description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Format format = Format.table;

    /** Prints {@code value} as JSON or YAML, or hands it to {@code table} for the human format. */
    void print(PrintStream out, Object value, Consumer<PrintStream> table) {
        switch (format) {
            case json -> out.println(Json.pretty(value));
            case yaml -> out.print(Yaml.dump(Json.MAPPER.convertValue(Json.tree(value), Object.class)));
            case table -> table.accept(out);
        }
    }

    boolean human() {
        return format == Format.table;
    }
}
