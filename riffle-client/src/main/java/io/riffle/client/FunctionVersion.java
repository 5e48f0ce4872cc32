package io.riffle.client;

import java.time.Instant;
import java.util.List;

/** One version of a pipeline's function; {@code status} is {@code building}, {@code ready} or {@code failed}. */
public record FunctionVersion(int version, String status, Instant createdAt, String requirementsTxt,
                              List<EnvVar> environments) {
    public FunctionVersion {
        environments = environments == null ? List.of() : List.copyOf(environments);
    }
}
