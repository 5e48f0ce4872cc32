package io.riffle.it;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, byte for byte as given: what {@link java.net.http.HttpClient} refuses to send (CR/LF
 * in header values, invalid UTF-8 in the request line, any Content-Type with any body) is exactly what a hostile
 * client sends. One request per connection ({@code Connection: close}).
 */
final class RawHttp {
    static final int READ_TIMEOUT_MS = 60_000;
    private static final int MAX_BODY = 4 << 20;

    private RawHttp() {
    }

    /** One answer: status, headers (lower-case names; the last of repeated ones) and the body as text. */
    record Answer(int status, Map<String, String> headers, String body, byte[] rawHead) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        boolean json() {
            return header("content-type") != null && header("content-type").startsWith("application/json");
        }

        @Override
        public String toString() {
            return "HTTP " + status + " " + (body.length() > 300 ? body.substring(0, 300) + "..." : body);
        }
    }

    /**
     * Sends {@code method target} with the given raw header lines (each without its CRLF; may contain anything) and
     * body, and reads the answer. An event stream is closed once its head is read.
     */
    static Answer send(int port, byte[] method, byte[] target, Map<String, byte[]> headers, byte[] body) {
        try (var socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(READ_TIMEOUT_MS);
            var out = new ByteArrayOutputStream();
            out.write(method);
            out.write(' ');
            out.write(target);
            out.write(" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n".getBytes(StandardCharsets.US_ASCII));
            for (var h : headers.entrySet()) {
                out.write(h.getKey().getBytes(StandardCharsets.ISO_8859_1));
                out.write(": ".getBytes(StandardCharsets.US_ASCII));
                out.write(h.getValue());
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            if (body != null) {
                out.write(("Content-Length: " + body.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            }
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            if (body != null) {
                out.write(body);
            }
            try {
                socket.getOutputStream().write(out.toByteArray());
                socket.getOutputStream().flush();
            } catch (IOException refusedMidway) {
                // the server may answer (e.g. 413) and close before the whole body is sent; read what it said
            }
            return read(new BufferedInputStream(socket.getInputStream()));
        } catch (IOException e) {
            throw new UncheckedIOException(new String(method, StandardCharsets.ISO_8859_1) + " "
                + new String(target, 0, Math.min(200, target.length), StandardCharsets.ISO_8859_1), e);
        }
    }

    private static Answer read(InputStream in) throws IOException {
        var head = new ByteArrayOutputStream();
        int last4 = 0;
        int b;
        while (last4 != 0x0d0a0d0a && (b = in.read()) >= 0) {
            head.write(b);
            last4 = (last4 << 8) | b;
        }
        var lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        if (lines.length == 0 || !lines[0].startsWith("HTTP/1.")) {
            throw new IOException("no HTTP status line: " + (lines.length == 0 ? "" : lines[0]));
        }
        int status = Integer.parseInt(lines[0].substring(9, 12));
        var headers = new LinkedHashMap<String, String>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                    lines[i].substring(colon + 1).trim());
            }
        }
        byte[] body;
        if (headers.getOrDefault("content-type", "").startsWith("text/event-stream")) {
            body = new byte[0];
        } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = chunked(in);
        } else if (headers.containsKey("content-length")) {
            body = in.readNBytes(Math.min(MAX_BODY, Integer.parseInt(headers.get("content-length"))));
        } else {
            body = in.readNBytes(MAX_BODY);
        }
        return new Answer(status, headers, new String(body, StandardCharsets.UTF_8), head.toByteArray());
    }

    private static byte[] chunked(InputStream in) throws IOException {
        var out = new ByteArrayOutputStream();
        while (out.size() < MAX_BODY) {
            var sizeLine = line(in);
            int semi = sizeLine.indexOf(';');
            int size = Integer.parseInt((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16);
            if (size == 0) {
                break;
            }
            out.write(in.readNBytes(size));
            line(in);
        }
        return out.toByteArray();
    }

    private static String line(InputStream in) throws IOException {
        var sb = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            if (b != '\r') {
                sb.append((char) b);
            }
        }
        return sb.toString();
    }
}
