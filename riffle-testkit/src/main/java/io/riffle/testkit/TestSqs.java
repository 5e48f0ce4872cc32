package io.riffle.testkit;

import java.net.URI;
import java.util.concurrent.locks.ReentrantLock;
import org.elasticmq.NodeAddress;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;

/**
 * An SQS-compatible server (ElasticMQ) in this JVM on a free loopback port; queues live in memory. {@link #stop()}
 * and {@link #start()} take it away and bring it back on the same port (queues are then empty). Needs
 * {@code org.elasticmq:elasticmq-rest-sqs_2.13} on the test class path (an optional dependency of this module).
 */
public final class TestSqs implements AutoCloseable {
    /** ElasticMQ accepts any credentials; these are the ones tests pass. */
    public static final String ACCESS_KEY = "x";
    public static final String SECRET_KEY = "x";
    public static final String REGION = "elasticmq";
    private final ReentrantLock lock = new ReentrantLock();
    private final int port;
    private SQSRestServer server;

    public TestSqs() {
        this.port = Ports.free();
        start();
    }

    /** Starts the server (again) on its port. */
    public void start() {
        lock.lock();
        try {
            if (server == null) {
                server = SQSRestServerBuilder.withPort(port).withInterface("127.0.0.1")
                    .withServerAddress(new NodeAddress("http", "127.0.0.1", port, ""))
                    .withAWSRegion(REGION).start();
                server.waitUntilStarted();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Stops the server; clients then get connection refused. */
    public void stop() {
        lock.lock();
        try {
            if (server != null) {
                server.stopAndWait();
                server = null;
            }
        } finally {
            lock.unlock();
        }
    }

    /** The endpoint to give an SQS client, {@code http://127.0.0.1:<port>}. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** The URL a queue named {@code name} has on this server. */
    public String queueUrl(String name) {
        return endpoint() + "/000000000000/" + name;
    }

    @Override
    public void close() {
        stop();
    }
}
