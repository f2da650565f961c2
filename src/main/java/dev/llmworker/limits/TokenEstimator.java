package dev.llmworker.limits;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import dev.llmworker.task.Endpoint;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Estimates what a request will count against a tokens-per-minute budget before it is sent: the prompt (OpenAI's
 * own tokenizer, via jtokkit, for OpenAI models; about 4 characters per token for others) plus the completion
 * the provider reserves. Each answer's {@code usage} then calibrates the prompt estimate per provider and model,
 * so a tokenizer we do not have (Claude, Llama) still converges on the provider's own count.
 */
public final class TokenEstimator {
  private static final EncodingRegistry REGISTRY = Encodings.newLazyEncodingRegistry();
  /** Completion reserved for a task that sets no max_tokens, until answers show the real size. */
  static final long DEFAULT_COMPLETION = 256;

  /** What a task will cost and what it will be reconciled against. */
  public record Estimate(String key, long promptTokens, Long maxTokens, long charge, long completion) {
    /** The charge without the completion's reservation: what a failed call may have cost at most. */
    public long promptCharge() {
      return charge - completion;
    }
  }

  private final Map<String, double[]> calibration = new ConcurrentHashMap<>();
  private final Map<String, double[]> completions = new ConcurrentHashMap<>();

  /** A chat task's estimate. */
  public Estimate estimate(String provider, String model, JsonObject body) {
    return estimate(provider, model, Endpoint.CHAT, body);
  }

  /**
   * What a task for {@code endpoint} will count: its input (messages, Responses input and instructions, embedding
   * or moderation inputs, a completion prompt) plus the output it may produce (none for embeddings and
   * moderations; {@code max_output_tokens} for Responses, {@code max_tokens} for chat and completions).
   */
  public Estimate estimate(String provider, String model, Endpoint endpoint, JsonObject body) {
    String key = provider + "/" + model;
    long prompt = promptTokens(model, endpoint, body);
    double ratio = calibration.getOrDefault(key, new double[] {1.0})[0];
    boolean outputs = endpoint != Endpoint.EMBEDDINGS && endpoint != Endpoint.MODERATIONS;
    Object max = endpoint == Endpoint.RESPONSES ? body.getValue("max_output_tokens")
        : body.getValue("max_completion_tokens", body.getValue("max_tokens"));
    Long maxTokens = outputs && max instanceof Number n ? n.longValue() : outputs ? null : 0L;
    long completion = maxTokens != null ? maxTokens
        : Math.round(completions.getOrDefault(key, new double[] {DEFAULT_COMPLETION})[0]);
    return new Estimate(key, prompt, maxTokens, (long) Math.ceil(prompt * ratio) + completion, completion);
  }

  /**
   * What the provider counted for the call: the real prompt, and the completion's reservation (OpenAI counts
   * max_tokens when set) or its real size (Anthropic and Bedrock settle on the tokens used).
   */
  public long actual(Estimate estimate, long usedPrompt, long usedCompletion, boolean chargesMaxTokens) {
    if (usedPrompt > 0 && estimate.promptTokens() > 0) {
      double observed = (double) usedPrompt / estimate.promptTokens();
      calibration.compute(estimate.key(), (k, v) -> new double[] {v == null ? observed : v[0] * 0.9 + observed * 0.1});
    }
    if (estimate.maxTokens() == null && usedCompletion > 0) {
      completions.compute(estimate.key(), (k, v) -> new double[] {v == null ? usedCompletion
          : v[0] * 0.9 + usedCompletion * 0.1});
    }
    long completion = chargesMaxTokens && estimate.maxTokens() != null ? estimate.maxTokens() : usedCompletion;
    return (usedPrompt > 0 ? usedPrompt : estimate.promptTokens()) + completion;
  }

  static long promptTokens(String model, JsonObject body) {
    return promptTokens(model, Endpoint.CHAT, body);
  }

  static long promptTokens(String model, Endpoint endpoint, JsonObject body) {
    Encoding encoding = encodingFor(model);
    return switch (endpoint) {
      case CHAT -> chatTokens(encoding, body);
      case RESPONSES -> count(encoding, body.getValue("instructions")) + inputTokens(encoding, body.getValue("input"));
      case COMPLETIONS -> inputTokens(encoding, body.getValue("prompt"));
      case EMBEDDINGS, MODERATIONS -> inputTokens(encoding, body.getValue("input"));
    };
  }

  /**
   * The tokens of an input as the endpoints take it: a string, token ids, or an array of strings, token-id arrays
   * or input items (a message with text content; images and files count nothing here, the provider's usage
   * calibrates).
   */
  private static long inputTokens(Encoding encoding, Object input) {
    if (!(input instanceof JsonArray items)) {
      return count(encoding, input);
    }
    long tokens = 0;
    for (Object item : items) {
      if (item instanceof Number) {
        tokens++; // a token id
      } else if (item instanceof JsonArray ids && (ids.isEmpty() || ids.getValue(0) instanceof Number)) {
        tokens += ids.size();
      } else if (item instanceof JsonObject object) {
        tokens += 3 + count(encoding, object.getValue("content", object.getValue("text")));
      } else {
        tokens += count(encoding, item);
      }
    }
    return tokens;
  }

  private static long count(Encoding encoding, Object value) {
    String text = text(value);
    return text.isEmpty() ? 0 : encoding != null ? encoding.countTokensOrdinary(text) : (text.length() + 3) / 4;
  }

  /** OpenAI's counting for chat: the tokens of every message's text, plus 3 per message and 3 for the reply. */
  private static long chatTokens(Encoding encoding, JsonObject body) {
    long tokens = 3;
    JsonArray messages = body.getJsonArray("messages", new JsonArray());
    for (Object m : messages) {
      tokens += 3;
      if (m instanceof JsonObject message) {
        tokens += count(encoding, message.getValue("content"));
      }
    }
    return tokens;
  }

  private static Encoding encodingFor(String model) {
    String m = model == null ? "" : model.toLowerCase();
    if (m.startsWith("gpt-4o") || m.startsWith("chatgpt-4o") || m.startsWith("gpt-4.1") || m.startsWith("gpt-4.5")
        || m.startsWith("gpt-5") || m.matches("^o[134](-.*)?$") || m.startsWith("omni-moderation")) {
      return REGISTRY.getEncoding(EncodingType.O200K_BASE);
    }
    if (m.startsWith("gpt-4") || m.startsWith("gpt-3.5") || m.startsWith("text-embedding-")
        || m.startsWith("gpt-3.5-turbo-instruct")) {
      return REGISTRY.getEncoding(EncodingType.CL100K_BASE);
    }
    return null;
  }

  private static String text(Object content) {
    if (content instanceof String s) {
      return s;
    }
    StringBuilder out = new StringBuilder();
    if (content instanceof JsonArray parts) {
      for (Object part : parts) {
        if (part instanceof String t) {
          out.append(t);
        } else if (part instanceof JsonObject p && p.getValue("text") instanceof String t) {
          out.append(t);
        }
      }
    }
    return out.toString();
  }
}
