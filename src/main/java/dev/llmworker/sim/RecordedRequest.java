package dev.llmworker.sim;

import io.vertx.core.MultiMap;
import java.util.Map;

/**
 * One request as it reached the simulator (any dialect and endpoint), for contract tests that check what a
 * provider client really put on the wire. See {@link LlmSimulator#requests()}.
 *
 * @param method     HTTP method, e.g. {@code POST}
 * @param path       the path as received, still percent-encoded (e.g. {@code /model/a%3Ab/converse}), so a test
 *                   can check the client's encoding
 * @param pathParams the route's path parameters, decoded (e.g. {@code modelId=a:b}); empty for OpenAI and Anthropic
 * @param query      the raw query string, or "" when there is none
 * @param headers    a case-insensitive copy of the request headers
 * @param body       the body as UTF-8 text, or "" when there is none
 * @param arrivedAtMs arrival time, epoch milliseconds
 */
public record RecordedRequest(String method, String path, Map<String, String> pathParams, String query,
    MultiMap headers, String body, long arrivedAtMs) {}
