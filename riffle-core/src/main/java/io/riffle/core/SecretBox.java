package io.riffle.core;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts short secrets (pipeline tokens, secret values) with AES-256-GCM under the master key.
 * Output: {@code v1:} and base64 of (12-byte nonce, ciphertext and tag). Thread-safe.
 */
public final class SecretBox {
    private static final String VERSION = "v1:";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private final SecretKeySpec key;
    private final SecureRandom random = new SecureRandom();

    private SecretBox(byte[] key) {
        if (key.length != 32) {
            throw new InvalidInputException("master key must be 32 bytes (base64 of 32 random bytes); got "
                + key.length + " bytes");
        }
        this.key = new SecretKeySpec(key, "AES");
    }

    /** A box under a 32-byte key. */
    public static SecretBox create(byte[] key) {
        return new SecretBox(key.clone());
    }

    /** A fresh random 32-byte key, base64. */
    public static String newKey() {
        var bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    public String encrypt(String plaintext) {
        try {
            var nonce = new byte[NONCE_BYTES];
            random.nextBytes(nonce);
            var cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            var sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            var out = ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array();
            return VERSION + Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new RiffleException("encryption failed", e);
        }
    }

    /** @throws RiffleException when the text was not sealed under this key (wrong master key or corrupt data) */
    public String decrypt(String sealedText) {
        if (sealedText == null || !sealedText.startsWith(VERSION)) {
            throw new RiffleException("not a Riffle ciphertext");
        }
        try {
            var all = Base64.getDecoder().decode(sealedText.substring(VERSION.length()));
            var cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, all, 0, NONCE_BYTES));
            return new String(cipher.doFinal(all, NONCE_BYTES, all.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new RiffleException("cannot decrypt a stored secret: the master key (RIFFLE_MASTER_KEY or "
                + "master.key in the data dir) is not the one it was encrypted with", e);
        }
    }
}
