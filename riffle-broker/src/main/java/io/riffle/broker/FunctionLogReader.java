package io.riffle.broker;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.riffle.core.InvalidInputException;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;

/**
 * Pages through one pipeline's entries in the shared logs stream. The page token is the stream sequence to continue
 * from, so pages are stable while new entries arrive.
 */
final class FunctionLogReader {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_SCANNED_PER_PAGE = 10_000;
    private final JetStreamManagement jsm;
    private final StreamNames names;

    FunctionLogReader(JetStreamManagement jsm, StreamNames names) {
        this.jsm = jsm;
        this.names = names;
    }

    LogPage read(String pipelineId, LogQuery q) throws IOException, JetStreamApiException {
        long seq = startSequence(q.pageToken());
        var subject = names.logsSubject(pipelineId);
        var entries = new ArrayList<byte[]>(q.pageSize());
        int scanned = 0;
        while (entries.size() < q.pageSize() && scanned < MAX_SCANNED_PER_PAGE) {
            var info = next(seq, subject);
            if (info == null) {
                break;
            }
            scanned++;
            seq = info.getSeq() + 1;
            if (matches(info.getData(), q)) {
                entries.add(info.getData());
            }
        }
        return new LogPage(entries, Long.toString(seq));
    }

    private io.nats.client.api.MessageInfo next(long seq, String subject) throws IOException, JetStreamApiException {
        try {
            return jsm.getNextMessage(names.logsStream(), seq, subject);
        } catch (JetStreamApiException e) {
            if (e.getErrorCode() == 404) {
                return null;
            }
            throw e;
        }
    }

    private static long startSequence(String token) {
        if (token == null || token.isBlank()) {
            return 1;
        }
        try {
            long v = Long.parseLong(token);
            if (v < 1) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new InvalidInputException("page_token must be the 'next' value of a previous page; got '" + token
                + "'");
        }
    }

    private static boolean matches(byte[] entry, LogQuery q) {
        if (q.minSeverity() <= 100 && q.start() == null && q.end() == null) {
            return true;
        }
        try {
            var node = JSON.readTree(entry);
            if (node.path("severity_code").asInt(0) < q.minSeverity()) {
                return false;
            }
            if (q.start() != null || q.end() != null) {
                var ts = Instant.parse(node.path("timestamp").asText());
                return (q.start() == null || !ts.isBefore(q.start())) && (q.end() == null || !ts.isAfter(q.end()));
            }
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
