package dev.llmworker.provider;

import io.vertx.core.json.JsonObject;

/** A successful provider answer, already in OpenAI chat-completion shape. */
public record ProviderReply(int statusCode, String requestId, JsonObject body, long latencyMs) {}
