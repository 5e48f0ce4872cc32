package io.riffle.connectors.cloud;

import io.riffle.connectors.Rejection;
import io.riffle.connectors.Sink;
import io.riffle.connectors.SinkRecord;
import io.riffle.core.UnavailableException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Inserts a batch of rows with one {@code INSERT ... FORMAT JSONEachRow}. When ClickHouse refuses the data (a
 * value that does not parse, an unknown column), the batch is halved until the bad rows stand alone; they become
 * dead letters with ClickHouse's message, the others are inserted. Any other error retries the batch.
 */
final class ClickHouseSink implements Sink {
    /** ClickHouse error codes that mean "this data", not "this server": parse and type errors, unknown column. */
    static final Set<Integer> DATA_ERRORS = Set.of(6, 16, 26, 27, 32, 33, 38, 41, 53, 62, 69, 70, 72, 117, 131,
        190, 321, 349, 377, 395, 531);
    private final ClickHouseHttp http;
    private final String insert;

    ClickHouseSink(ClickHouseHttp http, ClickHouseSinkFactory.ClickHouseSettings settings) {
        this.http = http;
        this.insert = "INSERT INTO " + settings.qualifiedTable() + " FORMAT JSONEachRow";
    }

    @Override
    public List<Rejection> write(List<SinkRecord> records) throws Exception {
        var rejections = new ArrayList<Rejection>();
        var rows = new ArrayList<Row>(records.size());
        for (var r : records) {
            var json = Payloads.parse(new String(r.payload(), StandardCharsets.UTF_8));
            if (json == null || !json.isObject()) {
                rejections.add(new Rejection(r, "clickhouse takes a flat JSON object {column: value} per result"));
            } else if (!json.isEmpty()) {
                rows.add(new Row(r, Payloads.write(json)));
            }
        }
        Bisect.write(rows, this::insert, (row, reason) -> rejections.add(new Rejection(row.record(), reason)));
        return rejections;
    }

    private void insert(List<Row> rows) throws Exception {
        var body = new ByteArrayOutputStream();
        for (var row : rows) {
            body.writeBytes(row.json());
            body.write('\n');
        }
        try {
            http.insert(insert, body.toByteArray());
        } catch (ClickHouseHttp.ServerError e) {
            if (DATA_ERRORS.contains(e.code())) {
                throw new RefusedException("ClickHouse refused the row: " + e.getMessage());
            }
            throw new UnavailableException("ClickHouse insert failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        http.close();
    }

    private record Row(SinkRecord record, byte[] json) {
    }
}
