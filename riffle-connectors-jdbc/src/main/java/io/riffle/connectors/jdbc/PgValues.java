package io.riffle.connectors.jdbc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.math.BigDecimal;

/**
 * A column value in PostgreSQL's text output as JSON, the way wal2json writes it: integers, floats and numerics as
 * numbers (NaN and infinities as text), booleans as booleans, everything else as text.
 */
final class PgValues {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final int BOOL = 16;
    private static final int INT8 = 20;
    private static final int INT2 = 21;
    private static final int INT4 = 23;
    private static final int OID = 26;
    private static final int FLOAT4 = 700;
    private static final int FLOAT8 = 701;
    private static final int NUMERIC = 1700;

    private PgValues() {
    }

    static JsonNode of(int typeOid, String text) {
        if (text == null) {
            return NODES.nullNode();
        }
        return switch (typeOid) {
            case BOOL -> NODES.booleanNode(text.equals("t") || text.equals("true"));
            case INT2, INT4, INT8, OID -> integer(text);
            case FLOAT4, FLOAT8, NUMERIC -> decimal(text);
            default -> NODES.textNode(text);
        };
    }

    private static JsonNode integer(String text) {
        try {
            return NODES.numberNode(Long.parseLong(text));
        } catch (NumberFormatException e) {
            return NODES.textNode(text);
        }
    }

    private static JsonNode decimal(String text) {
        try {
            // Exact, as the server wrote it: 1000 stays 1000 (a normalising factory would write 1E+3).
            return DecimalNode.valueOf(new BigDecimal(text));
        } catch (NumberFormatException e) {
            return NODES.textNode(text);
        }
    }
}
