package io.riffle.testkit;

import com.robothy.s3.rest.LocalS3;
import com.robothy.s3.rest.bootstrap.LocalS3Mode;
import java.net.URI;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An S3-compatible server (robothy local-s3) in this JVM on a free loopback port, objects in memory, path-style
 * addressing. Any credentials are accepted. {@link #stop()} and {@link #start()} take it away and bring it back
 * on the same port (empty). Needs {@code io.github.robothy:local-s3-rest} on the test class path (an optional
 * dependency of this module).
 */
public final class TestS3 implements AutoCloseable {
    public static final String ACCESS_KEY = "x";
    public static final String SECRET_KEY = "x";
    public static final String REGION = "us-east-1";
    private final ReentrantLock lock = new ReentrantLock();
    private final int port;
    private LocalS3 server;

    public TestS3() {
        this.port = Ports.free();
        start();
    }

    /** Starts the server (again) on its port. */
    public void start() {
        lock.lock();
        try {
            if (server == null) {
                server = LocalS3.builder().port(port).mode(LocalS3Mode.IN_MEMORY).build();
                server.start();
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
                server.shutdown();
                server = null;
            }
        } finally {
            lock.unlock();
        }
    }

    /** The endpoint to give an S3 client (with path-style addressing). */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    @Override
    public void close() {
        stop();
    }
}
