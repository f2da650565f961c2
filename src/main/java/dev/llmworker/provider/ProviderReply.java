package dev.llmworker.provider;

import dev.llmworker.task.ResultLine.Usage;
import io.vertx.core.json.JsonObject;

/**
 * A successful provider answer.
 *
 * @param body        the answer in OpenAI chat-completion shape, whatever the provider's own format
 * @param raw         the provider's own body when it differs from {@code body}, else null
 * @param rateHeaders what the provider said about its limits
 */
public record ProviderReply(String provider, String model, int statusCode, String requestId, JsonObject body,
    JsonObject raw, Usage usage, long latencyMs, RateHeaders rateHeaders) {}
