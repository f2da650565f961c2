package dev.llmworker.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/** CPU time by thread group (embedded SQS, Vert.x event loops, AWS SDK I/O, other), to see where a task's CPU goes. */
final class ThreadCpu {
  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private final Map<Long, Long> start = new HashMap<>();

  ThreadCpu() {
    for (long id : threads.getAllThreadIds()) {
      start.put(id, Math.max(0, threads.getThreadCpuTime(id)));
    }
  }

  /** Milliseconds of CPU per group since construction (threads that ended meanwhile are not counted). */
  Map<String, Double> sinceStartMs() {
    Map<String, Double> out = new TreeMap<>();
    for (long id : threads.getAllThreadIds()) {
      ThreadInfo info = threads.getThreadInfo(id);
      long now = threads.getThreadCpuTime(id);
      if (info == null || now < 0) {
        continue;
      }
      out.merge(group(info.getThreadName()), (now - start.getOrDefault(id, 0L)) / 1e6, Double::sum);
    }
    return out;
  }

  private static String group(String name) {
    if (name.startsWith("elasticmq")) {
      return "embedded_sqs";
    }
    if (name.startsWith("vert.x-eventloop")) {
      return "vertx_event_loops";
    }
    if (name.startsWith("aws-java-sdk") || name.startsWith("sdk-")) {
      return "aws_sdk";
    }
    return "other";
  }
}
