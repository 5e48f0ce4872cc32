package io.riffle.connectors.messaging;

import io.riffle.connectors.Rejection;
import io.riffle.connectors.Sink;
import io.riffle.connectors.SinkRecord;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.XAddParams;

/**
 * Appends each result to a Redis stream with XADD (one pipelined round trip per batch), the JSON in
 * {@code field}, optionally the record's stable id in {@code id_field}, optionally trimming to about
 * {@code maxlen} entries. Reconnects on the next write after a failure.
 */
final class RedisStreamSink implements Sink {
    private static final Logger LOG = LoggerFactory.getLogger(RedisStreamSink.class);
    private static final int READ_TIMEOUT_MS = 30_000;

    private final RedisEndpoint endpoint;
    private final byte[] field;
    private final byte[] idField;
    private final long maxLen;
    private Jedis jedis;

    RedisStreamSink(RedisEndpoint endpoint, String field, String idField, long maxLen) {
        this.endpoint = endpoint;
        this.field = field.getBytes(StandardCharsets.UTF_8);
        this.idField = idField == null ? null : idField.getBytes(StandardCharsets.UTF_8);
        this.maxLen = maxLen;
    }

    @Override
    public List<Rejection> write(List<SinkRecord> records) {
        if (records.isEmpty()) {
            return List.of();
        }
        try {
            if (jedis == null) {
                jedis = endpoint.connect(READ_TIMEOUT_MS);
            }
            var params = XAddParams.xAddParams();
            if (maxLen > 0) {
                params.maxLen(maxLen).approximateTrimming();
            }
            var key = endpoint.stream().getBytes(StandardCharsets.UTF_8);
            var replies = new ArrayList<Response<byte[]>>(records.size());
            try (var pipeline = jedis.pipelined()) {
                for (var record : records) {
                    var entry = new LinkedHashMap<byte[], byte[]>();
                    entry.put(field, record.payload());
                    if (idField != null) {
                        entry.put(idField, record.id().getBytes(StandardCharsets.UTF_8));
                    }
                    replies.add(pipeline.xadd(key, params, entry));
                }
                pipeline.sync();
            }
            replies.forEach(Response::get); // throws the first error reply (WRONGTYPE...)
            return List.of();
        } catch (JedisConnectionException e) {
            closeConnection();
            throw Failures.unreachable("redis", endpoint.where(), e);
        } catch (JedisException e) {
            closeConnection();
            throw new IllegalStateException("redis stream " + endpoint.stream() + " at " + endpoint.where() + ": "
                + e.getMessage(), e);
        }
    }

    private void closeConnection() {
        if (jedis != null) {
            try {
                jedis.close();
            } catch (RuntimeException e) {
                LOG.debug("redis sink {}: close failed", endpoint.where(), e);
            }
            jedis = null;
        }
    }

    @Override
    public void close() {
        closeConnection();
    }
}
