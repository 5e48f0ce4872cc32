package io.riffle.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The Helm chart without helm (not installable here): its files are there, its YAML files parse, every
 * {@code .Values} path a template reads exists in values.yaml, template blocks are balanced, and it agrees with what
 * {@code riffle deploy kubernetes} renders (names, Secret keys, NATS endpoints).
 */
class HelmChartTest {
    static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    static final Path CHART = REPO.resolve("deploy/helm/riffle");
    static final List<String> TEMPLATES = List.of("_helpers.tpl", "NOTES.txt", "secret.yaml",
        "server-deployment.yaml", "server-service.yaml", "worker-deployment.yaml", "servicemonitor.yaml");

    static Map<String, Object> load(Path file) throws IOException {
        return new Yaml().load(Files.readString(file));
    }

    static String templates() throws IOException {
        var all = new StringBuilder();
        for (var t : TEMPLATES) {
            all.append(Files.readString(CHART.resolve("templates").resolve(t))).append('\n');
        }
        return all.toString();
    }

    @SuppressWarnings("unchecked")
    static Object at(Map<String, Object> values, String path) {
        Object node = values;
        for (var key : path.split("\\.")) {
            if (!(node instanceof Map<?, ?> m) || !m.containsKey(key)) {
                return Missing.VALUE;
            }
            node = ((Map<String, Object>) m).get(key);
        }
        return node;
    }

    enum Missing { VALUE }

    @Test
    void everyFileIsThere() {
        assertThat(CHART.resolve("Chart.yaml")).isRegularFile();
        assertThat(CHART.resolve("values.yaml")).isRegularFile();
        for (var t : TEMPLATES) {
            assertThat(CHART.resolve("templates").resolve(t)).isRegularFile();
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void chartDeclaresNatsAndPostgresqlAsOptionalDependencies() throws IOException {
        var chart = load(CHART.resolve("Chart.yaml"));
        assertThat(chart).containsEntry("apiVersion", "v2").containsEntry("name", "riffle");
        var deps = (List<Map<String, Object>>) chart.get("dependencies");
        assertThat(deps).extracting(d -> d.get("name")).containsExactly("nats", "postgresql");
        assertThat(deps).extracting(d -> d.get("condition")).containsExactly("nats.enabled", "postgresql.enabled");
        assertThat(deps).allSatisfy(d -> assertThat(d).containsKeys("version", "repository"));
    }

    @Test
    void valuesParseAndAskForJetStreamWithThreeReplicas() throws IOException {
        var values = load(CHART.resolve("values.yaml"));
        assertThat(at(values, "nats.enabled")).isEqualTo(true);
        assertThat(at(values, "nats.config.cluster.enabled")).isEqualTo(true);
        assertThat(at(values, "nats.config.cluster.replicas")).isEqualTo(3);
        assertThat(at(values, "nats.config.jetstream.enabled")).isEqualTo(true);
        assertThat(at(values, "nats.config.monitor.enabled")).isEqualTo(true);
        assertThat(at(values, "nats.config.monitor.port")).isEqualTo(8222);
        assertThat(at(values, "riffle.natsReplicas")).isEqualTo(3);
        assertThat(at(values, "postgresql.enabled")).isEqualTo(true);
        assertThat(at(values, "secrets.existingSecret")).isEqualTo("");
        assertThat(at(values, "metrics.serviceMonitor.enabled")).isEqualTo(false);
        assertThat(at(values, "image.repository") + ":" + at(values, "image.tag"))
            .as("the image riffle deploy kubernetes assumes").isEqualTo(KubernetesTarget.DEFAULT_IMAGE);
    }

    @Test
    void everyValueATemplateReadsIsInValuesYaml() throws IOException {
        var values = load(CHART.resolve("values.yaml"));
        var missing = new ArrayList<String>();
        var m = Pattern.compile("\\.Values\\.([A-Za-z0-9_.]+)").matcher(templates());
        while (m.find()) {
            var path = m.group(1).replaceAll("\\.$", "");
            if (at(values, path) == Missing.VALUE) {
                missing.add(path);
            }
        }
        assertThat(missing).isEmpty();
    }

    @Test
    void templateBlocksAreBalanced() throws IOException {
        for (var t : TEMPLATES) {
            var text = Files.readString(CHART.resolve("templates").resolve(t));
            assertThat(count(text, "\\{\\{")).as(t + ": {{ and }}").isEqualTo(count(text, "\\}\\}"));
            int opens = count(text, "\\{\\{-?\\s*(if|range|with|define)\\b");
            int ends = count(text, "\\{\\{-?\\s*end\\b");
            assertThat(opens).as(t + ": blocks and ends").isEqualTo(ends);
        }
    }

    @Test
    void chartAgreesWithTheRenderedWorkers() throws IOException {
        var helpers = Files.readString(CHART.resolve("templates/_helpers.tpl"));
        var worker = Files.readString(CHART.resolve("templates/worker-deployment.yaml"));
        // Same Secret keys and environment as the per-pipeline Deployments.
        assertThat(helpers).contains("key: " + KubernetesManifests.DATABASE_URL_KEY)
            .contains("key: " + KubernetesManifests.MASTER_KEY_KEY)
            .contains("RIFFLE_NATS_URL", "RIFFLE_NATS_PREFIX", "RIFFLE_NATS_REPLICAS")
            .contains("value: " + KubernetesManifests.DATA_DIR);
        // The NATS URL and the Secret name that 'riffle deploy kubernetes' defaults to for release "riffle".
        assertThat(helpers).contains("nats://%s-nats:4222");
        assertThat(KubernetesTarget.defaults("riffle").natsUrl()).isEqualTo("nats://riffle-nats:4222");
        assertThat(KubernetesTarget.defaults("riffle").secretName()).isEqualTo("riffle");
        // The chart's pool of workers must not share a selector with the per-pipeline Deployments.
        assertThat(worker).contains("riffle.io/pipeline: all").contains("args: [\"worker\"]");
        var server = Files.readString(CHART.resolve("templates/server-deployment.yaml"));
        assertThat(server).contains("path: /healthz").contains("path: /readyz").contains("args: [\"server\"]")
            .contains("RIFFLE_HTTP_HOST");
        assertThat(Files.readString(CHART.resolve("templates/servicemonitor.yaml"))).contains("path: /metrics");
    }

    @Test
    void exampleManifestIsWhatTheRendererPrints() throws IOException {
        var example = Files.readString(REPO.resolve("deploy/kubernetes/example-worker.yaml"));
        var p = new PipelineDescription("3d80a059-3281-4a09-94d9-8a845fbb7d5d", "Echo upper", "running", 1, 4, 100,
            60_000, 300_000, 1024);
        var rendered = KubernetesManifests.toYaml(KubernetesManifests.render(p, KubernetesTarget.defaults("riffle")));
        assertThat(example.substring(example.indexOf("---"))).isEqualTo(rendered);
    }

    private static int count(String text, String regex) {
        return (int) Pattern.compile(regex).matcher(text).results().count();
    }
}
