package io.riffle.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP forwarder on a loopback port in front of a real service (Redis, RabbitMQ, an MQTT broker), so a test can
 * make the service "go away" for one client without stopping the shared server: {@link #stop()} closes the
 * listening socket and every forwarded connection; {@link #start()} listens again on the same port. Thread-safe.
 */
public final class TcpProxy implements AutoCloseable {
    /** How long {@link #start()} retries a port that is still held by connections just cut. */
    public static final Duration REBIND_TIMEOUT = Duration.ofSeconds(10);
    private final String targetHost;
    private final int targetPort;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile int port;
    private volatile ServerSocket server;
    private volatile boolean blackholed;

    private TcpProxy(String targetHost, int targetPort) {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
    }

    /**
     * A started proxy on a free loopback port forwarding to {@code targetHost:targetPort}. The port is taken below
     * Linux's ephemeral range (32768 and up), so that while the proxy is stopped no outgoing connection of this
     * machine is given it as its local port and {@link #start()} can listen on it again.
     */
    public static TcpProxy start(String targetHost, int targetPort) {
        var proxy = new TcpProxy(targetHost, targetPort);
        var random = java.util.concurrent.ThreadLocalRandom.current();
        UncheckedIOException last = null;
        for (int attempt = 0; attempt < 50; attempt++) {
            proxy.port = random.nextInt(20_000, 32_000);
            try {
                proxy.start();
                return proxy;
            } catch (UncheckedIOException e) {
                last = e;
            }
        }
        throw last;
    }

    /** The loopback port clients connect to; stays the same across {@link #stop()} and {@link #start()}. */
    public int port() {
        return port;
    }

    /**
     * Listens (again) on {@link #port()}; a no-op when already listening. Retries binding for up to
     * {@link #REBIND_TIMEOUT}: the connections just cut may hold the port for a moment.
     */
    public synchronized void start() {
        if (server != null) {
            return;
        }
        long deadline = System.nanoTime() + REBIND_TIMEOUT.toNanos();
        while (true) {
            try {
                var s = new ServerSocket();
                s.setReuseAddress(true);
                try {
                    s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                } catch (IOException e) {
                    s.close();
                    throw e;
                }
                port = s.getLocalPort();
                server = s;
                Thread.ofVirtual().name("tcp-proxy-" + port).start(() -> accept(s));
                return;
            } catch (IOException e) {
                if (port == 0 || System.nanoTime() > deadline) {
                    throw new UncheckedIOException("tcp proxy: cannot listen on port " + port, e);
                }
                pause();
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while rebinding", e);
        }
    }

    /**
     * A network partition: connections stay open and new ones are accepted, but no byte gets through in either
     * direction (what is sent is dropped). Unlike {@link #stop()}, nobody is told: clients wait for their timeouts.
     */
    public void blackhole() {
        blackholed = true;
    }

    /** Ends a {@link #blackhole()}: cuts the connections it left half-dead and forwards new ones again. */
    public void heal() {
        stop();
        blackholed = false;
        start();
    }

    /** Stops listening and cuts every forwarded connection, as if the service went down. */
    public synchronized void stop() {
        var s = server;
        server = null;
        if (s != null) {
            closeQuietly(s);
        }
        sockets.forEach(TcpProxy::closeQuietly);
        sockets.clear();
    }

    @Override
    public void close() {
        stop();
    }

    private void accept(ServerSocket s) {
        while (!s.isClosed()) {
            Socket client;
            try {
                client = s.accept();
            } catch (IOException e) {
                continue; // closed by stop()
            }
            if (!track(s, client)) {
                continue;
            }
            if (blackholed) {
                Thread.ofVirtual().start(() -> pump(client, null));
                continue;
            }
            try {
                var upstream = new Socket(targetHost, targetPort);
                if (!track(s, upstream)) {
                    closeQuietly(client);
                    continue;
                }
                Thread.ofVirtual().start(() -> pump(client, upstream));
                Thread.ofVirtual().start(() -> pump(upstream, client));
            } catch (IOException e) {
                closeQuietly(client); // the target refused: the client sees its connection closed
            }
        }
    }

    /**
     * Registers a forwarded socket so that {@link #stop()} cuts it; under the same lock as {@code stop()}, so a
     * connection accepted while the proxy stops is closed at once instead of keeping the port bound.
     */
    private synchronized boolean track(ServerSocket listening, Socket socket) {
        if (server != listening) {
            closeQuietly(socket);
            return false;
        }
        sockets.add(socket);
        return true;
    }

    private void pump(Socket from, Socket to) {
        var buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream();
             OutputStream out = to == null ? OutputStream.nullOutputStream() : to.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                if (!blackholed) {
                    out.write(buffer, 0, n);
                    out.flush();
                }
            }
        } catch (IOException e) {
            // either side closed
        } finally {
            closeQuietly(from);
            sockets.remove(from);
            if (to != null) {
                closeQuietly(to);
                sockets.remove(to);
            }
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // closing anyway
        }
    }
}
