package dev.llmworker.task;

import io.vertx.core.json.JsonObject;

/** What the poller sends a worker for one received SQS message. */
public record TaskEnvelope(String messageId, String body, int receiveCount) {

  public JsonObject toJson() {
    return new JsonObject().put("message_id", messageId).put("body", body).put("receive_count", receiveCount);
  }

  public static TaskEnvelope fromJson(JsonObject json) {
    return new TaskEnvelope(json.getString("message_id"), json.getString("body"), json.getInteger("receive_count", 1));
  }
}
