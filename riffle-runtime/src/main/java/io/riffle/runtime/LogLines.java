package io.riffle.runtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Delivers a worker's log entries to its {@link LogSink} at a bounded rate (a flood becomes one "N log lines
 * dropped" entry), and turns raw stderr lines into WARNING entries, keeping the last few for crash reports.
 * Thread-safe.
 */
final class LogLines implements LogSink {
    static final int MAX_LINE_BYTES = 16 * 1024;
    private static final int TAIL_LINES = 20;
    private static final Logger LOG = LoggerFactory.getLogger(LogLines.class);
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final LogSink sink;
    private final int maxPerSecond;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<String> tail = new ArrayDeque<>();
    private long window;
    private int inWindow;
    private long dropped;

    LogLines(LogSink sink, int maxPerSecond, Clock clock) {
        this.sink = sink;
        this.maxPerSecond = maxPerSecond;
        this.clock = clock;
    }

    /** A GlassFlow FunctionLogEntry made on the Java side. */
    static byte[] entry(String level, int severity, String message, String stream, Clock clock) {
        ObjectNode entry = WorkerProtocol.JSON.createObjectNode();
        entry.put("level", level).put("severity_code", severity).put("timestamp", TIMESTAMP.format(clock.instant()));
        ObjectNode payload = entry.putObject("payload").put("message", message);
        if (stream != null) {
            payload.put("stream", stream);
        }
        try {
            return WorkerProtocol.JSON.writeValueAsBytes(entry);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode a log entry", e);
        }
    }

    @Override
    public void accept(byte[] entryJson) {
        long droppedBefore = 0;
        lock.lock();
        try {
            long now = clock.millis() / 1000;
            if (now != window) {
                window = now;
                inWindow = 0;
                droppedBefore = dropped;
                dropped = 0;
            }
            if (++inWindow > maxPerSecond) {
                dropped++;
                return;
            }
        } finally {
            lock.unlock();
        }
        if (droppedBefore > 0) {
            deliver(droppedNotice(droppedBefore));
        }
        deliver(entryJson);
    }

    /** Reports entries dropped in the last window; call when the stream ends. */
    void finish() {
        long count;
        lock.lock();
        try {
            count = dropped;
            dropped = 0;
        } finally {
            lock.unlock();
        }
        if (count > 0) {
            deliver(droppedNotice(count));
        }
    }

    /** Reads stderr until it ends, one WARNING entry per line. */
    void pump(InputStream stderr) {
        ByteArrayOutputStream line = new ByteArrayOutputStream(256);
        boolean truncated = false;
        byte[] buffer = new byte[8192];
        try {
            int n;
            while ((n = stderr.read(buffer)) > 0) {
                for (int i = 0; i < n; i++) {
                    byte b = buffer[i];
                    if (b == '\n') {
                        stderrLine(line, truncated);
                        line.reset();
                        truncated = false;
                    } else if (line.size() < MAX_LINE_BYTES) {
                        line.write(b);
                    } else {
                        truncated = true;
                    }
                }
            }
        } catch (IOException e) {
            LOG.debug("worker stderr closed: {}", e.toString());
        }
        if (line.size() > 0) {
            stderrLine(line, truncated);
        }
        finish();
    }

    /** The last stderr lines, oldest first. */
    String tail() {
        lock.lock();
        try {
            return String.join("\n", tail);
        } finally {
            lock.unlock();
        }
    }

    private void stderrLine(ByteArrayOutputStream bytes, boolean truncated) {
        String text = bytes.toString(StandardCharsets.UTF_8);
        if (text.endsWith("\r")) {
            text = text.substring(0, text.length() - 1);
        }
        if (truncated) {
            text += "... [truncated]";
        }
        lock.lock();
        try {
            if (tail.size() == TAIL_LINES) {
                tail.removeFirst();
            }
            tail.addLast(text);
        } finally {
            lock.unlock();
        }
        accept(entry("WARNING", 400, text, "stderr", clock));
    }

    private byte[] droppedNotice(long count) {
        return entry("WARNING", 400, count + " log lines dropped (more than " + maxPerSecond + " per second)",
                null, clock);
    }

    private void deliver(byte[] entryJson) {
        try {
            sink.accept(entryJson);
        } catch (RuntimeException e) {
            LOG.warn("log sink failed: {}", e.toString());
        }
    }
}
