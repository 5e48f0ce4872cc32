package io.riffle.cli;

import io.riffle.client.RiffleClient;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code login}, {@code logout}, {@code whoami}. */
final class LoginCommands {
    private LoginCommands() {
    }

    @Command(name = "login", mixinStandardHelpOptions = true,
        description = "Check a personal access token against a server and store both in a profile.",
        footer = {"", "Example:", "  riffle login --server https://riffle.example.com --token rfl_pat_..."})
    static final class Login implements Callable<Integer> {
        @Option(names = "--server", required = true, paramLabel = "URL", description = "Riffle server URL.")
        String server;

        @Option(names = "--token", required = true, paramLabel = "TOKEN", description = "Personal access token.")
        String token;

        @Option(names = "--profile", paramLabel = "NAME", description = "Profile name (default: ${DEFAULT-VALUE}).",
            defaultValue = Credentials.DEFAULT_PROFILE)
        String profile;

        @Override
        public Integer call() {
            var client = RiffleClient.builder().server(server).token(token).build();
            int spaces = client.spaces().list().size();
            var credentials = Credentials.system();
            credentials.save(profile, new Credentials.Profile(server, token));
            System.out.println("logged in to " + server + " (" + spaces + " space" + (spaces == 1 ? "" : "s")
                + " visible); profile '" + profile + "' stored in " + credentials.file());
            return 0;
        }
    }

    @Command(name = "logout", mixinStandardHelpOptions = true,
        description = "Forget a stored profile (the current one by default).",
        footer = {"", "Example:", "  riffle logout --profile staging"})
    static final class Logout implements Callable<Integer> {
        @Option(names = "--profile", paramLabel = "NAME", description = "Profile to forget.")
        String profile;

        @Override
        public Integer call() {
            var credentials = Credentials.system();
            var name = credentials.profileName(profile);
            if (!credentials.remove(name)) {
                throw new CliException("there is no stored profile '" + name + "' in " + credentials.file());
            }
            System.out.println("logged out: profile '" + name + "' removed from " + credentials.file());
            return 0;
        }
    }

    @Command(name = "whoami", mixinStandardHelpOptions = true,
        description = "Show the server and the credential the CLI uses, and check them.",
        footer = {"", "Example:", "  riffle whoami"})
    static final class Whoami extends ApiCommand {
        @Override
        void run() {
            var r = connection.resolved();
            int spaces = client().spaces().list().size();
            var view = new java.util.LinkedHashMap<String, Object>();
            view.put("server", r.server());
            view.put("server_source", r.serverSource());
            view.put("token_source", r.tokenSource());
            view.put("profile", r.profile());
            view.put("spaces", spaces);
            output.print(out(), view, o -> {
                o.println("server:     " + r.server() + " (" + r.serverSource() + ")");
                o.println("credential: " + r.tokenSource());
                o.println("status:     ok, " + spaces + " space" + (spaces == 1 ? "" : "s") + " visible");
            });
        }
    }
}
