package io.riffle.runtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Version 1 of the worker protocol (docs/worker-protocol.md): frame encoding and decoding. Stateless. */
final class WorkerProtocol {
    static final int VERSION = 1;
    static final int MAX_FRAME_BYTES = 64 << 20;
    static final byte BATCH = 'B';
    static final byte EXIT = 'X';
    static final byte HELLO = 'H';
    static final byte LOAD_ERROR = 'E';
    static final byte LOG = 'L';
    static final byte RESULT = 'R';
    static final byte DONE = 'D';
    static final byte[] EXIT_FRAME = {0, 0, 0, 1, EXIT};

    static final ObjectMapper JSON = new ObjectMapper();

    /** What the worker said, as read from its protocol stream. */
    sealed interface Message {
    }

    record Hello(JsonNode json) implements Message {
    }

    record LoadError(String error, String traceback) implements Message {
    }

    record Outcome(int index, EventOutcome outcome) implements Message {
    }

    record Done(int count) implements Message {
    }

    /** The stream ended (the process exited or closed its stdout). */
    record End() implements Message {
    }

    /** The stream held something that is not the protocol. */
    record Bad(String detail) implements Message {
    }

    private WorkerProtocol() {
    }

    /** One 'B' frame holding every event, ready for a single write. */
    static byte[] batchFrame(List<byte[]> events) {
        long length = 1 + 4;
        for (byte[] event : events) {
            length += 4 + event.length;
        }
        if (length > MAX_FRAME_BYTES) {
            throw new IllegalArgumentException("batch of " + length + " bytes is over the frame limit of "
                    + MAX_FRAME_BYTES + "; send fewer events at a time");
        }
        ByteBuffer frame = ByteBuffer.allocate(4 + (int) length);
        frame.putInt((int) length).put(BATCH).putInt(events.size());
        for (byte[] event : events) {
            frame.putInt(event.length).put(event);
        }
        return frame.array();
    }

    /**
     * Reads the next message that is not a log entry; log entries go to {@code logs}. Never throws: a broken stream
     * becomes {@link End} or {@link Bad}.
     */
    static Message read(DataInputStream in, LogSink logs) {
        try {
            while (true) {
                int length = in.readInt();
                if (length < 1 || length > MAX_FRAME_BYTES) {
                    return new Bad("frame length " + Integer.toUnsignedString(length) + " is out of range");
                }
                byte type = in.readByte();
                int bodyLength = length - 1;
                switch (type) {
                    case LOG -> logs.accept(readBody(in, bodyLength));
                    case RESULT -> {
                        return readOutcome(in, bodyLength);
                    }
                    case DONE -> {
                        return bodyLength == 4 ? new Done(in.readInt()) : new Bad("'D' frame of " + length + " bytes");
                    }
                    case HELLO -> {
                        return new Hello(JSON.readTree(readBody(in, bodyLength)));
                    }
                    case LOAD_ERROR -> {
                        JsonNode error = JSON.readTree(readBody(in, bodyLength));
                        return new LoadError(error.path("error").asText("unknown error"),
                                error.path("traceback").asText(""));
                    }
                    default -> {
                        return new Bad("unknown frame type " + (type & 0xff));
                    }
                }
            }
        } catch (EOFException e) {
            return new End();
        } catch (JsonProcessingException e) {
            return new Bad("bad JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            return new End();
        } catch (RuntimeException e) {
            return new Bad(e.toString());
        }
    }

    private static Message readOutcome(DataInputStream in, int bodyLength) throws IOException {
        if (bodyLength < 5) {
            return new Bad("'R' frame of " + bodyLength + " bytes");
        }
        int index = in.readInt();
        int status = in.readUnsignedByte();
        if (status == 1) {
            JsonNode failure = JSON.readTree(readBody(in, bodyLength - 5));
            return new Outcome(index, new EventOutcome.Failure(failure.path("type").asText("Exception"),
                    failure.path("error").asText(""), failure.path("traceback").asText("")));
        }
        if (status != 0 || bodyLength < 9) {
            return new Bad("'R' frame with status " + status);
        }
        int count = in.readInt();
        long remaining = bodyLength - 9L;
        if (count < 0 || count * 4L > remaining) {
            return new Bad("'R' frame announces " + Integer.toUnsignedString(count) + " results");
        }
        List<byte[]> values = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int size = in.readInt();
            remaining -= 4;
            if (size < 0 || size > remaining) {
                return new Bad("result of " + Integer.toUnsignedString(size) + " bytes overruns its frame");
            }
            values.add(readBody(in, size));
            remaining -= size;
        }
        if (remaining != 0) {
            return new Bad("'R' frame has " + remaining + " trailing bytes");
        }
        return new Outcome(index, new EventOutcome.Results(values));
    }

    private static byte[] readBody(DataInputStream in, int length) throws IOException {
        byte[] body = new byte[length];
        in.readFully(body);
        return body;
    }
}
