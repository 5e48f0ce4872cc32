package io.riffle.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free loopback ports for test servers that stop and start again on the same port. A port is taken below Linux's
 * ephemeral range (32768 and up), so that while the server is stopped no outgoing connection of this machine is
 * given it as its local port (which would make the restart fail with "Address already in use").
 */
final class Ports {
    private Ports() {
    }

    static int free() {
        var random = ThreadLocalRandom.current();
        IOException last = null;
        for (int attempt = 0; attempt < 50; attempt++) {
            try (var socket = new ServerSocket()) {
                socket.setReuseAddress(true);
                socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), random.nextInt(20_000, 32_000)));
                return socket.getLocalPort();
            } catch (IOException e) {
                last = e;
            }
        }
        throw new UncheckedIOException("no free loopback port below 32000", last);
    }
}
