package io.riffle.deploy;

/**
 * Where and how the worker manifests run: the cluster side of {@code riffle deploy kubernetes}. The defaults match
 * the Helm chart in {@code deploy/helm/riffle} installed as release {@code riffle}.
 *
 * @param namespace              namespace of the Deployments and ScaledObjects
 * @param image                  container image whose {@code riffle} executable is on the PATH
 * @param release                Helm release of the platform; labels the workers {@code app.kubernetes.io/instance}
 * @param secretName             Secret with the keys {@code database-url} and {@code master-key}
 * @param natsUrl                {@code RIFFLE_NATS_URL} of the workers
 * @param natsMonitoringEndpoint host:port of the NATS monitoring endpoint that KEDA queries (a headless Service in
 *                               a cluster, so that KEDA can reach each node)
 * @param natsPrefix             {@code RIFFLE_NATS_PREFIX}: the stream name prefix
 * @param natsReplicas           {@code RIFFLE_NATS_REPLICAS}
 * @param pollingIntervalSeconds how often KEDA reads the backlog
 */
public record KubernetesTarget(String namespace, String image, String release, String secretName, String natsUrl,
                               String natsMonitoringEndpoint, String natsPrefix, int natsReplicas,
                               int pollingIntervalSeconds) {
    public static final String DEFAULT_NAMESPACE = "riffle";
    public static final String DEFAULT_IMAGE = "riffle:0.1.0";
    public static final String DEFAULT_RELEASE = "riffle";

    public KubernetesTarget {
        require(namespace, "namespace", "[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
        require(release, "release", "[a-z0-9]([-a-z0-9]{0,40}[a-z0-9])?");
        require(secretName, "secret", "[a-z0-9]([-.a-z0-9]{0,251}[a-z0-9])?");
        require(image, "image", "\\S+");
        require(natsUrl, "NATS URL", "nats://\\S+|tls://\\S+");
        require(natsMonitoringEndpoint, "NATS monitoring endpoint", "[^/:\\s]+:\\d{1,5}");
        require(natsPrefix, "NATS prefix", "[A-Za-z0-9_-]+");
        if (natsReplicas < 1 || natsReplicas > 5) {
            throw new IllegalArgumentException("NATS replicas must be 1 to 5; got " + natsReplicas);
        }
        if (pollingIntervalSeconds < 1) {
            throw new IllegalArgumentException("polling interval must be at least 1 second");
        }
    }

    /** The chart's defaults for release {@code riffle} in {@code namespace}. */
    public static KubernetesTarget defaults(String namespace) {
        return new KubernetesTarget(namespace, DEFAULT_IMAGE, DEFAULT_RELEASE, DEFAULT_RELEASE,
            "nats://" + DEFAULT_RELEASE + "-nats:4222", monitoringEndpoint(DEFAULT_RELEASE, namespace), "RIFFLE", 3, 5);
    }

    /** The headless Service of the chart's NATS (the official nats chart), port 8222, fully qualified for KEDA. */
    public static String monitoringEndpoint(String release, String namespace) {
        return release + "-nats-headless." + namespace + ".svc.cluster.local:8222";
    }

    private static void require(String value, String what, String pattern) {
        if (value == null || !value.matches(pattern)) {
            throw new IllegalArgumentException("invalid " + what + " '" + value + "'");
        }
    }
}
