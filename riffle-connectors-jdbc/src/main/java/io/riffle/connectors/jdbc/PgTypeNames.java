package io.riffle.connectors.jdbc;

/** Names a column type as {@code format_type(oid, typmod)} does ({@code character varying(20)}). */
@FunctionalInterface
interface PgTypeNames {
    String name(int oid, int typmod);
}
