package dev.llmworker.provider;

import dev.llmworker.app.LlmwConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * One circuit breaker per provider for the whole node (resilience4j; thread-safe, shared by the worker verticles).
 * Only failures that say the provider is unwell count: 5xx, timeouts, no answer. A 429 is throttling and a 4xx is
 * the task's fault, so neither opens the circuit. Open for {@code circuitOpenSeconds}, then a few trial calls.
 */
public final class Circuits {
  private final Map<String, CircuitBreaker> breakers;

  public Circuits(List<LlmwConfig.Provider> providers) {
    this.breakers = providers.stream().collect(Collectors.toUnmodifiableMap(LlmwConfig.Provider::name, p ->
        CircuitBreaker.of(p.name(), CircuitBreakerConfig.custom()
            .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
            .slidingWindowSize(20)
            .minimumNumberOfCalls(5)
            .failureRateThreshold(50)
            .waitDurationInOpenState(Duration.ofSeconds(p.circuitOpenSeconds()))
            .permittedNumberOfCallsInHalfOpenState(3)
            .build())));
  }

  /** True when a call to {@code provider} may go out now (closed, or a half-open trial). */
  public boolean tryAcquire(String provider) {
    return breakers.get(provider).tryAcquirePermission();
  }

  public void succeeded(String provider, long latencyMs) {
    breakers.get(provider).onSuccess(latencyMs, TimeUnit.MILLISECONDS);
  }

  public void failed(String provider, long latencyMs, Throwable error) {
    breakers.get(provider).onError(latencyMs, TimeUnit.MILLISECONDS, error);
  }

  /** The call ended in a way that says nothing about the provider's health (429, the task's own 4xx). */
  public void neutral(String provider) {
    breakers.get(provider).releasePermission();
  }
}
