package io.riffle.connectors.cloud;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Object keys of the {@code amazon_s3} sink. A key is a function of the batch's record ids only:
 * {@code <prefix><first id>--<last id>-<hash of all ids>.ndjson}, with a trailing number in an id zero-padded to 20
 * digits so that keys sort in delivery order. The same batch written twice lands on the same key.
 */
final class S3Keys {
    private static final Pattern UNSAFE = Pattern.compile("[^A-Za-z0-9._-]");
    private static final Pattern TRAILING_NUMBER = Pattern.compile("^(.*?)(\\d+)$");

    private S3Keys() {
    }

    /** The {@code s3_key} prefix as a folder: empty, or ending in {@code /}. */
    static String prefix(String s3Key) {
        var p = s3Key.strip();
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        return p.isEmpty() || p.endsWith("/") ? p : p + "/";
    }

    static String key(String prefix, List<String> ids) {
        if (ids.isEmpty()) {
            throw new IllegalArgumentException("a batch without records has no key");
        }
        return prefix + safe(ids.getFirst()) + "--" + safe(ids.getLast()) + "-" + hash(ids) + ".ndjson";
    }

    static String safe(String id) {
        var cleaned = UNSAFE.matcher(id).replaceAll("-");
        var m = TRAILING_NUMBER.matcher(cleaned);
        if (m.matches() && m.group(2).length() < 20) {
            return m.group(1) + "0".repeat(20 - m.group(2).length()) + m.group(2);
        }
        return cleaned;
    }

    private static String hash(List<String> ids) {
        try {
            var digest = MessageDigest.getInstance("SHA-256");
            for (var id : ids) {
                digest.update(id.getBytes(StandardCharsets.UTF_8));
                digest.update((byte) '\n');
            }
            return HexFormat.of().formatHex(digest.digest(), 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from the JDK", e);
        }
    }
}
