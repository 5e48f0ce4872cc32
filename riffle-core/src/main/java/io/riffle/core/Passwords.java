package io.riffle.core;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Password hashing with PBKDF2-HMAC-SHA256 (JDK only). The stored text carries its parameters,
 * {@code pbkdf2-sha256$<iterations>$<base64 salt>$<base64 hash>}, so the work factor can be raised later while
 * old hashes still verify. Thread-safe.
 */
public final class Passwords {
    /** OWASP's 2023 recommendation for PBKDF2-HMAC-SHA256. */
    public static final int ITERATIONS = 210_000;
    public static final int SALT_BYTES = 16;
    public static final int MIN_LENGTH = 8;
    private static final int HASH_BITS = 256;
    private static final String SCHEME = "pbkdf2-sha256";
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Verified against when a user has no password, so that the answer takes as long as a real check. */
    private static final String DUMMY = hash("not a real password, only burns time", ITERATIONS);

    private Passwords() {
    }

    /**
     * A new salted hash of {@code password}.
     *
     * @throws InvalidInputException when the password is shorter than {@link #MIN_LENGTH}
     */
    public static String hash(String password) {
        if (password == null || password.length() < MIN_LENGTH) {
            throw new InvalidInputException("password must have at least " + MIN_LENGTH + " characters");
        }
        return hash(password, ITERATIONS);
    }

    static String hash(String password, int iterations) {
        var salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        var b64 = Base64.getEncoder().withoutPadding();
        return SCHEME + "$" + iterations + "$" + b64.encodeToString(salt) + "$"
            + b64.encodeToString(derive(password, salt, iterations));
    }

    /**
     * True when {@code password} matches {@code stored}. A null or malformed {@code stored} takes as long as a real
     * check and answers false, so callers need not branch on whether a user exists.
     */
    public static boolean verify(String password, String stored) {
        var parts = stored == null ? new String[0] : stored.split("\\$");
        if (parts.length != 4 || !parts[0].equals(SCHEME) || password == null) {
            verify("x", DUMMY);
            return false;
        }
        try {
            int iterations = Integer.parseInt(parts[1]);
            var salt = Base64.getDecoder().decode(parts[2]);
            var expected = Base64.getDecoder().decode(parts[3]);
            if (iterations < 1 || iterations > 10_000_000) {
                return false;
            }
            return MessageDigest.isEqual(derive(password, salt, iterations), expected);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** True when {@code stored} uses fewer iterations than {@link #ITERATIONS} and should be re-hashed. */
    public static boolean needsRehash(String stored) {
        var parts = stored.split("\\$");
        return parts.length != 4 || !parts[0].equals(SCHEME) || Integer.parseInt(parts[1]) < ITERATIONS;
    }

    private static byte[] derive(String password, byte[] salt, int iterations) {
        var chars = password.toCharArray();
        var spec = new PBEKeySpec(chars, salt, iterations, HASH_BITS);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is missing from this JDK", e);
        } finally {
            spec.clearPassword();
            Arrays.fill(chars, '\0');
        }
    }
}
