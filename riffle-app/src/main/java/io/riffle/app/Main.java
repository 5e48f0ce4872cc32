package io.riffle.app;

import io.riffle.cli.Cli;
import io.riffle.core.RiffleException;
import io.riffle.deploy.DeployCommand;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code riffle} executable. */
@Command(name = "riffle", mixinStandardHelpOptions = true, version = "riffle 0.1.0",
    description = {"Serverless stream processing: Python functions on every event, on NATS JetStream.",
        "Run the platform with 'up' (or 'server' and 'worker'); every other command talks to a running server."},
    subcommands = {Main.Up.class, Main.Server.class, Main.Worker.class})
public final class Main implements Runnable {
    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(String[] args) {
        var cli = new CommandLine(new Main());
        Cli.install(cli);
        cli.addSubcommand(new DeployCommand());
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof RiffleException) {
                System.err.println("riffle: " + e.getMessage());
                return Cli.FAILED;
            }
            var message = Cli.message(e);
            if (message.isPresent()) {
                System.err.println("riffle: " + message.get());
                return Cli.FAILED;
            }
            throw e;
        });
        System.exit(cli.execute(args));
    }

    /** Runs a node until SIGINT/SIGTERM, then closes it. */
    static int runUntilStopped(Node.Mode mode) throws InterruptedException {
        var config = AppConfig.fromEnvironment(System.getenv());
        var node = Node.start(config, mode);
        var stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("riffle: stopping");
            node.close();
            stopped.countDown();
        }, "riffle-shutdown"));
        Banner.print(config, node, mode);
        stopped.await();
        return 0;
    }

    @Command(name = "up", mixinStandardHelpOptions = true,
        description = "Start the whole platform (API server and execution engine) on embedded defaults.")
    static final class Up implements Callable<Integer> {
        @Override
        public Integer call() throws InterruptedException {
            return runUntilStopped(Node.Mode.UP);
        }
    }

    @Command(name = "server", mixinStandardHelpOptions = true,
        description = "Start only the API server (engines run as 'riffle worker').")
    static final class Server implements Callable<Integer> {
        @Override
        public Integer call() throws InterruptedException {
            return runUntilStopped(Node.Mode.SERVER);
        }
    }

    @Command(name = "worker", mixinStandardHelpOptions = true,
        description = "Start only an execution engine against RIFFLE_DATABASE_URL and RIFFLE_NATS_URL.")
    static final class Worker implements Callable<Integer> {
        @Override
        public Integer call() throws InterruptedException {
            return runUntilStopped(Node.Mode.WORKER);
        }
    }
}
