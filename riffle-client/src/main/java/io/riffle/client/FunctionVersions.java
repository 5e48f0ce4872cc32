package io.riffle.client;

import java.util.List;

/** All versions of a pipeline's function and which one runs. */
public record FunctionVersions(int activeVersion, List<FunctionVersion> versions) {
    public FunctionVersions {
        versions = versions == null ? List.of() : List.copyOf(versions);
    }
}
