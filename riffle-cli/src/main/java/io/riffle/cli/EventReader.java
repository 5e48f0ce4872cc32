package io.riffle.cli;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads events from a stream without holding it all in memory: one JSON object, a JSON array of objects, or
 * NDJSON (any whitespace-separated sequence of objects). Hands them out in batches.
 */
final class EventReader implements AutoCloseable {
    private final JsonParser parser;
    private final String source;
    private boolean inArray;
    private boolean started;
    private boolean done;
    private int count;

    EventReader(InputStream in, String source) {
        this.source = source;
        try {
            this.parser = Json.MAPPER.getFactory().createParser(in);
        } catch (IOException e) {
            throw new CliException("cannot read " + source + ": " + e.getMessage(), e);
        }
    }

    /** Up to {@code max} events (fewer, within {@code maxBytes} of JSON); empty at the end. */
    List<byte[]> next(int max, int maxBytes) {
        var batch = new ArrayList<byte[]>();
        int bytes = 0;
        try {
            while (batch.size() < max && bytes < maxBytes) {
                var node = nextEvent();
                if (node == null) {
                    break;
                }
                var encoded = Json.MAPPER.writeValueAsBytes(node);
                batch.add(encoded);
                bytes += encoded.length + 1;
            }
        } catch (IOException e) {
            var loc = parser.currentLocation();
            throw new CliException(source + ":" + loc.getLineNr() + ": not valid JSON: "
                + e.getMessage().lines().findFirst().orElse("") + " (expected a JSON object, a JSON array of "
                + "objects, or one object per line)", e);
        }
        return batch;
    }

    /** Events read so far. */
    int count() {
        return count;
    }

    private JsonNode nextEvent() throws IOException {
        if (done) {
            return null;
        }
        var token = parser.nextToken();
        if (!started) {
            started = true;
            if (token == JsonToken.START_ARRAY) {
                inArray = true;
                token = parser.nextToken();
            }
        }
        if (token == null || inArray && token == JsonToken.END_ARRAY) {
            done = true;
            return null;
        }
        int line = parser.currentTokenLocation().getLineNr();
        JsonNode node = Json.MAPPER.readTree(parser);
        if (!node.isObject()) {
            throw new CliException(source + ":" + line + ": event " + (count + 1) + " is "
                + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + ", not a JSON object");
        }
        count++;
        return node;
    }

    @Override
    public void close() {
        try {
            parser.close();
        } catch (IOException ignored) {
            // nothing was written; a failed close of an input loses nothing
        }
    }
}
