package io.riffle.client;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** A {@code multipart/form-data} body (RFC 7578) of text fields and file parts, built in memory. */
final class Multipart {
    private final String boundary;
    private final List<Part> parts = new ArrayList<>();

    private record Part(String name, String filename, String contentType, byte[] content) {
    }

    Multipart(String boundary) {
        if (boundary.isEmpty() || boundary.length() > 70) {
            throw new IllegalArgumentException("a multipart boundary has 1 to 70 characters");
        }
        this.boundary = boundary;
    }

    static Multipart create() {
        return new Multipart("riffle-" + UUID.randomUUID().toString().replace("-", ""));
    }

    Multipart field(String name, String value) {
        parts.add(new Part(name, null, null, value.getBytes(StandardCharsets.UTF_8)));
        return this;
    }

    Multipart file(String name, String filename, String contentType, byte[] content) {
        parts.add(new Part(name, filename, contentType, content));
        return this;
    }

    String contentType() {
        return "multipart/form-data; boundary=" + boundary;
    }

    byte[] body() {
        var out = new ByteArrayOutputStream();
        for (var p : parts) {
            write(out, "--" + boundary + "\r\n");
            var disposition = "Content-Disposition: form-data; name=\"" + escape(p.name()) + "\"";
            if (p.filename() != null) {
                disposition += "; filename=\"" + escape(p.filename()) + "\"";
            }
            write(out, disposition + "\r\n");
            if (p.contentType() != null) {
                write(out, "Content-Type: " + p.contentType() + "\r\n");
            }
            write(out, "\r\n");
            out.writeBytes(p.content());
            write(out, "\r\n");
        }
        write(out, "--" + boundary + "--\r\n");
        return out.toByteArray();
    }

    /** Quotes and line breaks cannot appear raw in a quoted header parameter (RFC 7578 §4.2 percent-encodes them). */
    private static String escape(String s) {
        return s.replace("\"", "%22").replace("\r", "%0D").replace("\n", "%0A");
    }

    private static void write(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
    }
}
