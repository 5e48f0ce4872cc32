package io.riffle.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.riffle.broker.ConsumedEvent;
import io.riffle.core.FunctionVersion;
import io.riffle.core.Pipeline;
import io.riffle.core.PipelineSettings;
import io.riffle.core.PipelineToken;
import io.riffle.core.Space;
import io.riffle.core.SpaceMembership;

/** The JSON shapes of GlassFlow's API (and Riffle's additions, in the same conventions). */
final class Views {
    private Views() {
    }

    static ObjectNode space(Space s) {
        var o = Wire.object();
        o.put("name", s.name());
        o.put("id", s.id());
        o.put("created_at", Wire.time(s.createdAt()));
        return o;
    }

    static ObjectNode spaceScope(SpaceMembership m) {
        return space(m.space()).put("permission", m.role().wire());
    }

    /** GlassFlow's {@code SpacePipeline}. */
    static ObjectNode pipeline(Pipeline p, String spaceName) {
        var o = Wire.object();
        o.put("name", p.name());
        o.put("space_id", p.spaceId());
        o.set("metadata", p.metadata());
        o.put("id", p.id());
        o.put("created_at", Wire.time(p.createdAt()));
        o.put("state", p.state().wire());
        o.put("space_name", spaceName);
        return o;
    }

    /** GlassFlow's {@code GetDetailedSpacePipeline}, plus Riffle's function and settings fields. */
    static ObjectNode detailed(Pipeline p, String spaceName, FunctionVersion active, FunctionVersion latest) {
        var o = pipeline(p, spaceName);
        o.set("source_connector", p.sourceConnector());
        o.set("sink_connector", p.sinkConnector());
        o.set("environments", environments(latest));
        o.set("settings", settings(p.settings()));
        var fn = o.putObject("function");
        fn.put("active_version", p.activeVersion());
        fn.put("active_status", active == null ? null : active.status().wire());
        fn.put("latest_version", latest.version());
        fn.put("latest_status", latest.status().wire());
        o.put("updated_at", Wire.time(p.updatedAt()));
        return o;
    }

    static ArrayNode environments(FunctionVersion v) {
        var arr = Wire.JSON.createArrayNode();
        for (var e : v.environments()) {
            var item = arr.addObject().put("name", e.name());
            if (e.isSecret()) {
                item.putObject("value_secret_ref").put("type", "organization").put("key", e.secretKey());
            } else {
                item.put("value", e.value());
            }
        }
        return arr;
    }

    static ObjectNode settings(PipelineSettings s) {
        return io.riffle.core.SettingsCodec.write(s);
    }

    static ObjectNode token(PipelineToken t) {
        var o = Wire.object();
        o.put("id", t.id());
        o.put("name", t.name());
        o.put("token", t.token());
        o.put("created_at", Wire.time(t.createdAt()));
        return o;
    }

    static ObjectNode version(FunctionVersion v, boolean withLog) {
        var o = Wire.object();
        o.put("version", v.version());
        o.put("status", v.status().wire());
        o.put("created_at", Wire.time(v.createdAt()));
        o.put("requirements_txt", v.requirementsTxt());
        o.set("environments", environments(v));
        if (withLog) {
            o.put("build_log", v.buildLog());
            o.put("transformation_function", v.source());
        }
        return o;
    }

    /** GlassFlow's {@code ConsumeOutputEvent}, with the deprecated fields old SDKs require. */
    static ObjectNode consumed(ConsumedEvent e) {
        var o = Wire.object();
        var receive = Wire.time(e.receiveTime());
        o.put("req_id", e.requestId());
        o.put("receive_time", receive);
        o.set("payload", Wire.tree(e.payload()));
        var ctx = o.putObject("event_context");
        ctx.put("request_id", e.requestId());
        ctx.put("external_id", e.externalId());
        ctx.put("receive_time", receive);
        if (e.failed()) {
            o.put("status", "Failed");
            // GlassFlow SDK 2.1's consume_failed().event() reads `response`: give it the event that failed.
            o.set("response", Wire.tree(e.payload()));
            o.put("error_details", e.errorDetails());
            o.put("stack_trace", e.stackTrace());
            o.put("attempts", e.attempts());
            o.put("stage", e.stage());
        } else {
            o.put("status", "Success");
            o.set("response", Wire.tree(e.response()));
            o.putNull("error_details");
            o.putNull("stack_trace");
        }
        return o;
    }
}
