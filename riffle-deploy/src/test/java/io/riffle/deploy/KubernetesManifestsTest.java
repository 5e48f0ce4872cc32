package io.riffle.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

class KubernetesManifestsTest {
    static final String ID = "3d80a059-3281-4a09-94d9-8a845fbb7d5d";
    static final ObjectMapper JSON = new ObjectMapper()
        .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

    static PipelineDescription pipeline(String id, String state, int min, int max) {
        return new PipelineDescription(id, "Echo upper", state, min, max, 50, 30_000, 120_000, 256);
    }

    /** Renders to text and parses the text back, as kubectl would read it. */
    static List<Map<String, Object>> roundTrip(List<PipelineDescription> pipelines, KubernetesTarget t) {
        var text = KubernetesManifests.toYaml(KubernetesManifests.renderAll(pipelines, t));
        var docs = new ArrayList<Map<String, Object>>();
        for (var doc : new Yaml().loadAll(text)) {
            @SuppressWarnings("unchecked")
            var m = (Map<String, Object>) doc;
            docs.add(m);
        }
        return docs;
    }

    static Deployment deployment(Map<String, Object> doc) {
        return JSON.convertValue(doc, Deployment.class);
    }

    static GenericKubernetesResource generic(Map<String, Object> doc) {
        return JSON.convertValue(doc, GenericKubernetesResource.class);
    }

    @Test
    void rendersDeploymentAndScaledObjectPerPipeline() {
        var docs = roundTrip(List.of(pipeline(ID, "running", 1, 4), pipeline("p2", "running", 0, 2)),
            KubernetesTarget.defaults("riffle"));
        assertThat(docs).extracting(d -> d.get("kind"))
            .containsExactly("Deployment", "ScaledObject", "Deployment", "ScaledObject");
        assertThat(docs).extracting(d -> (Object) ((Map<?, ?>) d.get("metadata")).get("name"))
            .containsExactly("riffle-worker-" + ID, "riffle-worker-" + ID, "riffle-worker-p2", "riffle-worker-p2");
    }

    @Test
    void deploymentRunsRiffleWorkerWithSecretsByReference() {
        var d = deployment(roundTrip(List.of(pipeline(ID, "running", 1, 4)), KubernetesTarget.defaults("prod"))
            .get(0));
        assertThat(d.getApiVersion()).isEqualTo("apps/v1");
        assertThat(d.getMetadata().getNamespace()).isEqualTo("prod");
        assertThat(d.getMetadata().getAnnotations()).containsEntry("riffle.io/pipeline-name", "Echo upper");
        assertThat(d.getSpec().getReplicas()).as("KEDA owns the count").isNull();

        var selector = d.getSpec().getSelector().getMatchLabels();
        assertThat(selector).containsEntry("riffle.io/pipeline", ID)
            .containsEntry("app.kubernetes.io/component", "worker")
            .containsEntry("app.kubernetes.io/instance", "riffle");
        assertThat(d.getSpec().getTemplate().getMetadata().getLabels()).containsAllEntriesOf(selector);
        assertThat(d.getMetadata().getLabels()).containsAllEntriesOf(selector);

        var pod = d.getSpec().getTemplate().getSpec();
        assertThat(pod.getContainers()).hasSize(1);
        var c = pod.getContainers().get(0);
        assertThat(c.getImage()).isEqualTo("riffle:0.1.0");
        assertThat(c.getCommand()).containsExactly("riffle");
        assertThat(c.getArgs()).containsExactly("worker");

        var env = c.getEnv().stream().collect(java.util.stream.Collectors.toMap(EnvVar::getName, e -> e));
        assertThat(env.get("RIFFLE_DATABASE_URL").getValue()).isNull();
        assertThat(env.get("RIFFLE_DATABASE_URL").getValueFrom().getSecretKeyRef().getName()).isEqualTo("riffle");
        assertThat(env.get("RIFFLE_DATABASE_URL").getValueFrom().getSecretKeyRef().getKey())
            .isEqualTo("database-url");
        assertThat(env.get("RIFFLE_MASTER_KEY").getValue()).isNull();
        assertThat(env.get("RIFFLE_MASTER_KEY").getValueFrom().getSecretKeyRef().getKey()).isEqualTo("master-key");
        assertThat(env.get("RIFFLE_NATS_URL").getValue()).isEqualTo("nats://riffle-nats:4222");
        assertThat(env.get("RIFFLE_NATS_PREFIX").getValue()).isEqualTo("RIFFLE");
        assertThat(env.get("RIFFLE_NATS_REPLICAS").getValue()).isEqualTo("3");
        assertThat(env.get("RIFFLE_DATA_DIR").getValue()).isEqualTo("/var/lib/riffle");
        assertThat(env.get("RIFFLE_WORKER_PIPELINES").getValue()).as("only its own pipeline").isEqualTo(ID);
        assertThat(env.get("RIFFLE_WORKER_RUNNERS").getValue()).as("one runner per pod").isEqualTo("1");

        assertThat(c.getLivenessProbe().getExec().getCommand()).containsExactly("sh", "-c", "kill -0 1");
        assertThat(c.getReadinessProbe().getExec().getCommand())
            .containsExactly("sh", "-c", "test -f /var/lib/riffle/riffle.lock");
        assertThat(c.getStartupProbe()).isNotNull();

        assertThat(c.getResources().getRequests()).containsEntry("memory", new Quantity("768Mi"))
            .containsEntry("cpu", new Quantity("500m"));
        assertThat(c.getResources().getLimits()).containsEntry("memory", new Quantity("768Mi"));
        assertThat(c.getVolumeMounts()).singleElement()
            .satisfies(m -> assertThat(m.getMountPath()).isEqualTo("/var/lib/riffle"));
        assertThat(pod.getVolumes()).singleElement()
            .satisfies(v -> assertThat(v.getEmptyDir()).isNotNull());
    }

    @Test
    void scaledObjectScalesTheDeploymentOnTheRunnerConsumerBacklog() {
        var docs = roundTrip(List.of(pipeline(ID, "running", 1, 4)), KubernetesTarget.defaults("prod"));
        var d = deployment(docs.get(0));
        var so = generic(docs.get(1));
        assertThat(so.getApiVersion()).isEqualTo("keda.sh/v1alpha1");
        assertThat(so.getKind()).isEqualTo("ScaledObject");
        assertThat(so.getMetadata().getNamespace()).isEqualTo("prod");
        assertThat(so.getMetadata().getLabels()).isEqualTo(d.getMetadata().getLabels());
        assertThat(so.getMetadata().getAnnotations()).doesNotContainKey("autoscaling.keda.sh/paused-replicas");

        assertThat((Object) so.get("spec", "scaleTargetRef", "name")).isEqualTo(d.getMetadata().getName());
        assertThat((Object) so.get("spec", "scaleTargetRef", "kind")).isEqualTo("Deployment");
        assertThat((Object) so.get("spec", "minReplicaCount")).isEqualTo(1);
        assertThat((Object) so.get("spec", "maxReplicaCount")).isEqualTo(4);
        assertThat((Object) so.get("spec", "cooldownPeriod")).isEqualTo(30);
        assertThat((Object) so.get("spec", "pollingInterval")).isEqualTo(5);
        assertThat((Object) so.get("spec", "advanced", "horizontalPodAutoscalerConfig", "behavior", "scaleDown",
            "stabilizationWindowSeconds")).isEqualTo(30);

        List<Map<String, Object>> triggers = so.get("spec", "triggers");
        assertThat(triggers).singleElement().satisfies(t -> {
            assertThat(t).containsEntry("type", "nats-jetstream");
            assertThat(t.get("metadata")).isEqualTo(Map.of(
                "natsServerMonitoringEndpoint", "riffle-nats-headless.prod.svc.cluster.local:8222",
                "account", "$G",
                "stream", "RIFFLE_" + ID + "_IN",
                "consumer", "runner",
                "lagThreshold", "50",
                "activationLagThreshold", "0",
                "useHttps", "false"));
        });
    }

    @Test
    void anOrderedPipelineScalesOnEveryPartitionConsumerAndAtMostOnePodPerPartition() {
        var p = new PipelineDescription(ID, "Ordered", "running", 0, 8, 100, 30_000, 60_000, 256, 4);
        var so = generic(roundTrip(List.of(p), KubernetesTarget.defaults("prod")).get(1));
        assertThat((Object) so.get("spec", "maxReplicaCount")).isEqualTo(4);
        List<Map<String, Object>> triggers = so.get("spec", "triggers");
        assertThat(triggers).extracting(t -> (Object) ((Map<?, ?>) t.get("metadata")).get("consumer"))
            .containsExactly("runner", "runner-0", "runner-1", "runner-2", "runner-3");
        assertThat(triggers).extracting(t -> (Object) ((Map<?, ?>) t.get("metadata")).get("lagThreshold"))
            .containsExactly("100", "25", "25", "25", "25");
        assertThat(triggers).allSatisfy(t -> assertThat(((Map<?, ?>) t.get("metadata")).get("stream"))
            .isEqualTo("RIFFLE_" + ID + "_IN"));
        var settings = new io.riffle.client.PipelineSettings(null, 0, 8, 100, 30_000L, 60_000L, 30_000L, 3, 100,
            256).orderedBy("/user_id", 4);
        var details = new io.riffle.client.PipelineDetails(ID, "Ordered", "s1", "space", "running", null, null,
            null, null, null, List.of(), settings, null);
        assertThat(PipelineDescription.of(details)).isEqualTo(p);
    }

    @Test
    void triggerMetadataValuesAreStringsInTheYamlText() {
        // KEDA's metadata is map[string]string: an unquoted 50 would be rejected by the CRD's schema.
        var text = KubernetesManifests.toYaml(KubernetesManifests.render(pipeline(ID, "running", 0, 3),
            KubernetesTarget.defaults("riffle")));
        assertThat(text).contains("lagThreshold: '50'").contains("activationLagThreshold: '0'")
            .contains("account: $G").contains("minReplicaCount: 0").startsWith("---\n");
    }

    @Test
    void targetOptionsReachTheObjects() {
        var t = new KubernetesTarget("data", "registry.example.com/riffle:1.2", "prod", "riffle-creds",
            "nats://nats-a:4222,nats://nats-b:4222", "nats-mon.data.svc:8222", "ACME", 1, 15);
        var docs = roundTrip(List.of(pipeline(ID, "running", 2, 2)), t);
        var c = deployment(docs.get(0)).getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(c.getImage()).isEqualTo("registry.example.com/riffle:1.2");
        assertThat(c.getEnv()).filteredOn(e -> e.getValueFrom() != null)
            .allSatisfy(e -> assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("riffle-creds"));
        assertThat(c.getEnv()).anySatisfy(e -> {
            assertThat(e.getName()).isEqualTo("RIFFLE_NATS_URL");
            assertThat(e.getValue()).isEqualTo("nats://nats-a:4222,nats://nats-b:4222");
        });
        var so = generic(docs.get(1));
        assertThat((Object) so.get("spec", "triggers", 0, "metadata", "stream")).isEqualTo("ACME_" + ID + "_IN");
        assertThat((Object) so.get("spec", "triggers", 0, "metadata", "natsServerMonitoringEndpoint"))
            .isEqualTo("nats-mon.data.svc:8222");
        assertThat((Object) so.get("spec", "pollingInterval")).isEqualTo(15);
        assertThat(so.getMetadata().getLabels()).containsEntry("app.kubernetes.io/instance", "prod");
    }

    @Test
    void pausedPipelineIsHeldAtZeroPods() {
        var so = generic(roundTrip(List.of(pipeline(ID, "paused", 1, 4)), KubernetesTarget.defaults("riffle"))
            .get(1));
        assertThat(so.getMetadata().getAnnotations()).containsEntry("autoscaling.keda.sh/paused-replicas", "0");
    }

    @Test
    void noMemoryLimitSizesForTheDefaultWorker() {
        var p = new PipelineDescription(ID, null, "running", 0, 1, 10, 1, 1, 0);
        var d = deployment(roundTrip(List.of(p), KubernetesTarget.defaults("riffle")).get(0));
        var r = d.getSpec().getTemplate().getSpec().getContainers().get(0).getResources();
        assertThat(r.getRequests()).containsEntry("memory", new Quantity("1536Mi"));
        assertThat(d.getMetadata().getAnnotations()).doesNotContainKey("riffle.io/pipeline-name");
        var so = generic(roundTrip(List.of(p), KubernetesTarget.defaults("riffle")).get(1));
        assertThat((Object) so.get("spec", "cooldownPeriod")).as("1 ms rounds up to a second").isEqualTo(1);
    }

    @Test
    void cooldownRoundsUpToWholeSeconds() {
        assertThat(KubernetesManifests.seconds(300_000)).isEqualTo(300);
        assertThat(KubernetesManifests.seconds(1_500)).isEqualTo(2);
        assertThat(KubernetesManifests.seconds(0)).isEqualTo(1);
    }

    @Test
    void refusesWhatCannotBeRendered() {
        assertThatThrownBy(() -> pipeline("bad id", "running", 0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> pipeline(ID, "running", 3, 2)).hasMessageContaining("min <= max");
        assertThatThrownBy(() -> pipeline(ID, "running", 0, 0)).hasMessageContaining("max >= 1");
        assertThatThrownBy(() -> KubernetesTarget.defaults("Not_A_Namespace")).hasMessageContaining("namespace");
        assertThatThrownBy(() -> new KubernetesTarget("riffle", "img", "riffle", "riffle", "nats://n:4222",
            "http://n:8222", "RIFFLE", 3, 5)).hasMessageContaining("monitoring endpoint");
    }

    @Test
    void describesAPipelineAsTheApiAnswersIt() {
        var settings = new io.riffle.client.PipelineSettings(null, 1, 5, 100, 60_000L, 300_000L, 30_000L, 3, 100,
            512);
        var details = new io.riffle.client.PipelineDetails(ID, "Echo", "s1", "space", "running", null, null, null,
            null, null, List.of(), settings, null);
        assertThat(PipelineDescription.of(details))
            .isEqualTo(new PipelineDescription(ID, "Echo", "running", 1, 5, 100, 60_000, 300_000, 512));
        var noSettings = new io.riffle.client.PipelineDetails(ID, "Echo", "s1", "space", "running", null, null,
            null, null, null, List.of(), null, null);
        assertThatThrownBy(() -> PipelineDescription.of(noSettings)).hasMessageContaining("no scaling settings");
    }
}
