package io.riffle.connectors.messaging;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;

/**
 * A Mosquitto of the test's own on a free loopback port that requires one user's password (the shared broker on
 * 1883 allows anonymous clients, so refused credentials can only be tested here).
 */
final class PrivateMosquitto implements AutoCloseable {
    static final Path MOSQUITTO = Path.of("/usr/sbin/mosquitto");
    static final Path PASSWD = Path.of("/usr/bin/mosquitto_passwd");
    private final Path dir;
    private final Process process;
    private final int port;

    private PrivateMosquitto(Path dir, Process process, int port) {
        this.dir = dir;
        this.process = process;
        this.port = port;
    }

    static boolean installed() {
        return Files.isExecutable(MOSQUITTO) && Files.isExecutable(PASSWD);
    }

    /** Starts a broker that accepts only {@code user} with {@code password}, and waits until it listens. */
    static PrivateMosquitto start(String user, String password) throws Exception {
        var dir = Files.createTempDirectory("riffle-test-mosquitto");
        var passwords = dir.resolve("passwords");
        var made = new ProcessBuilder(PASSWD.toString(), "-b", "-c", passwords.toString(), user, password)
            .inheritIO().start();
        if (made.waitFor() != 0) {
            throw new IllegalStateException("mosquitto_passwd failed: " + made.exitValue());
        }
        int port = RedisStreamIT.freePort();
        var conf = dir.resolve("mosquitto.conf");
        Files.writeString(conf, "listener " + port + " 127.0.0.1\nallow_anonymous false\npassword_file " + passwords
            + "\npersistence false\n");
        // started as root, mosquitto drops to its own user, which must be able to read the password file
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(passwords, PosixFilePermissions.fromString("rw-r--r--"));
        var process = new ProcessBuilder(MOSQUITTO.toString(), "-c", conf.toString()).redirectErrorStream(true)
            .redirectOutput(dir.resolve("log").toFile()).start();
        var broker = new PrivateMosquitto(dir, process, port);
        try {
            Harness.await("the private mosquitto listening", Duration.ofSeconds(30), broker::listening);
            return broker;
        } catch (RuntimeException | Error e) {
            broker.close();
            throw e;
        }
    }

    int port() {
        return port;
    }

    private boolean listening() {
        if (!process.isAlive()) {
            throw new AssertionError("mosquitto exited: " + log());
        }
        try (var socket = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private String log() {
        try {
            return Files.readString(dir.resolve("log"));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        process.waitFor(10, TimeUnit.SECONDS);
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
