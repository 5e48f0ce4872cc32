package io.riffle.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Objects;

/**
 * The Java client of a Riffle server (and of GlassFlow's API as Riffle serves it).
 *
 * <pre>{@code
 * var riffle = RiffleClient.builder().server("http://127.0.0.1:8080").token(pat).build();
 * var space = riffle.spaces().create("examples");
 * var created = riffle.pipelines().create(NewPipeline.of("upper", space.id(), source));
 * var data = riffle.data(created.id(), created.accessToken());
 * data.publish(Map.of("name", "riffle"));
 * }</pre>
 *
 * <p>Thread-safe; one instance per server and credential is enough. Every call blocks (use virtual threads for
 * concurrency) and throws {@link RiffleClientException} when the server refuses it or cannot be reached.
 */
public final class RiffleClient {
    private final Http http;

    private RiffleClient(Http http) {
        this.http = http;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The API base, such as {@code http://127.0.0.1:8080/v1/}. */
    public URI baseUri() {
        return http.base();
    }

    public Spaces spaces() {
        return new Spaces(http);
    }

    public Pipelines pipelines() {
        return new Pipelines(http);
    }

    /** The function of a pipeline: artifacts, versions, test runs, logs. */
    public Functions functions() {
        return new Functions(http);
    }

    /** The data-plane access tokens of pipelines. */
    public AccessTokens accessTokens() {
        return new AccessTokens(http);
    }

    /** The dead letters of pipelines: list, replay, purge. */
    public DeadLetters deadLetters() {
        return new DeadLetters(http);
    }

    /**
     * Exchanges a local user's email and password for a personal access token ({@code POST /v1/auth/login}). Needs
     * no {@link Builder#token}; build a client with the returned {@link LoginToken#token()} for further calls.
     *
     * <pre>{@code
     * var login = RiffleClient.builder().server(url).build().login("ada@example.com", password);
     * var riffle = RiffleClient.builder().server(url).token(login.token()).build();
     * }</pre>
     *
     * @throws RiffleClientException.Unauthorized    when the email or the password is wrong (the server does not
     *                                               say which)
     * @throws RiffleClientException.TooManyRequests after 5 failures for the email within 15 minutes
     */
    public LoginToken login(String email, String password) {
        Objects.requireNonNull(email, "email");
        Objects.requireNonNull(password, "password");
        var body = new java.util.LinkedHashMap<String, String>();
        body.put("email", email);
        body.put("password", password);
        var response = http.send("POST", "auth/login", Http.write(body), "application/json", java.util.Map.of());
        return Http.read(response.body(), LoginToken.class);
    }

    /** The data plane of one pipeline, authorised by one of its access tokens (not the personal token). */
    public PipelineData data(String pipelineId, String accessToken) {
        return new PipelineData(http.withToken(Objects.requireNonNull(accessToken, "accessToken")),
            Objects.requireNonNull(pipelineId, "pipelineId"));
    }

    /** Builds a {@link RiffleClient}; {@link #server} is required, {@link #token} for management calls. */
    public static final class Builder {
        private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
        private String server;
        private String token = "";
        private Duration timeout = DEFAULT_TIMEOUT;
        private HttpClient httpClient;

        private Builder() {
        }

        /** The server's address, such as {@code http://127.0.0.1:8080}; a trailing {@code /v1} is accepted. */
        public Builder server(String url) {
            this.server = Objects.requireNonNull(url, "url");
            return this;
        }

        /** A personal access token (management API). */
        public Builder token(String personalAccessToken) {
            this.token = Objects.requireNonNull(personalAccessToken, "personalAccessToken");
            return this;
        }

        /** The longest a single call may take; 60 s by default. */
        public Builder timeout(Duration d) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("timeout must be positive; got " + d);
            }
            this.timeout = d;
            return this;
        }

        /** A pre-configured {@link HttpClient} (proxy, TLS); by default one with a 10 s connect timeout. */
        public Builder httpClient(HttpClient client) {
            this.httpClient = Objects.requireNonNull(client, "client");
            return this;
        }

        /** @throws IllegalArgumentException when the server address is missing or not an http(s) URL */
        public RiffleClient build() {
            var client = httpClient != null ? httpClient : HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(10)).build();
            return new RiffleClient(new Http(client, apiBase(server), token, timeout));
        }

        static URI apiBase(String server) {
            if (server == null || server.isBlank()) {
                throw new IllegalArgumentException("the server address is required, such as http://127.0.0.1:8080");
            }
            var s = server.strip();
            while (s.endsWith("/")) {
                s = s.substring(0, s.length() - 1);
            }
            if (s.endsWith("/v1")) {
                s = s.substring(0, s.length() - 3);
            }
            URI uri;
            try {
                uri = URI.create(s + "/v1/");
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("the server address '" + server + "' is not a URL", e);
            }
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalArgumentException("the server address must be an http:// or https:// URL such as "
                    + "http://127.0.0.1:8080; got '" + server + "'");
            }
            return uri;
        }
    }
}
