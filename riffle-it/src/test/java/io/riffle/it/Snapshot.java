package io.riffle.it;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a refused request must not change, read through the API as the admin: spaces, pipelines, the fixture
 * pipeline's detail, versions, access tokens, members, secrets, personal tokens, stored input events and dead
 * letters. Two snapshots are equal when nothing of that changed.
 */
record Snapshot(Map<String, String> parts) {
    static Snapshot take(Api api, HostileInputIT.Fixture f) {
        var p = f.pipeline();
        var parts = new LinkedHashMap<String, String>();
        parts.put("spaces", api.get("/v1/spaces").expect(200).body());
        parts.put("pipelines", api.get("/v1/pipelines").expect(200).body());
        parts.put("pipeline", api.get(p.path("")).expect(200).body());
        parts.put("versions", api.get(p.path("/functions/main/versions")).expect(200).body());
        parts.put("access tokens", api.get(p.path("/access_tokens")).expect(200).body());
        parts.put("members", api.get("/v1/spaces/" + f.spaceId() + "/members").expect(200).body());
        parts.put("secrets", api.get("/v1/secrets").expect(200).body());
        parts.put("personal tokens", api.get("/v1/personal_access_tokens").expect(200).body());
        var status = api.status(p);
        parts.put("input stored", status.path("input_stored").asText());
        parts.put("dead letters", api.get(p.path("/dead_letters")).expect(200).body());
        return new Snapshot(parts);
    }

    /** The first part that differs from {@code later}, or null when none does. */
    String diff(Snapshot later) {
        for (var e : parts.entrySet()) {
            var other = later.parts.get(e.getKey());
            if (!e.getValue().equals(other)) {
                return e.getKey() + " changed: " + around(e.getValue(), other) + " → " + around(other, e.getValue());
            }
        }
        return null;
    }

    /** The part of {@code s} around its first difference from {@code other}. */
    private static String around(String s, String other) {
        if (s == null || other == null) {
            return s;
        }
        int i = 0;
        while (i < s.length() && i < other.length() && s.charAt(i) == other.charAt(i)) {
            i++;
        }
        return "..." + s.substring(Math.max(0, i - 80), Math.min(s.length(), i + 200)) + "...";
    }
}
