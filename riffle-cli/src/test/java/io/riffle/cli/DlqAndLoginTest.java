package io.riffle.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The parts of {@code dlq} and password {@code login} that need no server. */
class DlqAndLoginTest {
    record Result(int exit, String err) {
    }

    private static Result run(Object command, String... args) {
        var err = new StringWriter();
        var cli = new CommandLine(command).setErr(new PrintWriter(err, true))
            .setExecutionExceptionHandler((e, c, p) -> {
                c.getErr().println("riffle: " + Cli.message(e).orElseThrow(() -> e));
                return Cli.FAILED;
            });
        return new Result(cli.execute(args), err.toString());
    }

    @Test
    void payloadsAndErrorsAreAbbreviatedToOneLine() {
        assertThat(DlqCommand.abbreviate("{\"id\":1}", 60)).isEqualTo("{\"id\":1}");
        assertThat(DlqCommand.abbreviate("ValueError: bad\n  more\n", 60)).isEqualTo("ValueError: bad more");
        assertThat(DlqCommand.abbreviate("x".repeat(100), 20)).hasSize(20).endsWith("...");
        assertThat(DlqCommand.abbreviate(null, 20)).isNull();
    }

    @Test
    void purgeWithoutYesRefusesWithOneLineBeforeCallingTheServer() {
        var r = run(new DlqCommand(), "purge", "p1", "--server", "http://127.0.0.1:1", "--token", "t");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err().strip()).startsWith("riffle: ").contains("add --yes").doesNotContain("\n");
    }

    @Test
    void replayNeedsAllOrSequencesButNotBoth() {
        var flags = new String[] {"--server", "http://127.0.0.1:1", "--token", "t"};
        assertThat(run(new DlqCommand(), concat(new String[] {"replay", "p1"}, flags)).exit()).isEqualTo(2);
        assertThat(run(new DlqCommand(), concat(new String[] {"replay", "p1", "--all", "3"}, flags)).exit())
            .isEqualTo(2);
        assertThat(run(new DlqCommand(), concat(new String[] {"replay", "p1", "x"}, flags)).exit()).isEqualTo(2);
        assertThat(run(new DlqCommand(), concat(new String[] {"list", "p1", "--limit", "0"}, flags)).exit())
            .isEqualTo(1);
    }

    @Test
    void loginNeedsATokenOrAnEmailButNotBoth() {
        assertThat(run(new LoginCommands.Login(), "--server", "http://127.0.0.1:1").exit()).isEqualTo(2);
        assertThat(run(new LoginCommands.Login(), "--server", "http://127.0.0.1:1", "--token", "t", "--email",
            "a@example.com").exit()).isEqualTo(2);
        assertThat(run(new LoginCommands.Login(), "--server", "http://127.0.0.1:1", "--token", "t",
            "--password-stdin").exit()).isEqualTo(2);
    }

    @Test
    void thePasswordOnStdinLosesOnlyItsTrailingLineBreak() {
        assertThat(Passwords.fromStdin(stdin("s3cret\n"))).isEqualTo("s3cret");
        assertThat(Passwords.fromStdin(stdin("s3cret\r\n"))).isEqualTo("s3cret");
        assertThat(Passwords.fromStdin(stdin(" pass word "))).isEqualTo(" pass word ");
        assertThatThrownBy(() -> Passwords.fromStdin(stdin(""))).isInstanceOf(CliException.class)
            .hasMessageContaining("stdin is empty");
        assertThatThrownBy(() -> Passwords.fromStdin(stdin("x".repeat(Passwords.MAX_BYTES + 1))))
            .isInstanceOf(CliException.class).hasMessageContaining("the password only");
    }

    private static ByteArrayInputStream stdin(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String[] concat(String[] a, String[] b) {
        var out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
