package io.riffle.cli;

import io.riffle.client.RiffleClient;
import io.riffle.client.RiffleClientException;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code login}, {@code logout}, {@code whoami}. */
final class LoginCommands {
    private LoginCommands() {
    }

    @Command(name = "login", mixinStandardHelpOptions = true,
        description = {"Log in to a server and store the server and a credential in a profile (a file of mode 0600).",
            "With --token the token is checked and stored; with --email the password is exchanged for a new token "
                + "(valid 30 days). The password is read from stdin with --password-stdin, else prompted for "
                + "without echo. With --oidc you log in at the server's identity provider (device flow): the CLI "
                + "prints a URL and a code to approve in a browser, then stores the provider's access token and "
                + "renews it with the refresh token when it runs out. Neither password nor token is printed."},
        footer = {"", "Examples:", "  riffle login --server https://riffle.example.com --token rfl_pat_...",
            "  riffle login --server https://riffle.example.com --email ada@example.com",
            "  riffle login --server https://riffle.example.com --oidc",
            "  cat password.txt | riffle login --server https://riffle.example.com --email ada@example.com "
                + "--password-stdin"})
    static final class Login implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--server", required = true, paramLabel = "URL", description = "Riffle server URL.")
        String server;

        @Option(names = "--token", paramLabel = "TOKEN", description = "Personal access token.")
        String token;

        @Option(names = "--email", paramLabel = "EMAIL", description = "Email of a local user (password login).")
        String email;

        @Option(names = "--oidc", description = "Log in at the server's OIDC provider (device authorization).")
        boolean oidc;

        @Option(names = "--password-stdin", description = "Read the password from stdin (without its trailing line "
            + "break) instead of prompting for it.")
        boolean passwordStdin;

        @Option(names = "--profile", paramLabel = "NAME", description = "Profile name (default: ${DEFAULT-VALUE}).",
            defaultValue = Credentials.DEFAULT_PROFILE)
        String profile;

        @Override
        public Integer call() {
            int methods = (token == null ? 0 : 1) + (email == null ? 0 : 1) + (oidc ? 1 : 0);
            if (methods != 1) {
                throw new CommandLine.ParameterException(spec.commandLine(), methods == 0
                    ? "give --token TOKEN, --email EMAIL or --oidc" : "give one of --token, --email and --oidc");
            }
            if (oidc) {
                return oidcLogin();
            }
            if (passwordStdin && email == null) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--password-stdin goes with --email");
            }
            var pat = token != null ? token : passwordLogin();
            var client = RiffleClient.builder().server(server).token(pat).build();
            int spaces = client.spaces().list().size();
            var credentials = Credentials.system();
            credentials.save(profile, new Credentials.Profile(server, pat));
            System.out.println("logged in to " + server + (email == null ? "" : " as " + email) + " (" + spaces
                + " space" + (spaces == 1 ? "" : "s") + " visible); profile '" + profile + "' stored in "
                + credentials.file());
            return 0;
        }

        private int oidcLogin() {
            var granted = OidcDeviceLogin.system().login(server, System.out);
            var client = RiffleClient.builder().server(server).token(granted.accessToken()).build();
            int spaces;
            try {
                spaces = client.spaces().list().size();
            } catch (RiffleClientException.Unauthorized e) {
                throw new CliException(server + " does not accept the provider's token: " + e.getMessage());
            }
            var credentials = Credentials.system();
            credentials.save(profile, new Credentials.Profile(server, granted.accessToken(),
                new Credentials.OidcLogin(granted.expiresAt(), granted.refreshToken(), granted.tokenEndpoint(),
                    granted.clientId())));
            System.out.println("logged in to " + server + " through its identity provider (" + spaces + " space"
                + (spaces == 1 ? "" : "s") + " visible); profile '" + profile + "' stored in " + credentials.file()
                + (granted.refreshToken() == null ? " (no refresh token: log in again when it expires)" : ""));
            return 0;
        }

        private String passwordLogin() {
            var password = passwordStdin ? Passwords.fromStdin(System.in) : Passwords.prompt(email);
            try {
                return RiffleClient.builder().server(server).build().login(email, password).token();
            } catch (RiffleClientException.Unauthorized e) {
                throw new CliException("login to " + server + " failed: wrong email or password");
            }
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
