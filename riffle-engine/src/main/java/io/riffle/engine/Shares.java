package io.riffle.engine;

import java.util.List;

/**
 * How the runners of one pipeline are divided among the live engines: evenly, the remainder going to engines
 * chosen by a rotation derived from the pipeline id, so that single-runner pipelines spread over the engines.
 * Every engine computes the same split from the same registry, without talking to the others.
 */
final class Shares {
    private Shares() {
    }

    /**
     * This engine's part of {@code desired} runners.
     *
     * @param live the live engines' ids, sorted; {@code self} counts as live even when it is not listed yet
     */
    static int of(int desired, String pipelineId, List<String> live, String self) {
        if (!live.contains(self)) {
            var withSelf = new java.util.ArrayList<>(live);
            withSelf.add(self);
            withSelf.sort(null);
            live = withSelf;
        }
        int n = live.size();
        int index = live.indexOf(self);
        int rotation = Math.floorMod(pipelineId.hashCode(), n);
        int position = Math.floorMod(index - rotation, n);
        return desired / n + (position < desired % n ? 1 : 0);
    }

    /**
     * The engines that take shares of a pipeline's autoscaled runners: those that run it and autoscale (an engine
     * with fixed runners runs them on its own and takes no share). Sorted ids.
     */
    static List<String> eligible(List<io.riffle.broker.WorkerRegistry.Entry> live, String pipelineId) {
        return live.stream().filter(e -> e.fixedRunners() == 0 && e.accepts(pipelineId))
            .map(io.riffle.broker.WorkerRegistry.Entry::id).sorted().toList();
    }
}
