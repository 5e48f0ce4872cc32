package io.riffle.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The command line of {@code riffle bench}, parsed and validated once.
 *
 * @param only    benchmark ids to run, in the suite's order; all when empty
 * @param quick   small counts, for CI smoke runs (numbers are not meaningful)
 * @param events  events per throughput run; 0 = the default of the mode
 * @param out     where to write the markdown table; null = nowhere
 * @param jar     the riffle executable to launch
 * @param jvmOpts JVM flags of the riffle process (the launcher's defaults unless given)
 * @param jfr     a JFR recording file for the riffle process; null = no recording
 */
record BenchOptions(Set<String> only, boolean quick, int events, Path out, Path jar, List<String> jvmOpts,
                    Path jfr) {
    static final List<String> ALL = List.of("B1", "B2", "B3", "B4", "B5", "B6", "B7", "B8");
    static final int DEFAULT_EVENTS = 200_000;
    static final int QUICK_EVENTS = 2_000;
    static final List<String> LAUNCHER_JVM_OPTS = List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=4");
    static final String USAGE = """
        usage: riffle bench [--only B1,B3] [--quick] [--events N] [--out FILE]
                            [--jar riffle-app/target/riffle.jar] [--jvm-opts "..."] [--jfr FILE]
          --only      run these benchmarks only (B1..B8)
          --quick     small counts: a smoke run, numbers are not meaningful
          --events    events per throughput run (default 200000, quick 2000)
          --out       also write the table as markdown to FILE
          --jar       the riffle executable to benchmark
          --jvm-opts  JVM flags of the riffle process (default: the launcher's, -XX:+UseSerialGC
                      -XX:TieredStopAtLevel=4)
          --jfr       record the riffle process with Java Flight Recorder into FILE
        """;

    static BenchOptions parse(String... args) {
        var only = new LinkedHashSet<String>();
        boolean quick = false;
        int events = 0;
        Path out = null;
        Path jar = Path.of("riffle-app", "target", "riffle.jar");
        List<String> jvm = LAUNCHER_JVM_OPTS;
        Path jfr = null;
        for (int i = 0; i < args.length; i++) {
            var arg = args[i];
            switch (arg) {
                case "--quick" -> quick = true;
                case "--only" -> only.addAll(ids(value(args, ++i, arg)));
                case "--events" -> events = positive(value(args, ++i, arg), arg);
                case "--out" -> out = Path.of(value(args, ++i, arg));
                case "--jar" -> jar = Path.of(value(args, ++i, arg));
                case "--jvm-opts" -> jvm = words(value(args, ++i, arg));
                case "--jfr" -> jfr = Path.of(value(args, ++i, arg));
                default -> throw new IllegalArgumentException("unknown option '" + arg + "'\n" + USAGE);
            }
        }
        return new BenchOptions(Set.copyOf(only), quick, events, out, jar, jvm, jfr);
    }

    /** Events per throughput run. */
    int eventCount() {
        if (events > 0) {
            return events;
        }
        return quick ? QUICK_EVENTS : DEFAULT_EVENTS;
    }

    boolean selected(String id) {
        return only.isEmpty() || only.contains(id);
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length || args[i].startsWith("--")) {
            throw new IllegalArgumentException(option + " needs a value\n" + USAGE);
        }
        return args[i];
    }

    private static List<String> ids(String list) {
        var out = new ArrayList<String>();
        for (var part : list.split(",")) {
            var id = part.trim().toUpperCase(Locale.ROOT);
            if (id.isEmpty()) {
                continue;
            }
            if (!ALL.contains(id)) {
                throw new IllegalArgumentException("--only: unknown benchmark '" + part.trim() + "'; known: "
                    + String.join(",", ALL));
            }
            out.add(id);
        }
        return out;
    }

    private static int positive(String text, String option) {
        try {
            int n = Integer.parseInt(text.trim());
            if (n <= 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be a positive whole number; got '" + text + "'");
        }
    }

    private static List<String> words(String text) {
        return text.isBlank() ? List.of() : List.of(text.trim().split("\\s+"));
    }
}
