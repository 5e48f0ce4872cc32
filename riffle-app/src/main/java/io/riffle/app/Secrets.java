package io.riffle.app;

import io.riffle.core.InvalidInputException;
import io.riffle.core.RiffleException;
import io.riffle.core.SecretBox;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;

/** Files under the data dir that hold secrets: created with mode 0600, never printed. */
final class Secrets {
    private Secrets() {
    }

    /** The master key from {@code RIFFLE_MASTER_KEY}, else from {@code master.key}, created on first start. */
    static SecretBox masterKey(AppConfig config) {
        var text = config.masterKey();
        if (text == null) {
            var file = config.dataDir().resolve("master.key");
            if (!Files.exists(file)) {
                writePrivate(file, SecretBox.newKey() + "\n");
            }
            text = read(file).trim();
        }
        try {
            return SecretBox.create(Base64.getDecoder().decode(text.trim()));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("RIFFLE_MASTER_KEY (or master.key) must be base64 of 32 random bytes, "
                + "e.g. from: openssl rand -base64 32");
        }
    }

    static void writePrivate(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            var tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(tmp, content);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new RiffleException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** {@code bytes} random bytes from a strong source, as lower-case hex (safe in URLs and config files). */
    static String randomHex(int bytes) {
        var random = new byte[bytes];
        new java.security.SecureRandom().nextBytes(random);
        return java.util.HexFormat.of().formatHex(random);
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new RiffleException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
