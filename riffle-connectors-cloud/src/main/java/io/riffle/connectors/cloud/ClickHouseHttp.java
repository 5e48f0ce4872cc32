package io.riffle.connectors.cloud;

import io.riffle.core.RiffleException;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.regex.Pattern;

/** ClickHouse's HTTP interface: one query per request, HTTP basic authentication. */
final class ClickHouseHttp implements AutoCloseable {
    private static final Pattern CODE = Pattern.compile("Code: (\\d+)");
    private final HttpClient http;
    private final ClickHouseSinkFactory.ClickHouseSettings settings;
    private final Duration timeout;
    private final String authorization;

    ClickHouseHttp(ClickHouseSinkFactory.ClickHouseSettings settings, Duration timeout) {
        this.http = HttpClient.newBuilder().connectTimeout(ClickHouseSinkFactory.CONNECT_TIMEOUT).build();
        this.settings = settings;
        this.timeout = timeout;
        var credentials = settings.username() + ":" + settings.password();
        this.authorization = "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
    }

    /** Runs {@code sql} (no data) and returns the response body. */
    String query(String sql) throws IOException, InterruptedException {
        return send(sql, new byte[0]);
    }

    /** Runs {@code sql} (an INSERT ... FORMAT) with {@code data} as its input. */
    void insert(String sql, byte[] data) throws IOException, InterruptedException {
        send(sql, data);
    }

    private String send(String sql, byte[] data) throws IOException, InterruptedException {
        var uri = URI.create(settings.base() + "/?query=" + URLEncoder.encode(sql, StandardCharsets.UTF_8));
        var request = HttpRequest.newBuilder(uri).timeout(timeout)
            .header("Authorization", authorization)
            .POST(HttpRequest.BodyPublishers.ofByteArray(data))
            .build();
        var response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        if (response.statusCode() != 200) {
            throw new ServerError(response.statusCode(), response.body());
        }
        return response.body();
    }

    @Override
    public void close() {
        http.close();
    }

    /** ClickHouse answered with an error; {@link #code()} is its error code (0 when the body had none). */
    static final class ServerError extends RiffleException {
        private final int status;
        private final int code;

        ServerError(int status, String body) {
            super("HTTP " + status + ": " + firstLine(body));
            this.status = status;
            var m = CODE.matcher(body);
            this.code = m.find() ? Integer.parseInt(m.group(1)) : 0;
        }

        int status() {
            return status;
        }

        int code() {
            return code;
        }

        private static String firstLine(String body) {
            var line = body.strip();
            int nl = line.indexOf('\n');
            line = nl < 0 ? line : line.substring(0, nl);
            return line.length() > 500 ? line.substring(0, 500) + "…" : line;
        }
    }
}
