package io.riffle.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.riffle.core.EnvVar;
import io.riffle.core.PipelineSettings;
import io.riffle.core.SettingsCodec;
import io.riffle.core.RiffleException;
import java.util.ArrayList;
import java.util.List;

/** The JSON kept in jsonb columns: free-form nodes, pipeline settings and environment variables. */
final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    /** JSON text, or SQL NULL for a missing or JSON-null node. */
    static String write(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new RiffleException("cannot write JSON", e);
        }
    }

    static JsonNode read(String text) {
        if (text == null) {
            return null;
        }
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new RiffleException("stored JSON is corrupt: " + e.getOriginalMessage(), e);
        }
    }

    static String settings(PipelineSettings settings) {
        return write(SettingsCodec.write(settings));
    }

    /** Missing keys take their defaults, so that settings added later read from older rows. */
    static PipelineSettings settings(String text) {
        return SettingsCodec.read(read(text), PipelineSettings.DEFAULTS);
    }

    static String environments(List<EnvVar> environments) {
        var array = MAPPER.createArrayNode();
        for (var env : environments) {
            var item = array.addObject().put("name", env.name());
            if (env.isSecret()) {
                // Only the reference is stored; the value is resolved when a worker starts.
                item.putObject("secret_ref").put("type", "organization").put("key", env.secretKey());
            } else {
                item.put("value", env.value());
            }
        }
        return write(array);
    }

    static List<EnvVar> environments(String text) {
        var out = new ArrayList<EnvVar>();
        for (var node : read(text)) {
            var ref = node.path("secret_ref");
            out.add(ref.isObject() ? EnvVar.secret(node.path("name").asText(), ref.path("key").asText())
                : new EnvVar(node.path("name").asText(), node.path("value").asText()));
        }
        return out;
    }
}
