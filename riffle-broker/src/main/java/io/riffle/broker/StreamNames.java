package io.riffle.broker;

import java.util.Locale;

/** Stream, subject and consumer names of one Riffle installation (one prefix). */
public record StreamNames(String prefix) {
    /** Durable consumer on the input stream shared by all runners of a pipeline. */
    public static final String RUNNER = "runner";
    /** Durable consumer on the output and failed streams used by the consume API. */
    public static final String API = "api";

    private String lower() {
        return prefix.toLowerCase(Locale.ROOT);
    }

    public String inStream(String pipelineId) {
        return prefix + "_" + pipelineId + "_IN";
    }

    public String outStream(String pipelineId) {
        return prefix + "_" + pipelineId + "_OUT";
    }

    public String failedStream(String pipelineId) {
        return prefix + "_" + pipelineId + "_FAILED";
    }

    public String logsStream() {
        return prefix + "_LOGS";
    }

    public String inSubject(String pipelineId) {
        return lower() + "." + pipelineId + ".in";
    }

    /** Subjects of the partitions of an input ordered by key: {@code <prefix>.<id>.in.<n>}. */
    public String partitionSubject(String pipelineId, int partition) {
        return inSubject(pipelineId) + "." + partition;
    }

    public String partitionWildcard(String pipelineId) {
        return inSubject(pipelineId) + ".*";
    }

    /** Durable consumer of one partition ({@code runner-<n>}), which lets one event at a time be in flight. */
    public static String partitionConsumer(int partition) {
        return RUNNER + "-" + partition;
    }

    /** True for the consumers runners read: {@code runner} and {@code runner-<n>}. */
    public static boolean runnerConsumer(String name) {
        return name.equals(RUNNER) || name.startsWith(RUNNER + "-");
    }

    public String outSubject(String pipelineId) {
        return lower() + "." + pipelineId + ".out";
    }

    public String failedSubject(String pipelineId) {
        return lower() + "." + pipelineId + ".failed";
    }

    public String logsSubject(String pipelineId) {
        return lower() + "." + pipelineId + ".logs";
    }

    public String logsWildcard() {
        return lower() + ".*.logs";
    }

    /** Core-NATS subject on which pipeline changes are announced to engines. */
    public String controlSubject() {
        return lower() + ".control.pipelines";
    }
}
