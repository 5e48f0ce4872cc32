package io.riffle.connectors;

/** Which side of a pipeline a connector sits on. */
public enum Direction {
    /** Feeds the pipeline's input stream from an external system ({@code source_connector}). */
    SOURCE("source_connector"),
    /** Drains the pipeline's output stream into an external system ({@code sink_connector}). */
    SINK("sink_connector");

    private final String field;

    Direction(String field) {
        this.field = field;
    }

    /** The pipeline field that holds a connector of this direction, as named in the API and error messages. */
    public String field() {
        return field;
    }
}
