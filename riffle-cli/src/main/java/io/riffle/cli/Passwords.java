package io.riffle.cli;

import java.io.ByteArrayOutputStream;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Where {@code riffle login --email} gets the password: stdin ({@code --password-stdin}) or a prompt without echo. */
final class Passwords {
    /** A password is short; more than this on stdin is a mistake (a file piped in by accident). */
    static final int MAX_BYTES = 4096;

    private Passwords() {
    }

    /** The password piped in: the whole input without one trailing line break. */
    static String fromStdin(InputStream in) {
        var buffer = new ByteArrayOutputStream();
        try {
            var chunk = new byte[512];
            int n;
            while ((n = in.read(chunk)) > 0) {
                buffer.write(chunk, 0, n);
                if (buffer.size() > MAX_BYTES) {
                    throw new CliException("--password-stdin: stdin holds more than " + MAX_BYTES
                        + " bytes; pipe in the password only");
                }
            }
        } catch (IOException e) {
            throw new CliException("--password-stdin: cannot read stdin: " + e.getMessage(), e);
        }
        var password = stripLineBreak(buffer.toString(StandardCharsets.UTF_8));
        if (password.isEmpty()) {
            throw new CliException("--password-stdin: stdin is empty; pipe in the password");
        }
        return password;
    }

    /** {@code text} without one trailing {@code \n} or {@code \r\n}; other whitespace belongs to the password. */
    static String stripLineBreak(String text) {
        if (text.endsWith("\r\n")) {
            return text.substring(0, text.length() - 2);
        }
        return text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
    }

    /** Asks for the password on the terminal without echo. */
    static String prompt(String email) {
        var console = terminal();
        if (console == null) {
            throw new CliException("no terminal to prompt for the password; pipe it in with --password-stdin");
        }
        var chars = console.readPassword("Password for %s: ", email);
        if (chars == null || chars.length == 0) {
            throw new CliException("no password given");
        }
        var password = new String(chars);
        java.util.Arrays.fill(chars, '\0');
        return password;
    }

    /**
     * The console when stdin and stdout are a terminal, else null. Since Java 22, {@link System#console()} may return
     * a console for redirected streams too; {@code Console.isTerminal()} (22+) tells them apart.
     */
    private static Console terminal() {
        var console = System.console();
        if (console == null) {
            return null;
        }
        try {
            var isTerminal = Console.class.getMethod("isTerminal");
            return Boolean.TRUE.equals(isTerminal.invoke(console)) ? console : null;
        } catch (ReflectiveOperationException e) {
            return console; // Java 21: a non-null console is a terminal
        }
    }
}
