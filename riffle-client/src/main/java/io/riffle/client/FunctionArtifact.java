package io.riffle.client;

/**
 * The latest function version's source and requirements.
 *
 * @param requirementsTxt may be empty, never null
 * @param status          {@code building}, {@code ready} or {@code failed}
 */
public record FunctionArtifact(String transformationFunction, String requirementsTxt, int version, String status) {
    public FunctionArtifact {
        requirementsTxt = requirementsTxt == null ? "" : requirementsTxt;
    }
}
