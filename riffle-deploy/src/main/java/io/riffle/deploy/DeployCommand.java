package io.riffle.deploy;

import io.riffle.cli.CliException;
import io.riffle.cli.Connection;
import io.riffle.client.PipelineSummary;
import io.riffle.client.RiffleClient;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code riffle deploy}: renders what runs pipelines on a cluster. */
@Command(name = "deploy", mixinStandardHelpOptions = true,
    description = "Render deployment manifests for pipelines.",
    subcommands = DeployCommand.Kubernetes.class)
public final class DeployCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand: one of "
            + String.join(", ", spec.subcommands().keySet()));
    }

    /** Which pipelines: some by id, or all the caller sees. */
    static final class Selection {
        @Option(names = "--pipeline", paramLabel = "ID", required = true,
            description = "Pipeline to render (repeatable).")
        List<String> ids;

        @Option(names = "--all", required = true, description = "Render every pipeline you can see.")
        boolean all;
    }

    @Command(name = "kubernetes", aliases = "k8s", mixinStandardHelpOptions = true,
        description = {"Render a worker Deployment and a KEDA ScaledObject (nats-jetstream trigger on the pipeline's "
            + "runner consumer) per pipeline.",
            "Prints multi-document YAML for 'kubectl apply -f -', or writes one file per pipeline with -o DIR. "
                + "The defaults match the Helm chart deploy/helm/riffle installed as release 'riffle'."})
    public static final class Kubernetes implements Callable<Integer> {
        @Mixin
        Connection connection;

        @ArgGroup(exclusive = true, multiplicity = "1")
        Selection selection;

        @Option(names = {"-o", "--output-dir"}, paramLabel = "DIR",
            description = "Write <DIR>/riffle-worker-<pipeline id>.yaml per pipeline instead of printing.")
        Path outputDir;

        @Option(names = "--namespace", paramLabel = "NS", defaultValue = KubernetesTarget.DEFAULT_NAMESPACE,
            description = "Namespace of the objects (default: ${DEFAULT-VALUE}).")
        String namespace;

        @Option(names = "--image", paramLabel = "IMAGE", defaultValue = KubernetesTarget.DEFAULT_IMAGE,
            description = "Worker image with 'riffle' on the PATH (default: ${DEFAULT-VALUE}).")
        String image;

        @Option(names = "--release", paramLabel = "NAME", defaultValue = KubernetesTarget.DEFAULT_RELEASE,
            description = "Helm release of the platform; names the Secret and NATS defaults (default: "
                + "${DEFAULT-VALUE}).")
        String release;

        @Option(names = "--secret", paramLabel = "NAME",
            description = "Secret with keys database-url and master-key (default: the release name).")
        String secret;

        @Option(names = "--nats-url", paramLabel = "URL",
            description = "RIFFLE_NATS_URL of the workers (default: nats://<release>-nats:4222).")
        String natsUrl;

        @Option(names = "--nats-monitoring", paramLabel = "HOST:PORT",
            description = "NATS monitoring endpoint KEDA reads (default: "
                + "<release>-nats-headless.<namespace>.svc.cluster.local:8222).")
        String natsMonitoring;

        @Option(names = "--nats-prefix", paramLabel = "PREFIX", defaultValue = "RIFFLE",
            description = "RIFFLE_NATS_PREFIX of the installation (default: ${DEFAULT-VALUE}).")
        String natsPrefix;

        @Option(names = "--nats-replicas", paramLabel = "N", defaultValue = "3",
            description = "RIFFLE_NATS_REPLICAS of the workers (default: ${DEFAULT-VALUE}).")
        int natsReplicas;

        @Option(names = "--polling-interval", paramLabel = "SECONDS", defaultValue = "5",
            description = "How often KEDA reads the backlog (default: ${DEFAULT-VALUE}).")
        int pollingInterval;

        @Override
        public Integer call() {
            var target = target();
            var pipelines = fetch(connection.client());
            if (outputDir == null) {
                System.out.print(KubernetesManifests.toYaml(KubernetesManifests.renderAll(pipelines, target)));
            } else {
                write(pipelines, target, outputDir, System.err);
            }
            return 0;
        }

        KubernetesTarget target() {
            return new KubernetesTarget(namespace, image, release, secret != null ? secret : release,
                natsUrl != null ? natsUrl : "nats://" + release + "-nats:4222",
                natsMonitoring != null ? natsMonitoring : KubernetesTarget.monitoringEndpoint(release, namespace),
                natsPrefix, natsReplicas, pollingInterval);
        }

        private List<PipelineDescription> fetch(RiffleClient client) {
            List<String> ids = selection.all
                ? client.pipelines().list().stream().map(PipelineSummary::id).toList()
                : selection.ids;
            if (ids.isEmpty()) {
                throw new CliException("no pipelines to render: you see none");
            }
            var out = new ArrayList<PipelineDescription>();
            for (var id : ids) {
                out.add(PipelineDescription.of(client.pipelines().get(id)));
            }
            return out;
        }
    }

    /** Writes one file per pipeline and says which on {@code log}. */
    static void write(List<PipelineDescription> pipelines, KubernetesTarget target, Path dir, PrintStream log) {
        try {
            Files.createDirectories(dir);
            for (var p : pipelines) {
                var file = dir.resolve(KubernetesManifests.workerName(p.id()) + ".yaml");
                Files.writeString(file, KubernetesManifests.toYaml(KubernetesManifests.render(p, target)),
                    StandardCharsets.UTF_8);
                log.println("wrote " + file);
            }
        } catch (IOException e) {
            throw new CliException("cannot write to " + dir + ": " + e.getMessage(), e);
        }
    }
}
