package io.riffle.connectors.cloud;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;

/**
 * Maps a result to Pinecone vectors (pure). A result is either one vector {@code {"id", "values",
 * "sparse_values", "metadata", "namespace"}} or {@code {"vectors": [...], "namespace": "..."}}; both snake_case and
 * Pinecone's camelCase ({@code sparseValues}) are read; vectors are sent in Pinecone's upsert shape.
 */
final class PineconeVectors {
    private PineconeVectors() {
    }

    /** The vectors of one result and the namespace they go to, or why the result cannot be upserted. */
    record Parsed(String namespace, ArrayNode vectors, String problem) {
        static Parsed refused(String problem) {
            return new Parsed(null, null, problem);
        }
    }

    static Parsed of(byte[] payload) {
        var json = Payloads.parse(new String(payload, StandardCharsets.UTF_8));
        if (json == null || !json.isObject()) {
            return Parsed.refused("pinecone_json takes a JSON object per result");
        }
        var namespace = json.path("namespace");
        if (!namespace.isMissingNode() && !namespace.isNull() && !namespace.isTextual()) {
            return Parsed.refused("namespace must be a string");
        }
        var out = Payloads.JSON.createArrayNode();
        if (json.has("vectors")) {
            if (!json.get("vectors").isArray() || json.get("vectors").isEmpty()) {
                return Parsed.refused("vectors must be a non-empty list of vectors");
            }
            int i = 0;
            for (var v : json.get("vectors")) {
                var problem = add(v, out);
                if (problem != null) {
                    return Parsed.refused("vectors[" + i + "]: " + problem);
                }
                i++;
            }
        } else {
            var problem = add(json, out);
            if (problem != null) {
                return Parsed.refused(problem);
            }
        }
        return new Parsed(namespace.asText(""), out, null);
    }

    private static String add(JsonNode v, ArrayNode out) {
        if (!v.isObject()) {
            return "a vector must be an object with id and values";
        }
        if (!v.path("id").isTextual() || v.get("id").asText().isEmpty()) {
            return "id must be a non-empty string";
        }
        var vector = out.addObject().put("id", v.get("id").asText());
        var values = v.get("values");
        var sparse = v.has("sparse_values") ? v.get("sparse_values") : v.get("sparseValues");
        if (values == null && sparse == null) {
            return "a vector needs values or sparse_values";
        }
        if (values != null) {
            if (!numbers(values)) {
                return "values must be a list of numbers";
            }
            vector.set("values", values);
        }
        if (sparse != null) {
            if (!sparse.isObject() || !numbers(sparse.path("values")) || !sparse.path("indices").isArray()
                || sparse.get("indices").size() != sparse.get("values").size()) {
                return "sparse_values must be {\"indices\": [...], \"values\": [...]} of equal length";
            }
            for (var index : sparse.get("indices")) {
                if (!index.canConvertToLong() || !index.isIntegralNumber() || index.asLong() < 0) {
                    return "sparse_values.indices must be whole numbers >= 0";
                }
            }
            vector.set("sparseValues", sparse);
        }
        var metadata = v.get("metadata");
        if (metadata != null && !metadata.isNull()) {
            if (!metadata.isObject()) {
                return "metadata must be an object";
            }
            vector.set("metadata", metadata);
        }
        return null;
    }

    private static boolean numbers(JsonNode node) {
        if (!node.isArray()) {
            return false;
        }
        for (var n : node) {
            if (!n.isNumber()) {
                return false;
            }
        }
        return true;
    }

    /** The upsert request body for {@code vectors} in {@code namespace}. */
    static ObjectNode upsertBody(String namespace, ArrayNode vectors) {
        var body = Payloads.JSON.createObjectNode();
        body.set("vectors", vectors);
        if (!namespace.isEmpty()) {
            body.put("namespace", namespace);
        }
        return body;
    }
}
