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
