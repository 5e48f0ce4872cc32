package io.riffle.cli;

import io.riffle.client.LogEntry;
import io.riffle.client.LogQuery;
import java.time.Instant;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code logs PIPELINE [-f] [--since] [--level]}: what the function logged. */
@Command(name = "logs", mixinStandardHelpOptions = true,
    description = "Print the function's logs; -f keeps following new ones.",
    footer = {"", "Examples:", "  riffle logs 5f0c... --since 10m --level warning", "  riffle logs 5f0c... -f"})
final class LogsCommand extends ApiCommand {
    enum Level {
        debug(LogQuery.DEBUG), info(LogQuery.INFO), warning(LogQuery.WARNING), error(LogQuery.ERROR);

        final int code;

        Level(int code) {
            this.code = code;
        }
    }

    static final long FOLLOW_POLL_MS = 1_000;

    @Parameters(paramLabel = "PIPELINE", description = "Pipeline id.")
    String pipeline;

    @Option(names = {"-f", "--follow"}, description = "Keep printing new entries until interrupted.")
    boolean follow;

    @Option(names = "--since", paramLabel = "WHEN", description = "Only entries since 10m, 2h, 1d or an RFC 3339 time.")
    String since;

    @Option(names = "--level", paramLabel = "LEVEL", defaultValue = "debug",
        description = "Lowest level shown: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Level level = Level.debug;

    @Override
    void run() {
        var functions = client().functions();
        var query = new LogQuery(500, null, level.code, since == null ? null : Since.parse(since, Instant.now()),
            null);
        while (true) {
            var page = functions.logs(pipeline, query);
            page.logs().forEach(this::print);
            out().flush();
            boolean advanced = page.next() != null && !page.next().equals(query.pageToken());
            if (advanced) {
                // more may follow at once: a page can also end early when many entries were filtered out
                query = query.after(page.next());
            } else if (follow) {
                Waits.sleep(FOLLOW_POLL_MS);
            } else {
                return;
            }
        }
    }

    private void print(LogEntry e) {
        if (output.human()) {
            out().println(e.timestamp() + " " + String.format(Locale.ROOT, "%-7s", e.level().toUpperCase(Locale.ROOT))
                + " " + e.message());
        } else {
            out().println(Json.compact(e));
        }
    }
}
