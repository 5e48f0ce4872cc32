package io.riffle.cli;

import io.riffle.client.RiffleClient;
import picocli.CommandLine.Option;

/**
 * {@code --server}, {@code --token}, {@code --profile}: which server a command talks to and as whom. A picocli
 * mixin; commands outside this module ({@code riffle deploy}) use it too.
 */
public final class Connection {
    @Option(names = "--server", paramLabel = "URL",
        description = "Riffle server, such as http://127.0.0.1:8080 (default: RIFFLE_SERVER, the profile, or the "
            + "local server).")
    String server;

    @Option(names = "--token", paramLabel = "TOKEN",
        description = "Personal access token (default: RIFFLE_TOKEN, the profile, or the admin token of 'riffle up').")
    String token;

    @Option(names = "--profile", paramLabel = "NAME", description = "Stored login profile to use.")
    String profile;

    private Credentials.Resolved resolved;
    private RiffleClient client;

    Credentials.Resolved resolved() {
        if (resolved == null) {
            resolved = Credentials.system().resolve(server, token, profile);
        }
        return resolved;
    }

    /** The client for the resolved server and token; fails with a {@link CliException} when there is no token. */
    public RiffleClient client() {
        if (client == null) {
            var r = resolved();
            client = RiffleClient.builder().server(r.server()).token(r.token()).build();
        }
        return client;
    }
}
