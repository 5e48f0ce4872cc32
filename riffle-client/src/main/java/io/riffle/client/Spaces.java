package io.riffle.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/** Spaces the caller is a member of. Obtained from {@link RiffleClient#spaces()}; thread-safe. */
public final class Spaces {
    private final Http http;

    Spaces(Http http) {
        this.http = http;
    }

    public List<Space> list() {
        var root = http.call("GET", "spaces", null, JsonNode.class);
        return List.of(Http.JSON.convertValue(root.path("spaces"), Space[].class));
    }

    public Space create(String name) {
        return http.call("POST", "spaces", Map.of("name", name), Space.class);
    }

    /** @throws RiffleClientException with status 409 when the space still holds pipelines */
    public void delete(String spaceId) {
        http.call("DELETE", "spaces/" + Http.encode(spaceId), null);
    }
}
