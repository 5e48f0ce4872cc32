package io.riffle.connectors;

/**
 * One connector kind in one direction (for example the {@code postgres} source, or the {@code webhook} sink).
 * Implementations are found with {@link java.util.ServiceLoader} (a {@code META-INF/services} entry per module),
 * are stateless and thread-safe.
 */
public interface ConnectorFactory {
    /** The kind as written in {@code {"kind": ...}}, GlassFlow's name where GlassFlow had one. */
    String kind();

    Direction direction();

    /**
     * Checks the configuration without touching the network: required fields, types, value ranges.
     *
     * @throws io.riffle.core.InvalidInputException naming the field ({@link ConnectorConfig#invalid})
     */
    void validate(ConnectorConfig config);

    /**
     * Optionally checks, at create time, what can only be checked by connecting (host reachable, credentials
     * accepted, table present), within a few seconds. The default checks nothing.
     *
     * @throws io.riffle.core.InvalidInputException naming the field at fault
     */
    default void probe(ConnectorConfig config) {
    }

    /** A new source reading with {@code config}; called only for {@link Direction#SOURCE}. */
    default Source openSource(ConnectorConfig config) {
        throw new UnsupportedOperationException(kind() + " is not a source");
    }

    /** A new sink writing with {@code config}; called only for {@link Direction#SINK}. */
    default Sink openSink(ConnectorConfig config) {
        throw new UnsupportedOperationException(kind() + " is not a sink");
    }
}
