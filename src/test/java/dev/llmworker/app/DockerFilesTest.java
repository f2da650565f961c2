package dev.llmworker.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * Keeps the Dockerfile, cluster/docker-compose.yml and cluster/elasticmq.conf in step with the code, without Docker:
 * the files are read as text (and YAML) and checked against the real config loader and command line.
 */
class DockerFilesTest {
  private static final Path DOCKERFILE = Path.of("Dockerfile");
  private static final Path COMPOSE = Path.of("cluster", "docker-compose.yml");
  private static final Path ELASTICMQ = Path.of("cluster", "elasticmq.conf");
  private static final Path CLUSTER_README = Path.of("cluster", "README.md");
  private static final Pattern ENV_NAME = Pattern.compile("\\bLLMW_[A-Z0-9_]+");
  /** What the ENTRYPOINT derives LLMW_CLUSTER_PUBLIC_HOST from at run time (hostname -i). */
  private static final String SAMPLE_CONTAINER_IP = "172.18.0.5";

  private static Vertx vertx;
  private static List<Instruction> runtimeStage;
  private static Map<String, Object> compose;

  @BeforeAll
  static void read() throws IOException {
    vertx = Vertx.vertx();
    List<Instruction> all = Instruction.parse(Files.readString(DOCKERFILE));
    int lastFrom = 0;
    for (int i = 0; i < all.size(); i++) {
      if (all.get(i).keyword().equals("FROM")) {
        lastFrom = i;
      }
    }
    runtimeStage = all.subList(lastFrom, all.size());
    compose = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(COMPOSE));
  }

  @AfterAll
  static void close() {
    vertx.close().await();
  }

  @Test
  @DisplayName("every LLMW_ variable in the Dockerfile, the compose file and cluster/README.md names a config key")
  void envNamesAreConfigKeys() throws IOException {
    for (Path file : List.of(DOCKERFILE, COMPOSE, CLUSTER_README)) {
      Set<String> unknown = new TreeSet<>();
      Matcher m = ENV_NAME.matcher(Files.readString(file));
      while (m.find()) {
        if (!keysByEnvName().containsKey(m.group())) {
          unknown.add(m.group());
        }
      }
      assertTrue(unknown.isEmpty(), file + " uses " + unknown + ", which no config key maps to (ConfigLoader.envName)");
    }
  }

  @Test
  @DisplayName("the image's environment and every compose node's environment load through the real ConfigLoader")
  void environmentsLoad() {
    LlmwConfig image = load(imageEnv());
    assertEquals("0.0.0.0", image.monitor().host(), "the monitor must listen beyond the container's loopback");
    assertEquals("0.0.0.0", image.cluster().host(), "the cluster must listen beyond the container's loopback");
    assertEquals(SAMPLE_CONTAINER_IP, image.cluster().publicHost(), "the ENTRYPOINT's address must be advertised");
    assertTrue(image.cluster().eventBusPort() > 0, "a fixed event-bus port, so it can be exposed");
    for (String name : nodeServices()) {
      load(nodeEnv(name));
    }
  }

  @Test
  @DisplayName("compose nodes reach SQS, the cluster members and the simulator at services and ports that exist")
  void composeAddressesResolve() {
    Map<String, Object> services = map(compose, "services");
    ParseResult simulate = parse(command("simulator"));
    SimulateCommand simulator = (SimulateCommand) simulate.subcommand().commandSpec().userObject();
    assertEquals("0.0.0.0", simulator.host, "the simulator must listen beyond its container's loopback");
    for (String name : nodeServices()) {
      LlmwConfig config = load(nodeEnv(name));
      RunCommand run = (RunCommand) parse(command(name)).subcommand().commandSpec().userObject();
      Set<Role> roles = Role.parse(run.roles);
      if (roles.contains(Role.POLLER) || roles.contains(Role.MONITOR)) {
        URI sqs = URI.create(config.sqs().endpoint());
        assertTrue(services.containsKey(sqs.getHost()), name + ": sqs.endpoint names no service: " + sqs);
        assertEquals(elasticMqPort(), sqs.getPort(), name + ": sqs.endpoint is not on elasticmq.conf's bind-port");
      } else {
        assertEquals("", config.sqs().endpoint(), name + ": a worker-only node uses no SQS, it needs no endpoint");
      }
      assertFalse(config.cluster().members().isEmpty(), name + ": cluster.members must list the nodes to join");
      for (String member : config.cluster().members()) {
        String host = member.substring(0, member.lastIndexOf(':'));
        int port = Integer.parseInt(member.substring(member.lastIndexOf(':') + 1));
        assertTrue(nodeServices().contains(host), name + ": member " + member + " is not an llm-worker service");
        assertEquals(config.cluster().port(), port, name + ": member " + member + " is not on cluster.port");
      }
      URI llm = URI.create(config.provider().baseUrl());
      assertEquals("simulator", llm.getHost(), name + ": by default the provider is the simulator service");
      assertEquals(simulator.port, llm.getPort(), name + ": provider.baseUrl port is not the simulator's --port");
    }
  }

  @Test
  @DisplayName("the image's CMD and every compose command parse with Main's command line, roles included")
  void commandsParse() {
    assertEquals("run", parse(jsonArgs(single("CMD"))).subcommand().commandSpec().name());
    for (String name : map(compose, "services").keySet()) {
      if (map(map(compose, "services"), name).containsKey("command")) {
        parse(command(name));
      }
    }
    assertEquals(Set.of(Role.POLLER, Role.MONITOR), roles("main"), "main: roles");
    assertEquals(Set.of(Role.WORKER), roles("worker"), "worker: roles");
    for (String name : nodeServices()) {
      assertTrue(parse(command(name)).subcommand().hasMatchedOption("--cluster"), name + ": run --cluster");
    }
  }

  @Test
  @DisplayName("HEALTHCHECK gets /health on the monitor port; EXPOSE lists the monitor, Hazelcast and event-bus ports")
  void healthcheckAndPorts() {
    LlmwConfig image = load(imageEnv());
    String check = single("HEALTHCHECK");
    Matcher url = Pattern.compile("http://127\\.0\\.0\\.1:\\$\\{LLMW_MONITOR_PORT:-(\\d+)}(/\\S*?)\"").matcher(check);
    assertTrue(url.find(), "HEALTHCHECK must GET http://127.0.0.1:${LLMW_MONITOR_PORT:-<port>}/...: " + check);
    assertEquals("/health", url.group(2));
    assertEquals(image.monitor().port(), Integer.parseInt(url.group(1)), "HEALTHCHECK port is not monitor.port");
    Set<Integer> exposed = all("EXPOSE").stream().flatMap(e -> Arrays.stream(e.args().split("\\s+")))
        .map(p -> Integer.parseInt(p.replace("/tcp", ""))).collect(Collectors.toSet());
    assertEquals(Set.of(image.monitor().port(), image.cluster().port(), image.cluster().eventBusPort()), exposed);

    List<String> ports = strings(map(map(compose, "services"), "main").get("ports"));
    assertEquals(1, ports.size(), "main publishes the dashboard only");
    String[] parts = ports.get(0).split(":");
    assertEquals(3, parts.length, "main must publish as 127.0.0.1:HOST:CONTAINER: " + ports.get(0));
    assertEquals("127.0.0.1", parts[0], "the dashboard is published on this machine only");
    assertEquals(load(nodeEnv("main")).monitor().port(), Integer.parseInt(parts[2]),
        "published port is not monitor.port");
  }

  @Test
  @DisplayName("the worker service scales: no container_name, no host ports, its own health check, joins after main")
  void workerScales() {
    Map<String, Object> worker = map(map(compose, "services"), "worker");
    assertNull(worker.get("container_name"), "a fixed container_name stops --scale worker=N");
    assertNull(worker.get("ports"), "fixed host ports stop --scale worker=N");
    String test = String.valueOf(map(worker, "healthcheck").get("test"));
    assertFalse(test.contains("/health"), "a worker-only node has no monitor to ask for /health");
    assertTrue(test.contains("/" + load(nodeEnv("worker")).cluster().port()),
        "the worker's check must probe its Hazelcast port: " + test);
    assertEquals("service_healthy", map(map(worker, "depends_on"), "main").get("condition"));
  }

  @Test
  @DisplayName("compose means the same to podman-compose 1.0.3: no ${X:-} (passed on literally), checks as plain "
      + "strings (a list is mangled, and consumed by the first replica), a check for every service (OCI images lose "
      + "HEALTHCHECK), two workers by default")
  void podmanComposeReadsItTheSame() throws IOException {
    String text = Files.readString(COMPOSE).replaceAll("(?m)^\\s*#.*$", "");
    Matcher emptyDefault = Pattern.compile("\\$\\{[A-Za-z0-9_]+:?-}").matcher(text);
    assertFalse(emptyDefault.find(), "podman-compose passes ${X:-} on literally: pass a variable through as a key "
        + "without a value");
    Map<String, Object> services = map(compose, "services");
    for (String name : services.keySet()) {
      Object check = map(services, name).get("healthcheck");
      assertNotNull(check, name + ": needs its own healthcheck in the file");
      Object test = map(map(services, name), "healthcheck").get("test");
      assertTrue(test instanceof String, name + ": healthcheck.test must be one shell string: " + test);
    }
    assertEquals(2, map(map(services, "worker"), "deploy").get("replicas"),
        "two worker nodes by default, for docker compose and podman-compose (which has no --scale)");
  }

  @Test
  @DisplayName("the image's user and group are both llmw with id 10001, and it runs as them")
  void userAndGroupAgree() throws IOException {
    String runs = all("RUN").stream().map(Instruction::args).collect(Collectors.joining("\n"));
    assertTrue(runs.contains("groupadd --system --gid 10001 llmw"), "group llmw must have gid 10001: " + runs);
    assertTrue(runs.contains("useradd --system --uid 10001 --gid 10001"), "user llmw: uid and gid 10001: " + runs);
    assertEquals("10001:10001", single("USER"));
  }

  @Test
  @DisplayName("compose gives nodes longer to stop than shutdown.graceSeconds, and the image stops them with SIGTERM")
  void gracefulStop() {
    assertEquals("SIGTERM", single("STOPSIGNAL"));
    String entrypoint = String.join(" ", jsonArgs(single("ENTRYPOINT")));
    assertTrue(entrypoint.contains("exec java $JAVA_OPTS -jar /app/llm-worker.jar \"$@\""),
        "java must replace the shell (PID 1, gets SIGTERM) and take CMD's arguments: " + entrypoint);
    for (String name : nodeServices()) {
      int grace = load(nodeEnv(name)).shutdown().graceSeconds();
      Object period = map(map(compose, "services"), name).get("stop_grace_period");
      assertNotNull(period, name + ": stop_grace_period (docker's default 10 s cuts the graceful stop short)");
      assertTrue(seconds(period.toString()) > grace, name + ": stop_grace_period " + period + " <= " + grace + " s");
    }
  }

  @Test
  @DisplayName("the image runs as a non-root user with the container JVM flags and exactly the pom's Hazelcast opens")
  void jvmAndUser() throws IOException {
    String user = single("USER").split(":")[0];
    assertFalse(user.equals("0") || user.equals("root"), "USER must not be root");
    List<String> opts = List.of(env(runtimeStage).get("JAVA_OPTS").split("\\s+"));
    assertTrue(opts.contains("-XX:MaxRAMPercentage=75"), "JAVA_OPTS: " + opts);
    assertTrue(opts.contains("-XX:+ExitOnOutOfMemoryError"), "JAVA_OPTS: " + opts);
    Set<String> given = new TreeSet<>();
    for (int i = 0; i + 1 < opts.size(); i++) {
      if (opts.get(i).equals("--add-opens") || opts.get(i).equals("--add-exports")) {
        given.add(opts.get(i) + " " + opts.get(i + 1));
      }
    }
    String pom = Files.readString(Path.of("pom.xml"));
    Set<String> manifest = new TreeSet<>();
    for (String kind : List.of("Opens", "Exports")) {
      Matcher m = Pattern.compile("<Add-" + kind + ">([^<]*)</Add-" + kind + ">").matcher(pom);
      assertTrue(m.find(), "pom.xml: no Add-" + kind + " manifest entry");
      for (String target : m.group(1).trim().split("\\s+")) {
        manifest.add("--add-" + kind.toLowerCase() + " " + target + "=ALL-UNNAMED");
      }
    }
    assertEquals(manifest, given, "JAVA_OPTS and the jar manifest (pom.xml) must open the same packages");
  }

  @Test
  @DisplayName("ElasticMQ declares the configured queues, the tasks queue redriving to the DLQ, at the pom's version")
  void elasticMqQueues() throws IOException {
    LlmwConfig.Sqs sqs = load(Map.of()).sqs();
    String conf = Files.readString(ELASTICMQ).replaceAll("(?m)^\\s*#.*$", "");
    for (String queue : List.of(sqs.queueName(), sqs.resultsQueueName(), sqs.dlqName())) {
      assertTrue(Pattern.compile("(?m)^\\s*\"?" + Pattern.quote(queue) + "\"?\\s*\\{").matcher(conf).find(),
          "elasticmq.conf declares no queue " + queue);
    }
    Matcher tasks = Pattern.compile("(?s)\\b" + Pattern.quote(sqs.queueName())
        + "\\s*\\{\\s*defaultVisibilityTimeout\\s*=\\s*(\\d+) seconds"
        + "\\s*deadLettersQueue\\s*\\{\\s*name\\s*=\\s*\"([^\"]+)\""
        + "\\s*maxReceiveCount\\s*=\\s*(\\d+)").matcher(conf);
    assertTrue(tasks.find(), "elasticmq.conf: the tasks queue needs a visibility timeout and a deadLettersQueue");
    assertEquals(sqs.visibilityTimeoutSeconds(), Integer.parseInt(tasks.group(1)), "visibility timeout");
    assertEquals(sqs.dlqName(), tasks.group(2), "the tasks queue must redrive to sqs.dlqName");
    assertEquals(sqs.maxReceiveCount(), Integer.parseInt(tasks.group(3)), "maxReceiveCount");
    Matcher version = Pattern.compile("<elasticmq.version>([^<]+)<").matcher(Files.readString(Path.of("pom.xml")));
    assertTrue(version.find());
    assertEquals("softwaremill/elasticmq-native:" + version.group(1), map(map(compose, "services"), "sqs").get("image"),
        "the sqs service runs the ElasticMQ version of the embedded SQS");
  }

  // ---- the files ----

  /** Compose services that run llm-worker nodes (the image built here, command {@code run}). */
  private static List<String> nodeServices() {
    List<String> names = new ArrayList<>();
    for (Map.Entry<String, Object> e : map(compose, "services").entrySet()) {
      Map<String, Object> service = map(map(compose, "services"), e.getKey());
      if (service.containsKey("build") && service.containsKey("command") && command(e.getKey()).get(0).equals("run")) {
        names.add(e.getKey());
      }
    }
    assertTrue(names.containsAll(List.of("main", "worker")), "compose services main and worker run llm-worker");
    return names;
  }

  private static int elasticMqPort() {
    try {
      Matcher m = Pattern.compile("bind-port\\s*=\\s*(\\d+)").matcher(Files.readString(ELASTICMQ));
      assertTrue(m.find(), "cluster/elasticmq.conf: no rest-sqs bind-port");
      return Integer.parseInt(m.group(1));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<String> command(String service) {
    Object command = map(map(compose, "services"), service).get("command");
    assertNotNull(command, service + ": no command");
    return command instanceof String s ? List.of(s.trim().split("\\s+")) : strings(command);
  }

  private static Set<Role> roles(String service) {
    String roles = parse(command(service)).subcommand().matchedOptionValue("--roles", "poller,worker,monitor");
    try {
      return Role.parse(roles);
    } catch (ConfigException e) {
      return fail(service + ": " + e.getMessage());
    }
  }

  /** The image's ENV, plus the address its ENTRYPOINT exports when none is given. */
  private static Map<String, String> imageEnv() {
    Map<String, String> env = new LinkedHashMap<>(env(runtimeStage));
    String entrypoint = single("ENTRYPOINT");
    if (entrypoint.contains("export LLMW_CLUSTER_PUBLIC_HOST=") && entrypoint.contains("hostname -i")) {
      env.putIfAbsent("LLMW_CLUSTER_PUBLIC_HOST", SAMPLE_CONTAINER_IP);
    }
    return env;
  }

  /** A compose service's environment over the image's, with ${VAR:-default} taken as its default. */
  private static Map<String, String> nodeEnv(String service) {
    Map<String, String> env = imageEnv();
    Object given = map(map(compose, "services"), service).get("environment");
    if (given instanceof Map<?, ?> m) {
      m.forEach((k, v) -> env.put(k.toString(), interpolate(v == null ? "" : v.toString())));
    } else if (given != null) {
      for (String item : strings(given)) {
        env.put(item.substring(0, item.indexOf('=')), interpolate(item.substring(item.indexOf('=') + 1)));
      }
    }
    return env;
  }

  private static String interpolate(String value) {
    Matcher m = Pattern.compile("\\$\\{[A-Za-z0-9_]+(?::?-([^}]*))?}").matcher(value);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(m.group(1) == null ? "" : m.group(1)));
    }
    return m.appendTail(out).toString().replace("$$", "$");
  }

  private static String single(String keyword) {
    List<Instruction> found = all(keyword);
    assertEquals(1, found.size(), "the runtime stage must have exactly one " + keyword);
    return found.get(0).args();
  }

  private static List<Instruction> all(String keyword) {
    return runtimeStage.stream().filter(i -> i.keyword().equals(keyword)).toList();
  }

  private static Map<String, String> env(List<Instruction> stage) {
    Map<String, String> env = new LinkedHashMap<>();
    for (Instruction i : stage) {
      if (i.keyword().equals("ENV")) {
        for (String token : Instruction.words(i.args())) {
          assertTrue(token.contains("="), "ENV KEY=VALUE expected: " + token);
          env.put(token.substring(0, token.indexOf('=')), token.substring(token.indexOf('=') + 1));
        }
      }
    }
    return env;
  }

  private static List<String> jsonArgs(String exec) {
    return new JsonArray(exec).stream().map(Object::toString).toList();
  }

  // ---- the code they must agree with ----

  private static Map<String, String> keysByEnvName() {
    return ConfigLoader.leafKeys(ConfigLoader.defaults(), "").stream()
        .collect(Collectors.toMap(ConfigLoader::envName, Function.identity()));
  }

  /** Loads the configuration with these LLMW_ variables, through -Dllmw.KEY (what the loader reads after env). */
  private static LlmwConfig load(Map<String, String> env) {
    List<String> set = new ArrayList<>();
    try {
      env.forEach((name, value) -> {
        if (name.startsWith("LLMW_")) {
          String key = keysByEnvName().get(name);
          assertNotNull(key, name + " names no config key");
          System.setProperty("llmw." + key, value);
          set.add("llmw." + key);
        }
      });
      return ConfigLoader.load(vertx, null).await();
    } catch (RuntimeException e) {
      if (Main.rootConfigError(e) instanceof ConfigException c) {
        return fail("bad configuration from " + env + ": " + c.getMessage());
      }
      throw e;
    } finally {
      set.forEach(System::clearProperty);
    }
  }

  private static ParseResult parse(List<String> args) {
    try {
      return new CommandLine(new Main()).parseArgs(args.toArray(String[]::new));
    } catch (CommandLine.ParameterException e) {
      return fail("llm-worker " + String.join(" ", args) + ": " + e.getMessage());
    }
  }

  private static long seconds(String duration) {
    Matcher m = Pattern.compile("(\\d+)(h|m|s)").matcher(duration);
    long total = 0;
    while (m.find()) {
      total += Long.parseLong(m.group(1)) * switch (m.group(2)) {
        case "h" -> 3600;
        case "m" -> 60;
        default -> 1;
      };
    }
    return total;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Map<String, Object> parent, String key) {
    Object value = parent.get(key);
    assertTrue(value instanceof Map, key + ": a mapping expected, got " + value);
    return (Map<String, Object>) value;
  }

  private static List<String> strings(Object list) {
    assertTrue(list instanceof List, "a list expected, got " + list);
    return ((List<?>) list).stream().map(String::valueOf).toList();
  }

  /** One Dockerfile instruction, continuation lines joined, comments dropped. */
  record Instruction(String keyword, String args) {
    static List<Instruction> parse(String text) {
      List<Instruction> out = new ArrayList<>();
      StringBuilder current = null;
      for (String line : text.split("\n")) {
        String trimmed = line.strip();
        if (trimmed.startsWith("#") || (current == null && trimmed.isEmpty())) {
          continue;
        }
        boolean continues = trimmed.endsWith("\\");
        String part = continues ? trimmed.substring(0, trimmed.length() - 1).strip() : trimmed;
        current = current == null ? new StringBuilder(part) : current.append(' ').append(part);
        if (!continues) {
          String[] split = current.toString().split("\\s+", 2);
          out.add(new Instruction(split[0].toUpperCase(), split.length > 1 ? split[1] : ""));
          current = null;
        }
      }
      return out;
    }

    /** Shell-like words: whitespace separates, double quotes group (and are removed), \" inside them is a quote. */
    static List<String> words(String args) {
      List<String> words = new ArrayList<>();
      StringBuilder word = new StringBuilder();
      boolean quoted = false;
      boolean any = false;
      for (int i = 0; i < args.length(); i++) {
        char c = args.charAt(i);
        if (quoted && c == '\\' && i + 1 < args.length() && args.charAt(i + 1) == '"') {
          word.append('"');
          i++;
        } else if (c == '"') {
          quoted = !quoted;
          any = true;
        } else if (Character.isWhitespace(c) && !quoted) {
          if (any || word.length() > 0) {
            words.add(word.toString());
          }
          word.setLength(0);
          any = false;
        } else {
          word.append(c);
        }
      }
      if (any || word.length() > 0) {
        words.add(word.toString());
      }
      return words;
    }
  }
}
