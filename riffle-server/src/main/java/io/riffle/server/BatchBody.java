package io.riffle.server;

import io.riffle.core.InvalidInputException;
import io.riffle.core.PayloadTooLargeException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Splits a batch body, a JSON array or NDJSON, into the bytes of its events without decoding them twice. */
final class BatchBody {
    private BatchBody() {
    }

    static List<byte[]> split(byte[] body, int maxEventBytes, int maxEvents) {
        int start = skipSpace(body, 0);
        if (start >= body.length) {
            throw new InvalidInputException("the batch is empty; send a JSON array or one JSON object per line");
        }
        var events = body[start] == '[' ? array(body, start) : lines(body);
        if (events.size() > maxEvents) {
            throw new PayloadTooLargeException("a batch holds at most " + maxEvents + " events; got " + events.size());
        }
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i).length > maxEventBytes) {
                throw new PayloadTooLargeException("event " + i + " is larger than " + maxEventBytes + " bytes");
            }
        }
        return events;
    }

    private static List<byte[]> array(byte[] body, int start) {
        var root = Wire.parse(body, "the batch");
        if (!root.isArray()) {
            throw new InvalidInputException("the batch must be a JSON array");
        }
        var out = new ArrayList<byte[]>(root.size());
        for (var node : root) {
            out.add(Wire.bytes(node));
        }
        return out;
    }

    private static List<byte[]> lines(byte[] body) {
        var out = new ArrayList<byte[]>();
        int from = 0;
        for (int i = 0; i <= body.length; i++) {
            if (i == body.length || body[i] == '\n') {
                int a = skipSpace(body, from);
                int b = i;
                while (b > a && Character.isWhitespace(body[b - 1])) {
                    b--;
                }
                if (b > a) {
                    out.add(Arrays.copyOfRange(body, a, b));
                }
                from = i + 1;
            }
        }
        return out;
    }

    private static int skipSpace(byte[] body, int from) {
        int i = from;
        while (i < body.length && Character.isWhitespace(body[i])) {
            i++;
        }
        return i;
    }
}
