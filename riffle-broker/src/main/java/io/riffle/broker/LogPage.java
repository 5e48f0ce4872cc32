package io.riffle.broker;

import java.util.List;

/** One page of log entries (GlassFlow FunctionLogEntry JSON each) and the token of the next page. */
public record LogPage(List<byte[]> entries, String next) {
    public LogPage {
        entries = List.copyOf(entries);
    }
}
