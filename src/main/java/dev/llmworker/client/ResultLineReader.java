package dev.llmworker.client;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/**
 * Reads result lines (Batch API output lines): the key a line is deduplicated by, whether it is a failure, and
 * its compact one-line form. A body that is not a result becomes an {@code unreadable_result} line instead.
 */
public final class ResultLineReader {
  static final String UNREADABLE = "unreadable_result";

  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      // a re-encoded line keeps its numbers digit for digit
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  private ResultLineReader() {}

  /**
   * A queue message read as a result line. {@code customId} is null for an unreadable body; {@code llmw} is the
   * line's own {@code llmw} block (usage, cost), a missing node when it has none.
   */
  public record Read(String customId, boolean failure, String line, JsonNode llmw) {}

  /** What a line already in a file stands for: its custom_id, or for an unreadable one the message it came from. */
  record Key(String customId, String messageId) {}

  public static Read read(String messageId, String body) {
    JsonNode tree;
    try {
      tree = JSON.readTree(body);
    } catch (JsonProcessingException e) {
      return unreadable(messageId, body, "the message body is not JSON (" + firstLine(e.getOriginalMessage()) + ")");
    }
    if (tree == null || !tree.isObject()) {
      return unreadable(messageId, body, "the message body is JSON but not an object");
    }
    JsonNode customId = tree.get("custom_id");
    if (customId == null || !customId.isTextual()) {
      return unreadable(messageId, body, "the message body has no string custom_id");
    }
    return new Read(customId.textValue(), isFailure(tree), oneLine(body, tree), tree.path("llmw"));
  }

  /** Like the Batch API's error file: an error object, or an HTTP status of 400 or more. */
  static boolean isFailure(JsonNode line) {
    JsonNode error = line.get("error");
    if (error != null && !error.isNull()) {
      return true;
    }
    JsonNode status = line.path("response").path("status_code");
    return status.isNumber() && status.asInt() >= 400;
  }

  /**
   * The key of a line in an existing results or errors file, read with a streaming parser (files may hold
   * millions of lines); null when the line is not a JSON object.
   */
  static Key key(String line) {
    try (JsonParser parser = JSON.getFactory().createParser(line)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      String customId = null;
      String messageId = null;
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken value = parser.nextToken();
        if ("custom_id".equals(field) && value == JsonToken.VALUE_STRING) {
          customId = parser.getText();
        } else if ("llmw".equals(field) && value == JsonToken.START_OBJECT) {
          messageId = messageIdIn(parser);
        } else {
          parser.skipChildren();
        }
      }
      return new Key(customId, messageId);
    } catch (IOException e) {
      return null;
    }
  }

  private static String messageIdIn(JsonParser parser) throws IOException {
    String messageId = null;
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      if (parser.nextToken() == JsonToken.VALUE_STRING && "message_id".equals(field)) {
        messageId = parser.getText();
      } else {
        parser.skipChildren();
      }
    }
    return messageId;
  }

  /** The body as it came when it is already one line (byte for byte), else re-encoded compactly. */
  private static String oneLine(String body, JsonNode tree) {
    String trimmed = body.strip();
    if (trimmed.indexOf('\n') < 0 && trimmed.indexOf('\r') < 0) {
      return trimmed;
    }
    try {
      return JSON.writeValueAsString(tree);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a parsed tree is always writable", e);
    }
  }

  private static Read unreadable(String messageId, String body, String why) {
    ObjectNode line = JSON.createObjectNode();
    line.putNull("id");
    line.putNull("custom_id");
    line.putNull("response");
    line.putObject("error").put("code", UNREADABLE).put("message", why);
    line.putObject("llmw").put("raw_body", body).put("message_id", messageId);
    try {
      return new Read(null, true, JSON.writeValueAsString(line), MissingNode.getInstance());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a built tree is always writable", e);
    }
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unparseable";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
