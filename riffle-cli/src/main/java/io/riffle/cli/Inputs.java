package io.riffle.cli;

import io.riffle.client.EnvVar;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reading what the user points the CLI at: files (or stdin as {@code -}) and {@code K=V} pairs. */
final class Inputs {
    private Inputs() {
    }

    static String readText(Path file, String what) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new CliException(what + " " + file + " does not exist");
        } catch (IOException e) {
            throw new CliException("cannot read " + what + " " + file + ": " + e.getMessage(), e);
        }
    }

    /** The file, or stdin for {@code -} or null. */
    static InputStream open(String file) {
        if (file == null || "-".equals(file)) {
            return System.in;
        }
        try {
            return Files.newInputStream(Path.of(file));
        } catch (NoSuchFileException e) {
            throw new CliException("input file " + file + " does not exist");
        } catch (IOException e) {
            throw new CliException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    static List<EnvVar> env(List<String> pairs) {
        var out = new ArrayList<EnvVar>();
        for (var p : pairs) {
            int eq = p.indexOf('=');
            if (eq <= 0) {
                throw new CliException("--env takes NAME=VALUE; got '" + p + "'");
            }
            out.add(new EnvVar(p.substring(0, eq), p.substring(eq + 1)));
        }
        return out;
    }
}
