package io.riffle.connectors;

import com.fasterxml.jackson.databind.JsonNode;
import io.riffle.core.InvalidInputException;
import io.riffle.core.SecretResolver;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * The connector kinds on the class path, found through {@link ServiceLoader}. Immutable, thread-safe.
 */
public final class ConnectorRegistry {
    private final Map<String, ConnectorFactory> sources;
    private final Map<String, ConnectorFactory> sinks;

    private ConnectorRegistry(List<ConnectorFactory> factories) {
        var src = new TreeMap<String, ConnectorFactory>();
        var snk = new TreeMap<String, ConnectorFactory>();
        for (var f : factories) {
            var target = f.direction() == Direction.SOURCE ? src : snk;
            var previous = target.putIfAbsent(f.kind(), f);
            if (previous != null) {
                throw new IllegalStateException("two " + f.direction() + " connectors named " + f.kind() + ": "
                    + previous.getClass().getName() + " and " + f.getClass().getName());
            }
        }
        this.sources = Map.copyOf(src);
        this.sinks = Map.copyOf(snk);
    }

    /** The kinds on the class path. */
    public static ConnectorRegistry load() {
        return of(ServiceLoader.load(ConnectorFactory.class).stream().map(ServiceLoader.Provider::get).toList());
    }

    /** A registry of exactly these factories (tests). */
    public static ConnectorRegistry of(List<ConnectorFactory> factories) {
        return new ConnectorRegistry(factories);
    }

    /** The kinds available in {@code direction}, sorted. */
    public List<String> kinds(Direction direction) {
        return (direction == Direction.SOURCE ? sources : sinks).keySet().stream().sorted().toList();
    }

    /**
     * The factory for the connector JSON {@code connector} in {@code direction}.
     *
     * @throws InvalidInputException naming the field when the kind is unknown
     */
    public ConnectorFactory factory(Direction direction, JsonNode connector) {
        var config = ConnectorConfig.of(direction, connector, null);
        var factory = (direction == Direction.SOURCE ? sources : sinks).get(config.kind());
        if (factory == null) {
            throw new InvalidInputException(direction.field() + ".kind: '" + config.kind() + "' is not a "
                + direction.name().toLowerCase(java.util.Locale.ROOT) + " connector kind; available: "
                + String.join(", ", kinds(direction)));
        }
        return factory;
    }

    /**
     * Checks a connector as sent to the API: its kind exists and its fields validate; with {@code probe}, also
     * what can be checked by connecting.
     *
     * @throws InvalidInputException naming the field at fault
     */
    public void check(Direction direction, JsonNode connector, SecretResolver secrets, boolean probe) {
        var factory = factory(direction, connector);
        var config = ConnectorConfig.of(direction, connector, secrets);
        factory.validate(config);
        if (probe) {
            factory.probe(config);
        }
    }
}
