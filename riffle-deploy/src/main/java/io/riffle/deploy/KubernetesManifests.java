package io.riffle.deploy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Renders, for one pipeline, a worker {@code Deployment} (containers running {@code riffle worker}) and a KEDA
 * {@code ScaledObject} that scales it on the backlog of the pipeline's {@code runner} consumer with the
 * {@code nats-jetstream} trigger. A pure function from descriptions to YAML documents: no server, no cluster.
 */
public final class KubernetesManifests {
    /** Keys of the Secret the workers read. */
    public static final String DATABASE_URL_KEY = "database-url";
    public static final String MASTER_KEY_KEY = "master-key";
    /** Where a worker keeps virtualenvs and handler files: an emptyDir, rebuilt by each new pod. */
    public static final String DATA_DIR = "/var/lib/riffle";
    public static final String PIPELINE_LABEL = "riffle.io/pipeline";
    /** JVM and engine memory of a worker pod, on top of its Python workers. */
    static final int ENGINE_MEMORY_MB = 512;
    /** Sizing when a pipeline sets no memory limit for its Python workers. */
    static final int DEFAULT_WORKER_MEMORY_MB = 1024;

    private KubernetesManifests() {
    }

    /** The objects of one pipeline, in apply order: Deployment, ScaledObject. */
    public static List<Map<String, Object>> render(PipelineDescription p, KubernetesTarget t) {
        return List.of(deployment(p, t), scaledObject(p, t));
    }

    /** The objects of every pipeline, in the given order. */
    public static List<Map<String, Object>> renderAll(List<PipelineDescription> pipelines, KubernetesTarget t) {
        var all = new ArrayList<Map<String, Object>>();
        pipelines.forEach(p -> all.addAll(render(p, t)));
        return all;
    }

    /** {@code riffle-worker-<pipeline id>}: the Deployment's and the ScaledObject's name. */
    public static String workerName(String pipelineId) {
        return "riffle-worker-" + pipelineId.toLowerCase(java.util.Locale.ROOT);
    }

    /** The pipeline's input stream, as the broker names it: {@code <PREFIX>_<id>_IN}. */
    public static String inputStream(String prefix, String pipelineId) {
        return prefix + "_" + pipelineId + "_IN";
    }

    static Map<String, Object> deployment(PipelineDescription p, KubernetesTarget t) {
        var selector = selectorLabels(p, t);
        var container = map(
            "name", "worker",
            "image", t.image(),
            "imagePullPolicy", "IfNotPresent",
            "command", List.of("riffle"),
            "args", List.of("worker"),
            "env", List.of(
                secretEnv("RIFFLE_DATABASE_URL", t.secretName(), DATABASE_URL_KEY),
                secretEnv("RIFFLE_MASTER_KEY", t.secretName(), MASTER_KEY_KEY),
                env("RIFFLE_NATS_URL", t.natsUrl()),
                env("RIFFLE_NATS_PREFIX", t.natsPrefix()),
                env("RIFFLE_NATS_REPLICAS", Integer.toString(t.natsReplicas())),
                env("RIFFLE_DATA_DIR", DATA_DIR),
                // this Deployment runs only its pipeline, one runner per pod: KEDA decides the pod count
                env("RIFFLE_WORKER_PIPELINES", p.id()),
                env("RIFFLE_WORKER_RUNNERS", "1")),
            "resources", resources(p),
            // 'riffle worker' serves no HTTP: the probes check the process and its data dir lock (taken at boot);
            // a worker that loses PostgreSQL or NATS for good exits, and Kubernetes restarts it.
            "startupProbe", execProbe("test -f " + DATA_DIR + "/riffle.lock", 2, 60),
            "readinessProbe", execProbe("test -f " + DATA_DIR + "/riffle.lock", 10, 3),
            "livenessProbe", execProbe("kill -0 1", 20, 3),
            "volumeMounts", List.of(map("name", "data", "mountPath", DATA_DIR)),
            "securityContext", map("allowPrivilegeEscalation", false, "runAsNonRoot", true,
                "capabilities", map("drop", List.of("ALL"))));
        var podSpec = map(
            "terminationGracePeriodSeconds", 45,
            "securityContext", map("runAsUser", 10001, "runAsGroup", 10001, "fsGroup", 10001),
            "containers", List.of(container),
            "volumes", List.of(map("name", "data", "emptyDir", map())));
        // No spec.replicas: KEDA owns the count, and re-applying the file must not reset it.
        var spec = map(
            "selector", map("matchLabels", selector),
            "strategy", map("type", "RollingUpdate", "rollingUpdate", map("maxUnavailable", 0, "maxSurge", 1)),
            "template", map("metadata", map("labels", labels(p, t)), "spec", podSpec));
        return map("apiVersion", "apps/v1", "kind", "Deployment", "metadata", metadata(p, t), "spec", spec);
    }

    /**
     * One trigger on the plain {@code runner} consumer; with ordering by key one more per partition consumer
     * {@code runner-<n>}, each with {@code lag_per_replica / partitions} as threshold: the HPA takes the largest
     * of the triggers' wishes, which for keys spread evenly over the partitions is the total lag over
     * {@code lag_per_replica}.
     */
    static List<Map<String, Object>> triggers(PipelineDescription p, KubernetesTarget t) {
        var out = new ArrayList<Map<String, Object>>();
        out.add(trigger(p, t, "runner", p.lagPerReplica()));
        for (int n = 0; n < p.partitions(); n++) {
            out.add(trigger(p, t, "runner-" + n, Math.max(1, (p.lagPerReplica() + p.partitions() - 1)
                / p.partitions())));
        }
        return out;
    }

    private static Map<String, Object> trigger(PipelineDescription p, KubernetesTarget t, String consumer,
                                               int threshold) {
        return map(
            "type", "nats-jetstream",
            "metadata", map(
                "natsServerMonitoringEndpoint", t.natsMonitoringEndpoint(),
                "account", "$G",
                "stream", inputStream(t.natsPrefix(), p.id()),
                "consumer", consumer,
                "lagThreshold", Integer.toString(threshold),
                "activationLagThreshold", "0",
                "useHttps", "false"));
    }

    static Map<String, Object> scaledObject(PipelineDescription p, KubernetesTarget t) {
        int cooldownSeconds = seconds(p.cooldownMs());
        var spec = map(
            "scaleTargetRef", map("apiVersion", "apps/v1", "kind", "Deployment", "name", workerName(p.id())),
            "pollingInterval", t.pollingIntervalSeconds(),
            "cooldownPeriod", cooldownSeconds,
            "minReplicaCount", Math.min(p.minReplicas(), p.podCap()),
            "maxReplicaCount", p.podCap(),
            "advanced", map("horizontalPodAutoscalerConfig", map("behavior", map(
                "scaleUp", map("stabilizationWindowSeconds", 0),
                "scaleDown", map("stabilizationWindowSeconds", cooldownSeconds)))),
            "triggers", triggers(p, t));
        var metadata = metadata(p, t);
        if (p.paused()) {
            // A paused pipeline keeps its backlog; without this KEDA would start pods that have nothing to run.
            @SuppressWarnings("unchecked")
            var annotations = (Map<String, Object>) metadata.get("annotations");
            annotations.put("autoscaling.keda.sh/paused-replicas", "0");
        }
        return map("apiVersion", "keda.sh/v1alpha1", "kind", "ScaledObject", "metadata", metadata, "spec", spec);
    }

    /** Multi-document YAML, one {@code ---} per object, block style. */
    public static String toYaml(List<Map<String, Object>> objects) {
        var options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setIndicatorIndent(2);
        options.setIndentWithIndicator(true);
        options.setSplitLines(false);
        var yaml = new Yaml(options);
        var out = new StringBuilder();
        for (var o : objects) {
            out.append("---\n").append(yaml.dump(o));
        }
        return out.toString();
    }

    private static Map<String, Object> metadata(PipelineDescription p, KubernetesTarget t) {
        var annotations = map();
        if (p.name() != null) {
            annotations.put("riffle.io/pipeline-name", p.name());
        }
        annotations.put("riffle.io/scaling", "min_replicas=" + p.minReplicas() + " max_replicas=" + p.maxReplicas()
            + " lag_per_replica=" + p.lagPerReplica() + " cooldown_ms=" + p.cooldownMs()
            + " idle_timeout_ms=" + p.idleTimeoutMs() + (p.partitions() > 0 ? " partitions=" + p.partitions() : ""));
        return map("name", workerName(p.id()), "namespace", t.namespace(), "labels", labels(p, t),
            "annotations", annotations);
    }

    private static Map<String, Object> selectorLabels(PipelineDescription p, KubernetesTarget t) {
        return map("app.kubernetes.io/name", "riffle", "app.kubernetes.io/instance", t.release(),
            "app.kubernetes.io/component", "worker", PIPELINE_LABEL, p.id().toLowerCase(java.util.Locale.ROOT));
    }

    private static Map<String, Object> labels(PipelineDescription p, KubernetesTarget t) {
        var labels = selectorLabels(p, t);
        labels.put("app.kubernetes.io/part-of", "riffle");
        labels.put("app.kubernetes.io/managed-by", "riffle-deploy");
        return labels;
    }

    private static Map<String, Object> resources(PipelineDescription p) {
        int python = p.memoryLimitMb() > 0 ? p.memoryLimitMb() : DEFAULT_WORKER_MEMORY_MB;
        // One runner of this pipeline per pod (RIFFLE_WORKER_RUNNERS=1): the engine plus one Python worker.
        var memory = (ENGINE_MEMORY_MB + python) + "Mi";
        return map(
            "requests", map("cpu", "500m", "memory", memory),
            "limits", map("memory", memory));
    }

    private static Map<String, Object> execProbe(String shell, int periodSeconds, int failureThreshold) {
        return map("exec", map("command", List.of("sh", "-c", shell)), "periodSeconds", periodSeconds,
            "timeoutSeconds", 5, "failureThreshold", failureThreshold);
    }

    private static Map<String, Object> env(String name, String value) {
        return map("name", name, "value", value);
    }

    private static Map<String, Object> secretEnv(String name, String secret, String key) {
        return map("name", name, "valueFrom", map("secretKeyRef", map("name", secret, "key", key)));
    }

    /** Milliseconds rounded up to whole seconds, at least 1. */
    static int seconds(long ms) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, (ms + 999) / 1000));
    }

    private static Map<String, Object> map(Object... keysAndValues) {
        var m = new LinkedHashMap<String, Object>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }
}
