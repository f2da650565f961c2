package dev.llmworker.sim;

import dev.llmworker.task.Endpoint;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * One endpoint's body format (chat completions, embeddings, a Bedrock InvokeModel body, ...): how to read a request
 * and how to write its answer. Everything else (credentials, limits, chance, directives, timing, errors, stats) is
 * {@link SimulatedCallHandler}'s and the {@link Dialect}'s, so every endpoint behaves the same way around its body.
 */
interface Operation<R extends SimRequest> {
  /** The OpenAI endpoint this is, or stands for (Anthropic Messages is chat), for the stats. */
  Endpoint endpoint();

  /**
   * Reads the body; throws {@link IllegalArgumentException} with a message fit for the provider's 400.
   *
   * @param routeModel the model the URL names (Azure deployment, Bedrock model id), or null
   */
  R parse(Buffer body, String routeModel);

  /**
   * The answer's body. {@code tag} makes its ids unique: the answer's sequence number, or "cut" for the body of a
   * simulated truncation, so a test can tell the two apart.
   */
  JsonObject answer(R request, String tag, long latencyMs);

  /** Headers of a success beyond the dialect's request id, e.g. Bedrock's token counts. */
  default void putSuccessHeaders(R request, long latencyMs, MultiMap headers) {}
}
