package dev.llmworker.app;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import dev.llmworker.bus.BusCodecs;
import dev.llmworker.bus.CapacityAnnouncement;
import dev.llmworker.support.TestConfig;
import dev.llmworker.task.Addresses;
import dev.llmworker.task.SampleTasks;
import dev.llmworker.task.TaskEnvelope;
import dev.llmworker.task.TaskOutcome;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A JVM that joins an llm-worker cluster through Hazelcast (which has no authentication) and then does on the event
 * bus what anyone who reaches the cluster's ports could try, printing one {@code rogue: ...} line per step for
 * {@code ClusterTlsIT}:
 * <ul>
 *   <li>on start, poses as a worker with 100 free slots ({@link #WORKER}), so pollers that hear it send it tasks;
 *   it prints each task it receives, and fails it;</li>
 *   <li>reads the event-bus addresses the nodes registered from Hazelcast's subscription map, and prints them once
 *   it sees the expected number of worker instances and worker nodes;</li>
 *   <li>then listens to the capacity announcements and the stats every node publishes, and prints the first
 *   message of each kind it receives from a node;</li>
 *   <li>on the line {@code attack} on standard input: pauses polling, sends a task of its own to every worker
 *   instance (again while it answers that it is busy), asks every worker node to scale to 0 instances, and sets a
 *   budget of 1 request per minute.</li>
 * </ul>
 * Arguments: cluster name, its Hazelcast port, the members ({@code host:port,...}), the worker instances and worker
 * nodes to wait for, then optionally a PEM key and certificate: with them it speaks TLS with that certificate and
 * trusts any peer's; without, plain TCP.
 */
public final class RogueNode {
  static final String WORKER = "rogue-worker";
  private static final String SUBSCRIPTIONS = "__vertx.subs";
  private static final String TASKS = Addresses.tasksFor("");
  private static final String SCALE = Addresses.controlWorkers("");
  private static final DeliveryOptions SHORT = new DeliveryOptions().setSendTimeout(5000);

  private final Vertx vertx;
  private final HazelcastInstance hazelcast;

  private RogueNode(Vertx vertx, HazelcastInstance hazelcast) {
    this.vertx = vertx;
    this.hazelcast = hazelcast;
  }

  public static void main(String[] args) {
    try {
      run(args);
      System.exit(0);
    } catch (Exception | Error e) {
      e.printStackTrace();
      System.exit(1);
    }
  }

  private static void run(String[] args) throws Exception {
    LlmwConfig.Cluster cluster = TestConfig.with(new JsonObject().put("cluster", new JsonObject().put("enabled", true)
        .put("name", args[0]).put("port", Integer.parseInt(args[1]))
        .put("members", new JsonArray(List.of(args[2].split(",")))))).cluster();
    EventBusOptions bus = new EventBusOptions().setHost("127.0.0.1").setPort(0);
    if (args.length > 5) {
      bus.setSsl(true).setTrustAll(true).setClientAuth(ClientAuth.NONE)
          .setKeyCertOptions(new PemKeyCertOptions().setKeyPath(args[5]).setCertPath(args[6]));
    }
    Vertx vertx = Vertx.builder().with(new VertxOptions().setEventBusOptions(bus))
        .withClusterManager(new HazelcastClusterManager(Vertxes.hazelcast(cluster))).buildClustered().await();
    BusCodecs.ensure(vertx);
    // the member Vert.x just started: the only Hazelcast instance in this JVM
    RogueNode rogue = new RogueNode(vertx, Hazelcast.getAllHazelcastInstances().iterator().next());
    rogue.poseAsWorker();
    rogue.awaitTargets(Integer.parseInt(args[3]), Integer.parseInt(args[4]));
    rogue.listenAlongside();
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line = in.readLine(); line != null && !line.equals("quit"); line = in.readLine()) {
      if (line.equals("attack")) {
        rogue.attack();
      }
    }
    vertx.close().await();
  }

  private void poseAsWorker() {
    vertx.eventBus().<TaskEnvelope>consumer(Addresses.tasksFor(WORKER), m -> {
      System.out.println("rogue: received task " + new JsonObject(m.body().body()).getString("custom_id"));
      m.fail(503, "rogue");
    }).completion().await();
    vertx.eventBus().consumer(Addresses.CAPACITY_QUERY, m -> announce()).completion().await();
    vertx.setPeriodic(1, 500, id -> announce());
    System.out.println("rogue: posing as worker " + WORKER);
  }

  /**
   * Listens where every node publishes: the workers' capacity announcements and the stats. (Registering on a
   * worker's task address would work too, and with TLS such tasks would never arrive here either; but a poller's
   * request to a node it cannot reach fails only at the poller's backstop, so it would hold up tasks for minutes:
   * see README, Cluster, on Hazelcast's port.)
   */
  private void listenAlongside() {
    Set<String> heard = new TreeSet<>();
    vertx.eventBus().<CapacityAnnouncement>consumer(Addresses.CAPACITY, m -> {
      if (!m.body().worker().equals(WORKER) && heard.add(Addresses.CAPACITY)) {
        System.out.println("rogue: received a message on " + Addresses.CAPACITY + ": " + m.body());
      }
    }).completion().await();
    vertx.eventBus().<JsonObject>consumer(Addresses.STATS, m -> {
      if (heard.add(Addresses.STATS)) {
        System.out.println("rogue: received a message on " + Addresses.STATS + " from " + m.body().getString("id"));
      }
    }).completion().await();
    System.out.println("rogue: listening on " + Addresses.CAPACITY + " and " + Addresses.STATS);
  }

  private void announce() {
    vertx.eventBus().publish(Addresses.CAPACITY, new CapacityAnnouncement(WORKER, "rogue-node", 100, 0, -1));
  }

  /** Hazelcast's subscription map: which node listens on which address, readable by any member. */
  private Set<String> addresses(String prefix) {
    Set<String> found = new TreeSet<>();
    for (Object key : hazelcast.getMultiMap(SUBSCRIPTIONS).keySet()) {
      if (key instanceof String address && address.startsWith(prefix) && !address.equals(TASKS + WORKER)) {
        found.add(address);
      }
    }
    return found;
  }

  private void awaitTargets(int workers, int nodes) {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (addresses(TASKS).size() < workers || addresses(SCALE).size() < nodes) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("rogue: expected " + workers + " worker and " + nodes + " node addresses, "
            + "saw " + addresses(TASKS) + " " + addresses(SCALE));
      }
      vertx.timer(200).await();
    }
    System.out.println("rogue: joined the Hazelcast cluster (" + hazelcast.getCluster().getMembers().size()
        + " members); task addresses " + addresses(TASKS) + ", control addresses " + addresses(SCALE));
  }

  private void attack() {
    vertx.eventBus().publish(Addresses.CONTROL_POLLING, new JsonObject().put("paused", true));
    System.out.println("rogue: published a pause of polling");
    List<Future<?>> replies = new ArrayList<>();
    int n = 0;
    for (String address : addresses(TASKS)) {
      replies.add(runTask(address, n++, 50));
    }
    Future.all(replies).await();
    Future.all(scaleEveryNode()).await();
    vertx.eventBus().publish(Addresses.CONTROL_BUDGETS, new JsonObject().put("provider", "default")
        .put("model", null).put("rpm", 1).put("tpm", 1));
    System.out.println("rogue: published a budget of 1 rpm");
    System.out.println("rogue: attack done");
  }

  /** Sends task rogue-n to a worker instance, again while it answers that it is busy; never fails. */
  private Future<Void> runTask(String address, int n, int tries) {
    String customId = "rogue-" + n;
    TaskEnvelope task = new TaskEnvelope("rogue-message-" + n, SampleTasks.body("rogue-", n), 1);
    return vertx.eventBus().<TaskOutcome>request(address, task, SHORT).map(reply -> reply.body())
        .compose(outcome -> outcome.kind() == TaskOutcome.Kind.RELEASED && tries > 1
            ? vertx.timer(200).compose(t -> runTask(address, n, tries - 1))
            : report(customId + " to " + address + ": answered " + outcome))
        .recover(e -> report(customId + " to " + address + ": failed (" + e + ")"));
  }

  private static Future<Void> report(String line) {
    System.out.println("rogue: task " + line);
    return Future.succeededFuture();
  }

  private List<Future<?>> scaleEveryNode() {
    List<Future<?>> replies = new ArrayList<>();
    for (String address : addresses(SCALE)) {
      replies.add(vertx.eventBus().<JsonObject>request(address, new JsonObject().put("instances", 0), SHORT)
          .onSuccess(r -> System.out.println("rogue: scale " + address + " to 0: answered " + r.body()))
          .onFailure(e -> System.out.println("rogue: scale " + address + " to 0: failed (" + e + ")"))
          .otherwiseEmpty());
    }
    return replies;
  }
}
