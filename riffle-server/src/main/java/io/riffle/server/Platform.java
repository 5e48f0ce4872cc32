package io.riffle.server;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.riffle.broker.JetStreamBroker;
import io.riffle.engine.Engine;
import io.riffle.runtime.FunctionRuntime;
import io.riffle.store.Database;

/**
 * The parts the API works with. {@code engine} is null when this process runs no engine (server-only mode).
 */
public record Platform(Database database, JetStreamBroker broker, FunctionRuntime runtime, Engine engine,
                       PrometheusMeterRegistry metrics) {
}
