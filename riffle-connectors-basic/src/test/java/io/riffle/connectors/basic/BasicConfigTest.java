package io.riffle.connectors.basic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.riffle.connectors.ConnectorRegistry;
import io.riffle.connectors.Direction;
import io.riffle.core.InvalidInputException;
import io.riffle.core.NotFoundException;
import org.junit.jupiter.api.Test;

class BasicConfigTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ConnectorRegistry REGISTRY = ConnectorRegistry.load();

    private static void check(Direction d, String connector) throws Exception {
        REGISTRY.check(d, JSON.readTree(connector.replace('\'', '"')), key -> {
            if (key.equals("HOOK_KEY")) {
                return "k";
            }
            throw new NotFoundException("secret " + key);
        }, false);
    }

    private static void refused(Direction d, String connector, String message) {
        assertThatThrownBy(() -> check(d, connector)).isInstanceOf(InvalidInputException.class)
            .hasMessageContaining(message);
    }

    @Test
    void serviceLoaderFindsTheBasicKinds() {
        assertThat(REGISTRY.kinds(Direction.SINK)).contains("webhook", "nats");
        assertThat(REGISTRY.kinds(Direction.SOURCE)).contains("nats");
    }

    @Test
    void webhookFieldsAreCheckedByName() throws Exception {
        check(Direction.SINK, "{'kind':'webhook','config':{'url':'https://example.com/h','method':'put',"
            + "'headers':[{'name':'Authorization','value':'Bearer x'}],'timeout_ms':'2500',"
            + "'hmac_secret':{'secret_ref':{'type':'organization','key':'HOOK_KEY'}}}}");
        check(Direction.SINK, "{'kind':'webhook','configuration':{'url':{'value':'http://127.0.0.1:9/x'}}}");
        refused(Direction.SINK, "{'kind':'webhook','config':{}}", "sink_connector.config.url: is required");
        refused(Direction.SINK, "{'kind':'webhook','config':{'url':'ftp://x/y'}}",
            "sink_connector.config.url: must be an http:// or https:// URL with a host; got 'ftp://x/y'");
        refused(Direction.SINK, "{'kind':'webhook','config':{'url':'http://x','method':'GET'}}",
            "sink_connector.config.method: must be one of POST, PUT, PATCH; got 'GET'");
        refused(Direction.SINK, "{'kind':'webhook','config':{'url':'http://x','timeout_ms':0}}",
            "sink_connector.config.timeout_ms: must be between 100 and 300000; got 0");
        refused(Direction.SINK, "{'kind':'webhook','config':{'url':'http://x','headers':[{'name':'Host','value':'y'}]}}",
            "sink_connector.config.headers: 'Host' is set by Riffle");
        refused(Direction.SINK, "{'kind':'webhook','config':{'url':'http://x',"
            + "'hmac_secret':{'secret_ref':{'type':'organization','key':'NOPE'}}}}",
            "sink_connector.config.hmac_secret: refers to secret 'NOPE', which does not exist");
        refused(Direction.SOURCE, "{'kind':'webhook','config':{'url':'http://x'}}",
            "source_connector.kind: 'webhook' is not a source connector kind");
    }

    @Test
    void webhookProbeRefusesAHostThatDoesNotResolve() throws Exception {
        var node = JSON.readTree("{\"kind\":\"webhook\",\"config\":{\"url\":\"http://no-such-host.invalid/h\"}}");
        assertThatThrownBy(() -> REGISTRY.check(Direction.SINK, node, k -> "", true))
            .isInstanceOf(InvalidInputException.class)
            .hasMessageContaining("sink_connector.config.url: host 'no-such-host.invalid' does not resolve");
    }

    @Test
    void natsFieldsAreCheckedByName() throws Exception {
        check(Direction.SOURCE, "{'kind':'nats','config':{'url':'nats://127.0.0.1:4222','subject':'a.>',"
            + "'queue_group':'q'}}");
        check(Direction.SOURCE, "{'kind':'nats','config':{'url':'nats://h:4222','stream':'ORDERS','durable':'riffle',"
            + "'subject':'orders.new'}}");
        check(Direction.SINK, "{'kind':'nats','config':{'url':'nats://h:4222','subject':'out','jetstream':true}}");
        refused(Direction.SOURCE, "{'kind':'nats','config':{'url':'nats://h:4222'}}",
            "source_connector.config.subject: is required (or stream and durable");
        refused(Direction.SOURCE, "{'kind':'nats','config':{'url':'http://h','subject':'a'}}",
            "source_connector.config.url: must look like nats://host:4222; got 'http://h'");
        refused(Direction.SOURCE, "{'kind':'nats','config':{'url':'nats://h','stream':'S'}}",
            "source_connector.config.durable: is required with stream");
        refused(Direction.SOURCE, "{'kind':'nats','config':{'url':'nats://h','subject':'a','user':'u'}}",
            "source_connector.config.password: is required with user");
        refused(Direction.SINK, "{'kind':'nats','config':{'url':'nats://h','subject':'a.*'}}",
            "sink_connector.config.subject: must be one subject without spaces or wildcards");
        refused(Direction.SINK, "{'kind':'nats','config':{'url':'nats://h','subject':'a','jetstream':'yes'}}",
            "sink_connector.config.jetstream: must be true or false; got 'yes'");
    }

    @Test
    void natsProbeRefusesADeadPort() throws Exception {
        int port;
        try (var s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        var node = JSON.readTree("{\"kind\":\"nats\",\"config\":{\"url\":\"nats://127.0.0.1:" + port
            + "\",\"subject\":\"x\"}}");
        assertThatThrownBy(() -> REGISTRY.check(Direction.SINK, node, k -> "", true))
            .isInstanceOf(InvalidInputException.class)
            .hasMessageContaining("sink_connector.config.url: cannot connect to nats://127.0.0.1:" + port);
    }
}
