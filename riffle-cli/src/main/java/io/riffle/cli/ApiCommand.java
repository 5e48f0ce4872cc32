package io.riffle.cli;

import io.riffle.client.RiffleClient;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A command that calls the server: connection and output options, and the streams picocli was given. */
abstract class ApiCommand implements Callable<Integer> {
    @Mixin
    Connection connection;

    @Mixin
    OutputOptions output;

    @Spec
    CommandSpec spec;

    RiffleClient client() {
        return connection.client();
    }

    PrintStream out() {
        return System.out;
    }

    PrintStream err() {
        return System.err;
    }

    @Override
    public final Integer call() throws Exception {
        run();
        return 0;
    }

    abstract void run() throws Exception;
}
