package io.riffle.bench;

import java.util.List;

/** One benchmark of the suite: runs its warm-up and its measurement, and reports rows of the table. */
interface Benchmark {
    /** {@code B1} .. {@code B8}. */
    String id();

    /** Rows of the result table; failures are thrown, and the suite turns them into an error row. */
    List<Row> run(BenchContext ctx);
}
