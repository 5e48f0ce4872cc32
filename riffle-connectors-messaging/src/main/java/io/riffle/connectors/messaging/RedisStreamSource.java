package io.riffle.connectors.messaging;

import io.riffle.connectors.Source;
import io.riffle.connectors.SourceContext;
import io.riffle.connectors.SourceRecord;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.XReadGroupParams;
import redis.clients.jedis.resps.StreamEntryBinary;

/**
 * Reads a Redis stream as a member of a consumer group: first the entries this consumer was given but never
 * acknowledged (a crash before XACK), then new ones; XACK only after {@link SourceContext#emit} returned.
 */
final class RedisStreamSource implements Source {
    private static final Logger LOG = LoggerFactory.getLogger(RedisStreamSource.class);
    static final int BLOCK_MS = 1_000;
    private static final StreamEntryID PENDING = new StreamEntryID(0, 0);

    private final RedisEndpoint endpoint;
    private final String group;
    private final String consumer;
    private final StreamEntryID startId;
    private final String field;
    private final int batchSize;
    private volatile Jedis jedis;
    private volatile boolean closed;

    RedisStreamSource(RedisEndpoint endpoint, String group, String consumer, String startId, String field,
                      int batchSize) {
        this.endpoint = endpoint;
        this.group = group;
        this.consumer = consumer;
        this.startId = startId.equals("$") ? StreamEntryID.XGROUP_LAST_ENTRY
            : new StreamEntryID(startId.contains("-") ? startId : startId + "-0");
        this.field = field;
        this.batchSize = batchSize;
    }

    @Override
    public void run(SourceContext context) throws Exception {
        try {
            jedis = endpoint.connect(BLOCK_MS + 10_000);
            if (closed) {
                return;
            }
            createGroup();
            context.connected();
            LOG.info("redis source {}/{}: reading as {} in group {}", endpoint.where(), endpoint.stream(),
                consumer, group);
            boolean pending = true;
            while (context.running() && !closed) {
                var entries = read(pending ? PENDING : StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY, !pending);
                if (entries.isEmpty()) {
                    pending = false;
                    continue;
                }
                deliver(context, entries);
            }
        } catch (JedisDataException e) {
            throw new IllegalStateException("redis stream " + endpoint.stream() + " at " + endpoint.where() + ": "
                + e.getMessage(), e);
        } catch (JedisException e) {
            if (closed) {
                return;
            }
            throw Failures.unreachable("redis", endpoint.where(), e);
        } finally {
            closeConnection();
        }
    }

    private void createGroup() {
        try {
            jedis.xgroupCreate(endpoint.stream(), group, startId, true);
        } catch (JedisDataException e) {
            if (e.getMessage() == null || !e.getMessage().startsWith("BUSYGROUP")) {
                throw e;
            }
        }
    }

    private List<StreamEntryBinary> read(StreamEntryID from, boolean block) {
        var params = XReadGroupParams.xReadGroupParams().count(batchSize);
        if (block) {
            params.block(BLOCK_MS);
        }
        var reply = jedis.xreadGroupBinary(bytes(group), bytes(consumer), params,
            Map.of(bytes(endpoint.stream()), from));
        var out = new ArrayList<StreamEntryBinary>();
        if (reply != null) {
            reply.forEach(stream -> out.addAll(stream.getValue()));
        }
        return out;
    }

    private void deliver(SourceContext context, List<StreamEntryBinary> entries) throws Exception {
        var records = new ArrayList<SourceRecord>(entries.size());
        var ids = new StreamEntryID[entries.size()];
        for (int i = 0; i < entries.size(); i++) {
            var entry = entries.get(i);
            ids[i] = entry.getID();
            // an entry trimmed away while pending comes back without fields: acknowledge it, there is nothing to emit
            if (entry.getFields() != null) {
                records.add(new SourceRecord(event(entry.getFields()),
                    "redis:" + endpoint.stream() + ":" + entry.getID()));
            }
        }
        if (!records.isEmpty()) {
            context.emit(records);
        }
        jedis.xack(endpoint.stream(), group, ids);
    }

    private byte[] event(Map<byte[], byte[]> fields) {
        var named = new LinkedHashMap<String, byte[]>();
        fields.forEach((k, v) -> named.put(new String(k, StandardCharsets.UTF_8), v));
        if (field != null && named.containsKey(field)) {
            return Payloads.event(named.get(field));
        }
        return Payloads.fields(named);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private void closeConnection() {
        var j = jedis;
        if (j != null) {
            try {
                j.close();
            } catch (RuntimeException e) {
                LOG.debug("redis source {}: close failed", endpoint.where(), e);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        closeConnection();
    }
}
