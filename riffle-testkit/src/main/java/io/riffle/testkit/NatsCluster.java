package io.riffle.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A real three-node NATS JetStream cluster on loopback: three {@code nats-server} processes with their own client,
 * route and monitoring ports and their own store directories, routed to each other. A test can SIGKILL one node and
 * start it again on the same ports and store, and ask the monitoring endpoint which node leads a stream. Every
 * instance hands out a unique stream prefix.
 */
public final class NatsCluster implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private final Path root;
    private final String prefix;
    private final List<Node> nodes = new ArrayList<>();

    /** One server of the cluster. */
    private static final class Node {
        final String name;
        final int clientPort;
        final int routePort;
        final int monitorPort;
        final Path store;
        Process process;

        Node(String name, int clientPort, int routePort, int monitorPort, Path store) {
            this.name = name;
            this.clientPort = clientPort;
            this.routePort = routePort;
            this.monitorPort = monitorPort;
            this.store = store;
        }
    }

    private NatsCluster(Path root) {
        this.root = root;
        this.prefix = "C" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).toUpperCase();
    }

    /** Starts three nodes and waits until the JetStream meta group has a leader. */
    public static NatsCluster start() {
        try {
            var cluster = new NatsCluster(Files.createTempDirectory("riffle-test-nats-cluster"));
            for (int i = 0; i < 3; i++) {
                var store = Files.createDirectories(cluster.root.resolve("n" + i));
                cluster.nodes.add(new Node("n" + i, freePort(), freePort(), freePort(), store));
            }
            try {
                for (int i = 0; i < 3; i++) {
                    cluster.launch(i);
                }
                cluster.awaitMetaLeader();
                return cluster;
            } catch (RuntimeException e) {
                cluster.close();
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** All three client URLs, comma-separated, as RIFFLE_NATS_URL takes them. */
    public String url() {
        return nodes.stream().map(n -> "nats://127.0.0.1:" + n.clientPort).collect(Collectors.joining(","));
    }

    /** A prefix unique to this instance, for stream names. */
    public String prefix() {
        return prefix;
    }

    /** Node names, {@code n0}, {@code n1}, {@code n2}. */
    public List<String> names() {
        return nodes.stream().map(n -> n.name).toList();
    }

    /** SIGKILL of one node (by name), keeping its store. */
    public void kill(String name) {
        var n = node(name);
        n.process.destroyForcibly();
        waitFor(n.process);
    }

    /** Starts a killed node again on the same ports and store, and waits until it accepts clients. */
    public void restart(String name) {
        var n = node(name);
        if (n.process.isAlive()) {
            kill(name);
        }
        launch(nodes.indexOf(n));
    }

    /** True while the node's process runs. */
    public boolean alive(String name) {
        return node(name).process.isAlive();
    }

    /** The name of the node that leads {@code stream} now, asked of any live node; empty when none knows. */
    public Optional<String> streamLeader(String stream) {
        for (var n : nodes) {
            if (!n.process.isAlive()) {
                continue;
            }
            var jsz = monitor(n, "/jsz?streams=true");
            if (jsz == null) {
                continue;
            }
            for (var account : jsz.path("account_details")) {
                for (var s : account.path("stream_detail")) {
                    if (s.path("name").asText().equals(stream)) {
                        var leader = s.path("cluster").path("leader").asText("");
                        if (!leader.isEmpty()) {
                            return Optional.of(leader);
                        }
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** The names of the live nodes that a client connection named {@code connectionName} is connected to now. */
    public List<String> nodesServing(String connectionName) {
        var out = new ArrayList<String>();
        for (var n : nodes) {
            if (!n.process.isAlive()) {
                continue;
            }
            var connz = monitor(n, "/connz?limit=1024");
            if (connz == null) {
                continue;
            }
            for (var c : connz.path("connections")) {
                if (c.path("name").asText().equals(connectionName)) {
                    out.add(n.name);
                    break;
                }
            }
        }
        return out;
    }

    /**
     * True when every live node has caught up with {@code stream}: the stream has a leader, and each replica is
     * current (not lagging behind the leader).
     */
    public boolean streamCurrent(String stream) {
        for (var n : nodes) {
            if (!n.process.isAlive()) {
                return false;
            }
        }
        var leader = streamLeader(stream);
        if (leader.isEmpty()) {
            return false;
        }
        var jsz = monitor(node(leader.get()), "/jsz?streams=true");
        if (jsz == null) {
            return false;
        }
        for (var account : jsz.path("account_details")) {
            for (var s : account.path("stream_detail")) {
                if (s.path("name").asText().equals(stream)) {
                    var replicas = s.path("cluster").path("replicas");
                    if (replicas.size() != nodes.size() - 1) {
                        return false;
                    }
                    for (var r : replicas) {
                        if (!r.path("current").asBoolean(false)) {
                            return false;
                        }
                    }
                    return true;
                }
            }
        }
        return false;
    }

    private Node node(String name) {
        return nodes.stream().filter(n -> n.name.equals(name)).findFirst()
            .orElseThrow(() -> new IllegalArgumentException("no node " + name));
    }

    private void launch(int index) {
        var n = nodes.get(index);
        var routes = nodes.stream().filter(o -> o != n).map(o -> "nats-route://127.0.0.1:" + o.routePort)
            .collect(Collectors.joining(","));
        var cmd = List.of(TestNats.findNatsServer(), "-a", "127.0.0.1", "-p", Integer.toString(n.clientPort),
            "-m", Integer.toString(n.monitorPort), "-js", "-sd", n.store.toString(), "--server_name", n.name,
            "--cluster_name", "riffle-test", "--cluster", "nats://127.0.0.1:" + n.routePort, "--routes", routes);
        try {
            n.process = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(root.resolve(n.name + ".log").toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start nats-server " + n.name, e);
        }
        var deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!n.process.isAlive()) {
                throw new IllegalStateException("nats-server " + n.name + " exited at start; see "
                    + root.resolve(n.name + ".log"));
            }
            try (var s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", n.clientPort), 200);
                return;
            } catch (IOException notYet) {
                sleep(50);
            }
        }
        throw new IllegalStateException("nats-server " + n.name + " did not listen within " + START_TIMEOUT);
    }

    private void awaitMetaLeader() {
        var deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            var jsz = monitor(nodes.getFirst(), "/jsz");
            if (jsz != null && !jsz.path("meta_cluster").path("leader").asText("").isEmpty()
                && jsz.path("meta_cluster").path("cluster_size").asInt() == nodes.size()) {
                return;
            }
            sleep(100);
        }
        throw new IllegalStateException("the NATS cluster elected no JetStream meta leader within " + START_TIMEOUT);
    }

    private static JsonNode monitor(Node n, String path) {
        try (var in = URI.create("http://127.0.0.1:" + n.monitorPort + path).toURL().openStream()) {
            return JSON.readTree(in);
        } catch (IOException e) {
            return null;
        }
    }

    /** The last lines of a node's log, for failure messages. */
    public String logTail(String name, int lines) {
        try {
            var all = Files.readAllLines(root.resolve(name + ".log"));
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void waitFor(Process p) {
        try {
            p.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        for (var n : nodes) {
            if (n.process != null && n.process.isAlive()) {
                n.process.destroy();
                waitFor(n.process);
                if (n.process.isAlive()) {
                    n.process.destroyForcibly();
                    waitFor(n.process);
                }
            }
        }
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp dir left behind is harmless
        }
    }
}
