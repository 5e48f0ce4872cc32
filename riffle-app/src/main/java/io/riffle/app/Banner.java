package io.riffle.app;

/** What a person sees when Riffle has started: where it listens and where the admin credential is. */
final class Banner {
    private Banner() {
    }

    static void print(AppConfig config, Node node, Node.Mode mode) {
        var out = System.out;
        out.println();
        out.println("Riffle is up (" + mode.name().toLowerCase(java.util.Locale.ROOT) + ")");
        if (node.httpPort() > 0) {
            out.println("  API:        http://" + displayHost(config.httpHost()) + ":" + node.httpPort() + "/v1");
        }
        out.println("  data dir:   " + config.dataDir());
        out.println("  NATS:       " + Redact.url(node.natsUrl()));
        if (mode != Node.Mode.SERVER) {
            var engine = AppConfig.engine(config.environment());
            out.println("  pipelines:  " + (engine.pipelines().isEmpty() ? "all" : String.join(",",
                new java.util.TreeSet<>(engine.pipelines()))) + ", " + (engine.fixedRunners() > 0
                ? engine.fixedRunners() + " runner(s) each, not autoscaled" : "autoscaled"));
        }
        if (node.isolation() != null) {
            out.println("  functions:  " + node.isolation());
        }
        if (node.adminTokenFile() != null) {
            out.println("  admin token written to " + node.adminTokenFile() + " (mode 0600)");
        } else if (mode != Node.Mode.WORKER) {
            out.println("  admin token: " + config.dataDir().resolve("admin.token") + " (written at first start)");
        }
        out.println("  stop with Ctrl-C");
        out.println();
        out.flush();
    }

    private static String displayHost(String host) {
        return "0.0.0.0".equals(host) ? "127.0.0.1" : host;
    }
}
