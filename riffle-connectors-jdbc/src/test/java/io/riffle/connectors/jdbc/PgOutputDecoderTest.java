package io.riffle.connectors.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class PgOutputDecoderTest {
    private final PgOutputDecoder decoder = new PgOutputDecoder((oid, typmod) -> switch (oid) {
        case 23 -> "integer";
        case 25 -> "text";
        case 16 -> "boolean";
        default -> "type" + oid;
    });

    /** Builds a pgoutput message the way the server writes it (big-endian, C strings). */
    private static final class Message {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final DataOutputStream out = new DataOutputStream(bytes);

        Message(char tag) {
            b(tag);
        }

        Message b(int v) {
            return io(() -> out.writeByte(v));
        }

        Message s(int v) {
            return io(() -> out.writeShort(v));
        }

        Message i(int v) {
            return io(() -> out.writeInt(v));
        }

        Message l(long v) {
            return io(() -> out.writeLong(v));
        }

        Message str(String v) {
            return io(() -> {
                out.write(v.getBytes(StandardCharsets.UTF_8));
                out.writeByte(0);
            });
        }

        Message text(String v) {
            var raw = v.getBytes(StandardCharsets.UTF_8);
            return b('t').i(raw.length).io(() -> out.write(raw));
        }

        private Message io(IoAction action) {
            try {
                action.run();
            } catch (IOException e) {
                throw new AssertionError(e);
            }
            return this;
        }

        ByteBuffer buffer() {
            return ByteBuffer.wrap(bytes.toByteArray());
        }
    }

    @FunctionalInterface
    private interface IoAction {
        void run() throws IOException;
    }

    private void relation() {
        var r = new Message('R').i(16384).str("public").str("users").b('d').s(3)
            .b(1).str("id").i(23).i(-1)
            .b(0).str("name").i(25).i(-1)
            .b(0).str("ok").i(16).i(-1);
        assertThat(decoder.decode(r.buffer())).isEmpty();
    }

    @Test
    void beginInsertCommitDecodeToTransactionAndWal2JsonShapedChange() {
        relation();
        var begin = decoder.decode(new Message('B').l(0x16B3748L).l(0).i(741).buffer());
        assertThat(begin).containsExactly(new WalMessage.Begin(741, 0x16B3748L, "2000-01-01T00:00:00Z"));
        var insert = decoder.decode(new Message('I').i(16384).b('N').s(3).text("7").text("ann").text("t").buffer());
        var event = ((WalMessage.Change) insert.getFirst()).event();
        assertThat(event.toString()).isEqualTo("{\"action\":\"I\",\"schema\":\"public\",\"table\":\"users\","
            + "\"columns\":[{\"name\":\"id\",\"type\":\"integer\",\"value\":7},"
            + "{\"name\":\"name\",\"type\":\"text\",\"value\":\"ann\"},"
            + "{\"name\":\"ok\",\"type\":\"boolean\",\"value\":true}]}");
        var commit = decoder.decode(new Message('C').b(0).l(0x16B3748L).l(0x16B3780L).l(0).buffer());
        assertThat(commit).containsExactly(new WalMessage.Commit(0x16B3780L));
    }

    @Test
    void updateWithoutOldKeyTakesTheIdentityFromTheNewRowAndSkipsUnchangedToast() {
        relation();
        var update = decoder.decode(new Message('U').i(16384).b('N').s(3).text("7").b('u').b('n').buffer());
        var event = ((WalMessage.Change) update.getFirst()).event();
        assertThat(event.path("columns")).hasSize(2);
        assertThat(event.path("columns").get(1).path("value").isNull()).isTrue();
        assertThat(event.path("identity").toString()).isEqualTo("[{\"name\":\"id\",\"type\":\"integer\",\"value\":7}]");
    }

    @Test
    void updateWithAChangedKeyAndDeleteCarryTheOldKeyAsIdentity() {
        relation();
        var update = decoder.decode(new Message('U').i(16384).b('K').s(3).text("7").b('n').b('n')
            .b('N').s(3).text("8").text("bo").text("f").buffer());
        var u = ((WalMessage.Change) update.getFirst()).event();
        assertThat(u.path("identity").toString()).isEqualTo("[{\"name\":\"id\",\"type\":\"integer\",\"value\":7}]");
        assertThat(u.path("columns").get(0).path("value").asInt()).isEqualTo(8);
        var delete = decoder.decode(new Message('D').i(16384).b('K').s(3).text("8").b('n').b('n').buffer());
        var d = ((WalMessage.Change) delete.getFirst()).event();
        assertThat(d.path("action").asText()).isEqualTo("D");
        assertThat(d.has("columns")).isFalse();
        assertThat(d.path("identity")).hasSize(1);
        var full = decoder.decode(new Message('D').i(16384).b('O').s(3).text("9").text("cy").text("t").buffer());
        assertThat(((WalMessage.Change) full.getFirst()).event().path("identity")).hasSize(3);
    }

    @Test
    void truncateNamesEveryTableAndOtherMessagesAreSkipped() {
        relation();
        var truncate = decoder.decode(new Message('T').i(1).b(0).i(16384).buffer());
        assertThat(truncate).hasSize(1);
        assertThat(((WalMessage.Change) truncate.getFirst()).event().toString())
            .isEqualTo("{\"action\":\"T\",\"schema\":\"public\",\"table\":\"users\"}");
        assertThat(decoder.decode(new Message('Y').i(1).str("public").str("t").buffer())).isEmpty();
        assertThat(decoder.decode(new Message('O').l(1).str("origin").buffer())).isEqualTo(List.of());
    }

    @Test
    void aChangeBeforeItsRelationIsAnError() {
        assertThatThrownBy(() -> decoder.decode(new Message('I').i(99).b('N').s(0).buffer()))
            .hasMessageContaining("relation 99");
    }

    @Test
    void valuesBecomeJsonNumbersAndBooleansLikeWal2Json() {
        assertThat(PgValues.of(20, "9007199254740993").asLong()).isEqualTo(9007199254740993L);
        assertThat(PgValues.of(1700, "12.50").decimalValue()).isEqualByComparingTo("12.5");
        assertThat(PgValues.of(1700, "1000").toString()).isEqualTo("1000");
        assertThat(PgValues.of(1700, "1000.00").toString()).isEqualTo("1000.00");
        assertThat(PgValues.of(1700, "NaN").asText()).isEqualTo("NaN");
        assertThat(PgValues.of(701, "Infinity").isTextual()).isTrue();
        assertThat(PgValues.of(16, "f").asBoolean()).isFalse();
        assertThat(PgValues.of(1114, "2024-01-02 03:04:05").asText()).isEqualTo("2024-01-02 03:04:05");
        assertThat(PgValues.of(23, null).isNull()).isTrue();
    }
}
