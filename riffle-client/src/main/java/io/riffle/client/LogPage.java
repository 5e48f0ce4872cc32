package io.riffle.client;

import java.util.List;

/**
 * One page of function logs.
 *
 * @param next the page token that continues after this page (also when this page is empty: poll it to follow)
 */
public record LogPage(List<LogEntry> logs, String next) {
    public LogPage {
        logs = logs == null ? List.of() : List.copyOf(logs);
    }
}
