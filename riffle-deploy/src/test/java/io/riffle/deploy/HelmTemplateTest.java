package io.riffle.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * The chart rendered by Helm itself: helm-java runs Helm's Go code (helm.sh/helm/v3's template and lint actions)
 * as a native library from Maven Central, so no helm binary is needed. The two subcharts (NATS, PostgreSQL) cannot
 * be fetched here (their repositories are not reachable), so the chart is rendered from a copy without its
 * {@code dependencies} and with both disabled, as an installation with external NATS and PostgreSQL is; the
 * subcharts' own templates are not checked.
 */
class HelmTemplateTest {
    static final Path CHART = Path.of("..", "deploy", "helm", "riffle").toAbsolutePath().normalize();
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private Path chart;

    @BeforeEach
    void copyChartWithoutSubcharts() throws IOException {
        chart = dir.resolve("riffle");
        try (var files = Files.walk(CHART)) {
            for (var source : files.toList()) {
                var target = chart.resolve(CHART.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        }
        var chartYaml = Files.readString(chart.resolve("Chart.yaml"));
        assertThat(chartYaml).contains("\ndependencies:\n");
        Files.writeString(chart.resolve("Chart.yaml"), chartYaml.substring(0, chartYaml.indexOf("\ndependencies:\n")
            + 1));
    }

    private List<Map<String, Object>> render(UnaryOperator<TemplateCommand> values) {
        var command = new Helm(chart).template().withName("prod").withNamespace("data")
            .set("nats.enabled", false).set("postgresql.enabled", false)
            .set("externalNats.url", "nats://nats.infra:4222");
        var out = values.apply(command).call();
        var docs = new ArrayList<Map<String, Object>>();
        for (var doc : new Yaml().loadAll(out)) {
            if (doc != null) {
                @SuppressWarnings("unchecked")
                var m = (Map<String, Object>) doc;
                docs.add(m);
            }
        }
        return docs;
    }

    private static <T> List<T> ofKind(List<Map<String, Object>> docs, String kind, Class<T> type) {
        return docs.stream().filter(d -> kind.equals(d.get("kind"))).map(d -> JSON.convertValue(d, type)).toList();
    }

    private static EnvVar env(Container c, String name) {
        return c.getEnv().stream().filter(e -> e.getName().equals(name)).findFirst()
            .orElseThrow(() -> new AssertionError(name + " not in " + c.getEnv()));
    }

    @Test
    void helmRendersServerWorkersServiceAndServiceMonitorWithSecretsByReference() {
        var docs = render(t -> t.set("secrets.existingSecret", "riffle-creds")
            .set("metrics.serviceMonitor.enabled", true).set("workers.replicaCount", 2)
            .set("image.repository", "registry.example.com/riffle").set("image.tag", "1.2.3"));
        assertThat(docs).extracting(d -> d.get("kind")).containsExactlyInAnyOrder("Service", "Deployment",
            "Deployment", "ServiceMonitor");
        var deployments = ofKind(docs, "Deployment", Deployment.class);
        var server = deployments.stream().filter(d -> d.getMetadata().getName().endsWith("server")).findFirst()
            .orElseThrow();
        var worker = deployments.stream().filter(d -> d.getMetadata().getName().endsWith("worker")).findFirst()
            .orElseThrow();
        var s = server.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(s.getImage()).isEqualTo("registry.example.com/riffle:1.2.3");
        assertThat(s.getArgs()).containsExactly("server");
        assertThat(s.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
        assertThat(s.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
        assertThat(worker.getSpec().getReplicas()).isEqualTo(2);
        var w = worker.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(w.getArgs()).containsExactly("worker");
        for (var c : List.of(s, w)) {
            assertThat(env(c, "RIFFLE_DATABASE_URL").getValueFrom().getSecretKeyRef().getName())
                .isEqualTo("riffle-creds");
            assertThat(env(c, "RIFFLE_DATABASE_URL").getValueFrom().getSecretKeyRef().getKey())
                .isEqualTo(KubernetesManifests.DATABASE_URL_KEY);
            assertThat(env(c, "RIFFLE_MASTER_KEY").getValueFrom().getSecretKeyRef().getKey())
                .isEqualTo(KubernetesManifests.MASTER_KEY_KEY);
            assertThat(env(c, "RIFFLE_NATS_URL").getValue()).isEqualTo("nats://nats.infra:4222");
        }
        var service = ofKind(docs, "Service", Service.class).get(0);
        assertThat(service.getSpec().getSelector()).isEqualTo(server.getSpec().getSelector().getMatchLabels());
        var monitor = ofKind(docs, "ServiceMonitor", GenericKubernetesResource.class).get(0);
        assertThat((Object) monitor.get("spec", "endpoints", 0, "path")).isEqualTo("/metrics");
    }

    @Test
    void withoutAnExistingSecretTheChartCreatesOneAndRefusesMissingCredentials() {
        var docs = render(t -> t.set("secrets.databaseUrl", "jdbc:postgresql://db:5432/riffle")
            .set("secrets.masterKey", "a2V5"));
        var secret = ofKind(docs, "Secret", Secret.class);
        assertThat(secret).singleElement().satisfies(x -> assertThat(x.getStringData())
            .containsEntry(KubernetesManifests.DATABASE_URL_KEY, "jdbc:postgresql://db:5432/riffle")
            .containsEntry(KubernetesManifests.MASTER_KEY_KEY, "a2V5"));
        assertThatThrownBy(() -> render(t -> t)).hasMessageContaining("secrets.existingSecret");
        assertThatThrownBy(() -> new Helm(chart).template().withName("prod").set("nats.enabled", false)
            .set("postgresql.enabled", false).set("secrets.existingSecret", "x").call())
            .hasMessageContaining("externalNats.url is required");
    }

    @Test
    void helmLintFindsNoErrors() {
        var result = new Helm(chart).lint().call();
        System.out.println("helm " + Helm.version().call() + " lint: " + result.getMessages());
        assertThat(result.isFailed()).as("helm lint: %s", result.getMessages()).isFalse();
    }
}
