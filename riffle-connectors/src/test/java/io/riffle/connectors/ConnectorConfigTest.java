package io.riffle.connectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.riffle.core.InvalidInputException;
import io.riffle.core.NotFoundException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConnectorConfigTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text.replace('\'', '"'));
    }

    private static String secret(String key) {
        if (key.equals("PG_PASS")) {
            return "s3cret";
        }
        throw new NotFoundException("no secret " + key);
    }

    @Test
    void readsPlainAndSecretCapableEncodings() throws Exception {
        var plain = ConnectorConfig.of(Direction.SINK, json("{'kind':'webhook','config':{'url':'http://x','port':'80',"
            + "'headers':[{'name':'A','value':'1'}]}}"), null);
        assertThat(plain.kind()).isEqualTo("webhook");
        assertThat(plain.string("url")).isEqualTo("http://x");
        assertThat(plain.integer("port", 1, 1, 65535)).isEqualTo(80);
        assertThat(plain.pairs("headers")).containsEntry("A", "1");

        var capable = ConnectorConfig.of(Direction.SOURCE, json("{'kind':'postgres','configuration':{"
            + "'db_host':{'value':'localhost'},'db_pass':{'secret_ref':{'type':'organization','key':'PG_PASS'}}}}"),
            ConnectorConfigTest::secret);
        assertThat(capable.string("db_host")).isEqualTo("localhost");
        assertThat(capable.isSecret("db_pass")).isTrue();
        assertThat(capable.string("db_pass")).isEqualTo("s3cret");
    }

    @Test
    void errorsNameTheField() throws Exception {
        var config = ConnectorConfig.of(Direction.SOURCE, json("{'kind':'postgres','configuration':{"
            + "'db_port':{'value':'x'},'db_pass':{'secret_ref':{'key':'MISSING'}}}}"), ConnectorConfigTest::secret);
        assertThatThrownBy(() -> config.string("db_host")).isInstanceOf(InvalidInputException.class)
            .hasMessage("source_connector.configuration.db_host: is required");
        assertThatThrownBy(() -> config.integer("db_port", 5432, 1, 65535))
            .hasMessage("source_connector.configuration.db_port: must be a whole number; got 'x'");
        assertThatThrownBy(() -> config.string("db_pass"))
            .hasMessage("source_connector.configuration.db_pass: refers to secret 'MISSING', which does not exist");
        assertThatThrownBy(() -> config.choice("mode", "a", List.of("b", "c")))
            .hasMessageContaining("must be one of b, c");
    }

    @Test
    void refusesWhatIsNotAConnector() throws Exception {
        assertThatThrownBy(() -> ConnectorConfig.of(Direction.SINK, json("{'config':{}}"), null))
            .hasMessageContaining("sink_connector must be");
        assertThatThrownBy(() -> ConnectorConfig.of(Direction.SINK, json("{'kind':'webhook','config':[]}"), null))
            .hasMessageContaining("sink_connector.config must be an object");
    }

    @Test
    void registryNamesTheAvailableKinds() throws Exception {
        ConnectorFactory webhook = new ConnectorFactory() {
            public String kind() {
                return "webhook";
            }

            public Direction direction() {
                return Direction.SINK;
            }

            public void validate(ConnectorConfig config) {
                config.string("url");
            }
        };
        var registry = ConnectorRegistry.of(List.of(webhook));
        assertThat(registry.kinds(Direction.SINK)).containsExactly("webhook");
        assertThatThrownBy(() -> registry.check(Direction.SINK, json("{'kind':'ftp','config':{}}"), null, false))
            .hasMessage("sink_connector.kind: 'ftp' is not a sink connector kind; available: webhook");
        assertThatThrownBy(() -> registry.check(Direction.SINK, json("{'kind':'webhook','config':{}}"), null, false))
            .hasMessage("sink_connector.config.url: is required");
    }
}
