package io.riffle.runtime;

import io.riffle.core.RiffleException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.UUID;

/** The Python harness {@code riffle_runtime.py}, copied from the classpath to disk so CPython can run it. */
final class Harness {
    private static final String RESOURCE = "riffle_runtime.py";

    private Harness() {
    }

    /**
     * Writes the harness to {@code <dataDir>/runtime/riffle_runtime-<sha256 prefix>.py} unless an identical copy is
     * there already, and returns the file. Safe to call concurrently (the copy is written atomically).
     */
    static Path extract(Path dataDir) {
        byte[] content = Content.BYTES;
        Path dir = dataDir.resolve("runtime");
        Path file = dir.resolve("riffle_runtime-" + sha256(content).substring(0, 16) + ".py");
        try {
            if (Files.isRegularFile(file) && Arrays.equals(Files.readAllBytes(file), content)) {
                return file;
            }
            Files.createDirectories(dir);
            writeAtomically(file, content);
            return file;
        } catch (IOException e) {
            throw new RiffleException("cannot write the Python harness to " + file, e);
        }
    }

    /** For workers started without a data directory: a copy under the temporary directory. */
    static Path extractToTemp() {
        return extract(Path.of(System.getProperty("java.io.tmpdir"), "riffle-" + System.getProperty("user.name")));
    }

    static void writeAtomically(Path file, byte[] content) throws IOException {
        Path temp = file.resolveSibling(file.getFileName() + ".tmp-" + UUID.randomUUID());
        try {
            Files.write(temp, content);
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static final class Content {
        static final byte[] BYTES = read();
    }

    private static byte[] read() {
        try (InputStream in = Harness.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("classpath resource io/riffle/runtime/" + RESOURCE + " is missing");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
