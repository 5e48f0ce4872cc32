package io.riffle.connectors.jdbc;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes the built-in {@code pgoutput} plugin's binary protocol (version 1, PostgreSQL's "Logical Replication
 * Message Formats"): Relation messages are remembered, Begin/Commit mark transactions, Insert/Update/Delete/Truncate
 * become wal2json-shaped changes. Type, Origin and logical Message messages are skipped.
 */
final class PgOutputDecoder implements WalDecoder {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Instant PG_EPOCH = Instant.parse("2000-01-01T00:00:00Z");
    private final PgTypeNames typeNames;
    private final Map<Integer, Relation> relations = new HashMap<>();

    PgOutputDecoder(PgTypeNames typeNames) {
        this.typeNames = typeNames;
    }

    private record Column(String name, int typeOid, String type, boolean key) {
    }

    private record Relation(String schema, String table, List<Column> columns) {
    }

    @Override
    public List<WalMessage> decode(ByteBuffer in) {
        var tag = (char) in.get();
        return switch (tag) {
            case 'B' -> {
                var finalLsn = in.getLong();
                var time = timestamp(in.getLong());
                yield List.of(new WalMessage.Begin(Integer.toUnsignedLong(in.getInt()), finalLsn, time));
            }
            case 'C' -> {
                in.get();
                in.getLong();
                yield List.of(new WalMessage.Commit(in.getLong()));
            }
            case 'R' -> {
                relation(in);
                yield List.of();
            }
            case 'I' -> List.of(insert(in));
            case 'U' -> List.of(update(in));
            case 'D' -> List.of(delete(in));
            case 'T' -> truncate(in);
            default -> List.of();
        };
    }

    static String timestamp(long micros) {
        return PG_EPOCH.plus(micros, ChronoUnit.MICROS).toString();
    }

    private void relation(ByteBuffer in) {
        var id = in.getInt();
        var schema = string(in);
        var table = string(in);
        in.get();
        int count = in.getShort();
        var columns = new ArrayList<Column>(count);
        for (int i = 0; i < count; i++) {
            var flags = in.get();
            var name = string(in);
            var oid = in.getInt();
            var typmod = in.getInt();
            columns.add(new Column(name, oid, typeNames.name(oid, typmod), (flags & 1) != 0));
        }
        relations.put(id, new Relation(schema, table, List.copyOf(columns)));
    }

    private WalMessage insert(ByteBuffer in) {
        var rel = relation(in.getInt());
        in.get();
        var event = event("I", rel);
        event.set("columns", tuple(in, rel, false));
        return new WalMessage.Change(event);
    }

    private WalMessage update(ByteBuffer in) {
        var rel = relation(in.getInt());
        var event = event("U", rel);
        var kind = (char) in.get();
        ArrayNode old = null;
        if (kind == 'K' || kind == 'O') {
            old = tuple(in, rel, kind == 'K');
            kind = (char) in.get();
        }
        if (kind != 'N') {
            throw new IllegalStateException("pgoutput update without a new tuple (got '" + kind + "')");
        }
        var columns = tuple(in, rel, false);
        event.set("columns", columns);
        event.set("identity", old != null ? old : keyColumns(columns, rel));
        return new WalMessage.Change(event);
    }

    private WalMessage delete(ByteBuffer in) {
        var rel = relation(in.getInt());
        var kind = (char) in.get();
        var event = event("D", rel);
        event.set("identity", tuple(in, rel, kind == 'K'));
        return new WalMessage.Change(event);
    }

    private List<WalMessage> truncate(ByteBuffer in) {
        var count = in.getInt();
        in.get();
        var out = new ArrayList<WalMessage>(count);
        for (int i = 0; i < count; i++) {
            out.add(new WalMessage.Change(event("T", relation(in.getInt()))));
        }
        return out;
    }

    private Relation relation(int id) {
        var rel = relations.get(id);
        if (rel == null) {
            throw new IllegalStateException("pgoutput change for relation " + id + " before its Relation message");
        }
        return rel;
    }

    private static ObjectNode event(String action, Relation rel) {
        var event = NODES.objectNode();
        event.put("action", action);
        event.put("schema", rel.schema());
        event.put("table", rel.table());
        return event;
    }

    /** TupleData as [{name, type, value}]; unchanged TOASTed values are left out, as wal2json does. */
    private static ArrayNode tuple(ByteBuffer in, Relation rel, boolean keysOnly) {
        int count = in.getShort();
        var out = NODES.arrayNode();
        for (int i = 0; i < count; i++) {
            var kind = (char) in.get();
            String text = null;
            if (kind == 't' || kind == 'b') {
                var bytes = new byte[in.getInt()];
                in.get(bytes);
                text = new String(bytes, StandardCharsets.UTF_8);
            }
            if (kind == 'u' || i >= rel.columns().size()) {
                continue;
            }
            var column = rel.columns().get(i);
            if (keysOnly && !column.key()) {
                continue;
            }
            out.addObject().put("name", column.name()).put("type", column.type())
                .set("value", PgValues.of(column.typeOid(), text));
        }
        return out;
    }

    private static ArrayNode keyColumns(ArrayNode columns, Relation rel) {
        var out = NODES.arrayNode();
        for (var c : columns) {
            var name = c.path("name").asText();
            if (rel.columns().stream().anyMatch(col -> col.key() && col.name().equals(name))) {
                out.add(c.deepCopy());
            }
        }
        return out;
    }

    private static String string(ByteBuffer in) {
        var start = in.position();
        var end = start;
        while (in.get(end) != 0) {
            end++;
        }
        var bytes = new byte[end - start];
        in.get(bytes);
        in.get();
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
