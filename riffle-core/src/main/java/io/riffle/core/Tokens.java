package io.riffle.core;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.UUID;

/** Random identifiers and bearer secrets, and the hash under which secrets are stored. */
public final class Tokens {
    /** Prefix of personal access tokens, so that leaked ones are recognisable. */
    public static final String PERSONAL_PREFIX = "rfl_pat_";
    /** Prefix of pipeline access tokens. */
    public static final String PIPELINE_PREFIX = "rfl_pipe_";
    private static final char[] ALPHABET =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private Tokens() {
    }

    /** A new random id (UUID v4 text). */
    public static String newId() {
        return UUID.randomUUID().toString();
    }

    /** A new secret: {@code prefix} and 40 random base-62 characters (about 238 bits). */
    public static String newSecret(String prefix) {
        var sb = new StringBuilder(prefix.length() + 40).append(prefix);
        for (int i = 0; i < 40; i++) {
            sb.append(ALPHABET[RANDOM.nextInt(ALPHABET.length)]);
        }
        return sb.toString();
    }

    /**
     * SHA-256 of a secret, hex. Suitable for random secrets of 200+ bits only (never for passwords: those use a
     * slow KDF).
     */
    public static String hash(String secret) {
        try {
            var digest = MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
