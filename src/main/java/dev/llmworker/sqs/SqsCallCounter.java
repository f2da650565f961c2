package dev.llmworker.sqs;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/** Counts SQS API calls by operation (one per HTTP attempt), so we can show and bench SQS cost per task. */
public final class SqsCallCounter implements ExecutionInterceptor {
  private final Map<String, LongAdder> calls = new ConcurrentHashMap<>();

  @Override
  public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
    String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
    calls.computeIfAbsent(operation == null ? "Unknown" : operation, k -> new LongAdder()).increment();
  }

  public long total() {
    return calls.values().stream().mapToLong(LongAdder::sum).sum();
  }

  public Map<String, Long> byOperation() {
    Map<String, Long> out = new TreeMap<>();
    calls.forEach((op, n) -> out.put(op, n.sum()));
    return out;
  }
}
