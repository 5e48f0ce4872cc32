package io.riffle.engine;

import io.riffle.core.FunctionVersion;
import io.riffle.core.Pipeline;

/** What should run for one pipeline: its settings and the (ready) function version. */
record Deployment(Pipeline pipeline, FunctionVersion version) {
    String pipelineId() {
        return pipeline.id();
    }

    /** Two deployments need different runners when the version or any run setting differs. */
    boolean sameRunnersAs(Deployment other) {
        return other != null && version.version() == other.version.version()
            && pipeline.settings().equals(other.pipeline.settings())
            && version.environments().equals(other.version.environments());
    }
}
