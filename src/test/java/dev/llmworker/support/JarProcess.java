package dev.llmworker.support;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** The fat jar started as a separate process; its output lines are collected for assertions. */
public final class JarProcess implements AutoCloseable {
  public static final Path JAR = Path.of("target", "llm-worker.jar");

  private final Process process;
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final Thread reader;

  private JarProcess(Process process) {
    this.process = process;
    this.reader = new Thread(this::readOutput, "jar-output");
    reader.setDaemon(true);
    reader.start();
  }

  public static JarProcess start(Map<String, String> env, String... args) throws IOException {
    return launch(env, List.of("-jar", JAR.toString()), args);
  }

  /**
   * A main class of the test tree, run on the fat jar's classpath plus the test classes: a test double that joins
   * the cluster like a real node.
   */
  public static JarProcess startMain(Map<String, String> env, Class<?> main, String... args) throws IOException {
    String classpath = JAR + File.pathSeparator + Path.of("target", "test-classes");
    return launch(env, List.of("-cp", classpath, main.getName()), args);
  }

  private static JarProcess launch(Map<String, String> env, List<String> java, String... args) throws IOException {
    if (!Files.isRegularFile(JAR)) {
      throw new IllegalStateException(JAR + " is missing: run the integration tests with mvn verify");
    }
    List<String> command = new java.util.ArrayList<>(List.of(javaBin()));
    command.addAll(java);
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().keySet().removeIf(k -> k.startsWith("LLMW_"));
    builder.environment().putAll(env);
    return new JarProcess(builder.start());
  }

  /** One line to the process's standard input. */
  public void send(String line) {
    try {
      process.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
      process.getOutputStream().flush();
    } catch (IOException e) {
      throw new IllegalStateException("cannot write to process " + pid() + ":\n" + output(), e);
    }
  }

  private static String javaBin() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private void readOutput() {
    try (BufferedReader in = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        lines.add(line);
      }
    } catch (IOException ignored) {
      // process ended
    }
  }

  /** The first output line matching, waiting up to {@code timeout}. */
  public String awaitLine(Predicate<String> match, Duration timeout) {
    Eventually.await(timeout, () -> lines.stream().anyMatch(match) || !process.isAlive(), this::output);
    return lines.stream().filter(match).findFirst()
        .orElseThrow(() -> new AssertionError("process ended without the expected line:\n" + output()));
  }

  public int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("process still running after " + timeout + ":\n" + output());
    }
    reader.join(5000); // the last lines may still be in the pipe
    return process.exitValue();
  }

  /** SIGTERM, as on a deploy or Ctrl-C. */
  public void terminate() {
    process.toHandle().destroy(); // Process.destroy() would also close our end of its output
  }

  /** SIGKILL, as a crash: no shutdown of any kind. */
  public void kill() {
    process.toHandle().destroyForcibly();
  }

  public long pid() {
    return process.pid();
  }

  public String output() {
    return String.join("\n", lines);
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
