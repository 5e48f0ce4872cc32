package io.riffle.server;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.riffle.broker.JetStreamBroker;
import io.riffle.connectors.ConnectorRegistry;
import io.riffle.engine.Engine;
import io.riffle.runtime.FunctionRuntime;
import io.riffle.store.Database;

/**
 * The parts the API works with. {@code engine} is null when this process runs no engine (server-only mode).
 * {@code connectors} are the connector kinds this process accepts in {@code source_connector}/{@code sink_connector}.
 */
public record Platform(Database database, JetStreamBroker broker, FunctionRuntime runtime, Engine engine,
                       PrometheusMeterRegistry metrics, ConnectorRegistry connectors) {
    /** With the connector kinds found on the class path ({@link ConnectorRegistry#load()}). */
    public Platform(Database database, JetStreamBroker broker, FunctionRuntime runtime, Engine engine,
                    PrometheusMeterRegistry metrics) {
        this(database, broker, runtime, engine, metrics, ConnectorRegistry.load());
    }
}
