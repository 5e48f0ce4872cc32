package io.riffle.app;

import java.util.regex.Pattern;

/** Removes credentials from connection strings before they are printed or logged. */
final class Redact {
    private static final Pattern USER_INFO = Pattern.compile("(?<=://)[^/@,]+@");
    private static final Pattern PASSWORD_PARAM = Pattern.compile("(?i)(password=)[^&;]*");

    private Redact() {
    }

    /** {@code nats://riffle:secret@host:4222} becomes {@code nats://***@host:4222}; {@code password=} values too. */
    static String url(String url) {
        if (url == null) {
            return null;
        }
        return PASSWORD_PARAM.matcher(USER_INFO.matcher(url).replaceAll("***@")).replaceAll("$1***");
    }
}
