package io.riffle.connectors.jdbc;

import io.riffle.connectors.ConnectorConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The {@code postgres} source's configuration, checked once.
 *
 * @param pluginArgs        the output plugin's options as sent with {@code START_REPLICATION}, Riffle's defaults
 *                          first, the user's {@code replication_output_plugin_args} over them
 * @param publicationTables the tables a publication Riffle creates covers; empty means {@code FOR ALL TABLES}
 */
record CdcSettings(DbEndpoint endpoint, String slot, String publication, String plugin,
                   Map<String, String> pluginArgs, boolean createSlot, boolean createPublication,
                   List<String> publicationTables) {
    static final String PGOUTPUT = "pgoutput";
    static final String WAL2JSON = "wal2json";
    private static final Pattern SLOT_NAME = Pattern.compile("[a-z0-9_]{1,63}");
    private static final Pattern PUBLICATION_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]{0,62}");
    private static final Pattern TABLE_NAME =
        Pattern.compile("[A-Za-z_][A-Za-z0-9_$]*(\\.[A-Za-z_][A-Za-z0-9_$]*)?");

    static CdcSettings from(ConnectorConfig config) {
        var endpoint = DbEndpoint.from(config, 5432, DbEndpoint.POSTGRES_SSL_MODES);
        var slot = config.string("replication_slot");
        if (!SLOT_NAME.matcher(slot).matches()) {
            throw config.invalid("replication_slot", "must be 1 to 63 lower-case letters, digits or underscores; got '"
                + slot + "'");
        }
        var plugin = config.choice("replication_output_plugin_name", PGOUTPUT, List.of(PGOUTPUT, WAL2JSON));
        var publication = config.string("publication", slot);
        if (!PUBLICATION_NAME.matcher(publication).matches()) {
            throw config.invalid("publication", "must be a plain identifier (letters, digits, _ or $, not starting "
                + "with a digit, at most 63); got '" + publication + "'");
        }
        var tables = config.strings("publication_tables");
        for (int i = 0; i < tables.size(); i++) {
            if (!TABLE_NAME.matcher(tables.get(i)).matches()) {
                throw config.invalid("publication_tables[" + i + "]", "must be table or schema.table; got '"
                    + tables.get(i) + "'");
            }
        }
        return new CdcSettings(endpoint, slot, publication, plugin, pluginArgs(config, plugin, publication),
            config.bool("create_slot", true), config.bool("create_publication", true), List.copyOf(tables));
    }

    private static Map<String, String> pluginArgs(ConnectorConfig config, String plugin, String publication) {
        var args = new LinkedHashMap<String, String>();
        if (plugin.equals(PGOUTPUT)) {
            args.put("proto_version", "1");
            args.put("publication_names", publication);
        } else {
            args.put("format-version", "2");
            args.put("include-xids", "true");
            args.put("include-timestamp", "true");
            args.put("include-transaction", "true");
        }
        args.putAll(userArgs(config));
        if (plugin.equals(WAL2JSON) && (!"2".equals(args.get("format-version"))
            || !"true".equals(args.get("include-transaction")))) {
            throw config.invalid("replication_output_plugin_args", "Riffle reads wal2json's format-version=2 with "
                + "include-transaction=true; remove the other values");
        }
        if (plugin.equals(PGOUTPUT) && !"1".equals(args.get("proto_version"))) {
            throw config.invalid("replication_output_plugin_args", "Riffle decodes pgoutput proto_version=1; got '"
                + args.get("proto_version") + "'");
        }
        return Map.copyOf(args);
    }

    /** {@code ["key=value", ...]} or {@code {"key": "value"}}. */
    private static Map<String, String> userArgs(ConnectorConfig config) {
        var field = "replication_output_plugin_args";
        var out = new LinkedHashMap<String, String>();
        var raw = config.raw(field);
        if (raw != null && raw.isObject()) {
            raw.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
            return out;
        }
        var list = config.strings(field);
        for (int i = 0; i < list.size(); i++) {
            var item = list.get(i);
            var eq = item.indexOf('=');
            if (eq <= 0) {
                throw config.invalid(field + "[" + i + "]", "must be key=value; got '" + item + "'");
            }
            out.put(item.substring(0, eq).trim(), item.substring(eq + 1).trim());
        }
        return out;
    }
}
