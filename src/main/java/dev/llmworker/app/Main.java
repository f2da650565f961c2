package dev.llmworker.app;

import dev.llmworker.batchcli.BatchCommand;
import dev.llmworker.bench.BenchCommand;
import dev.llmworker.client.DlqCommand;
import dev.llmworker.client.ResultsCommand;
import dev.llmworker.client.StatusCommand;
import dev.llmworker.client.SubmitCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code java -jar llm-worker.jar [run|demo|simulate|bench|submit|results|status|dlq|batch] ...}; {@code run} by default. */
@Command(name = "llm-worker", mixinStandardHelpOptions = true, version = "llm-worker 0.1.0",
    description = "Runs LLM tasks from AWS SQS at scale, with a live dashboard.",
    subcommands = {RunCommand.class, DemoCommand.class, SimulateCommand.class, BenchCommand.class,
        SubmitCommand.class, ResultsCommand.class, StatusCommand.class, DlqCommand.class, BatchCommand.class})
public final class Main {
  public static final int EXIT_OK = 0;
  public static final int EXIT_FAILURE = 1;
  public static final int EXIT_USAGE = 2;

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  public static int execute(String... args) {
    return execute(new java.io.PrintWriter(System.err, true), args);
  }

  /** Runs a command line; error messages go to {@code err}. */
  public static int execute(java.io.PrintWriter err, String... args) {
    return execute(new java.io.PrintWriter(System.out, true), err, args);
  }

  /** Runs a command line; the commands that print through picocli write to {@code out}, errors to {@code err}. */
  public static int execute(java.io.PrintWriter out, java.io.PrintWriter err, String... args) {
    CommandLine cli = new CommandLine(new Main()).setOut(out).setErr(err);
    cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
      Throwable cause = rootConfigError(e);
      if (cause instanceof ConfigException) {
        cmd.getErr().println("llm-worker: bad configuration: " + cause.getMessage());
        return EXIT_USAGE;
      }
      if (e instanceof dev.llmworker.client.ClientException) {
        cmd.getErr().println("llm-worker: " + e.getMessage());
        return EXIT_FAILURE;
      }
      cmd.getErr().println("llm-worker: " + e);
      return EXIT_FAILURE;
    });
    boolean commandGiven = args.length > 0 && cli.getSubcommands().containsKey(args[0]);
    boolean topLevelOption = args.length > 0 && (args[0].equals("--help") || args[0].equals("-h")
        || args[0].equals("--version") || args[0].equals("-V"));
    if (!commandGiven && !topLevelOption) {
      String[] withRun = new String[args.length + 1];
      withRun[0] = "run";
      System.arraycopy(args, 0, withRun, 1, args.length);
      args = withRun;
    }
    return cli.execute(args);
  }

  /** A ConfigException anywhere in the cause chain means bad usage (exit 2), not a runtime failure. */
  public static Throwable rootConfigError(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ConfigException) {
        return t;
      }
    }
    return e;
  }
}
