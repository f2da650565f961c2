package dev.llmworker.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmworker.sim.RecordedRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;

/**
 * Bedrock Converse: /model/{id}/converse, the conversation as content blocks, inferenceConfig, and a SigV4
 * signature that the AWS SDK's own signer reproduces from the request as it arrived.
 */
class BedrockProviderTest extends ProviderContractTest {
  /** Credentials the loopback chain falls back to when the environment has none (see AwsIdentity). */
  private static final AwsBasicCredentials LOCAL = AwsBasicCredentials.create("local", "local");

  @Override
  String embeddingModel() {
    return "cohere.embed-english-v3";
  }

  @Override
  JsonObject providerConfig(String baseUrl) {
    return new JsonObject().put("type", "bedrock").put("baseUrl", baseUrl).put("region", "eu-west-1")
        .put("modelMap", new JsonObject().put("model-a", "anthropic.claude-3-haiku-20240307-v1:0"));
  }

  @Override
  boolean sendsRateHeaders() {
    return false;
  }

  @Override
  boolean sendsRetryAfter() {
    return false;
  }

  @Override
  void checkRequest(RecordedRequest request) {
    assertEquals("/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse", request.path());
    JsonObject body = new JsonObject(request.body());
    assertEquals(new JsonArray().add(new JsonObject().put("text", "Be brief.")), body.getJsonArray("system"));
    assertEquals(new JsonArray().add(new JsonObject().put("role", "user")
        .put("content", new JsonArray().add(new JsonObject().put("text", "Hello there")))), body.getJsonArray("messages"));
    JsonObject inference = body.getJsonObject("inferenceConfig");
    assertEquals(20, inference.getInteger("maxTokens"));
    assertEquals(new JsonArray().add("END"), inference.getJsonArray("stopSequences"));
    assertTrue(request.headers().get("Authorization").startsWith("AWS4-HMAC-SHA256 Credential=local/"),
        request.headers().get("Authorization"));
    assertTrue(request.headers().get("Authorization").contains("/eu-west-1/bedrock/aws4_request"));
  }

  /** A missing key is not a thing for Bedrock: SigV4 is always there. A missing signature is what fails. */
  @Override
  @Test
  @DisplayName("400 and 404 are permanent (Bedrock has no API key: identity is SigV4)")
  void permanentErrors() {
    for (String status : new String[] {"400", "404"}) {
      Throwable error = dev.llmworker.support.SqsFixture.awaitFailure(provider(KEY_ENV).complete(
          task("p-1", "[[sim:status=" + status + "]]")));
      assertEquals(ProviderFailure.Kind.PERMANENT, ((ProviderFailure) error).kind(), error.getMessage());
    }
  }

  @Test
  @DisplayName("the SigV4 Authorization header verifies: the SDK's signer, given the same request and time, "
      + "computes the same signature")
  void signatureVerifies() {
    dev.llmworker.support.SqsFixture.await(provider(KEY_ENV).complete(task("sig-1", "Sign me")));
    assertSignatureVerifies(sim.requests().get(0));
  }

  @Test
  @DisplayName("an inference-profile ARN as model id ('/' and ':' in it) is sent percent-encoded as one path "
      + "segment, as AWS's own clients send it; the simulator serves it and the signature still verifies")
  void arnModelIsOneSegment() {
    String arn = "arn:aws:bedrock:eu-west-1:123456789012:inference-profile/eu.anthropic.claude-3-haiku-20240307-v1:0";
    ProviderReply reply = dev.llmworker.support.SqsFixture.await(provider(KEY_ENV).complete(
        task("arn-1", "Hello there", arn)));
    RecordedRequest request = sim.requests().get(0);
    assertEquals("/model/arn%3Aaws%3Abedrock%3Aeu-west-1%3A123456789012%3Ainference-profile%2F"
        + "eu.anthropic.claude-3-haiku-20240307-v1%3A0/converse", request.path());
    assertEquals(arn, request.pathParams().get("modelId"));
    assertEquals(arn, reply.model());
    assertSignatureVerifies(request);
  }

  private void assertSignatureVerifies(RecordedRequest request) {
    String authorization = request.headers().get("Authorization");
    String signedHeaders = authorization.replaceAll(".*SignedHeaders=([^,]+),.*", "$1");
    Instant at = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC)
        .parse(request.headers().get("X-Amz-Date"), Instant::from);
    SdkHttpRequest.Builder copy = SdkHttpRequest.builder().method(SdkHttpMethod.POST)
        .uri(URI.create("http://127.0.0.1:" + sim.port() + request.path()));
    Arrays.stream(signedHeaders.split(";")).forEach(h -> copy.putHeader(h, request.headers().get(h)));
    byte[] body = request.body().getBytes(StandardCharsets.UTF_8);
    SignedRequest resigned = AwsV4HttpSigner.create().sign(r -> r
        .identity(LOCAL)
        .request(copy.build())
        .payload(ContentStreamProvider.fromByteArray(body))
        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "bedrock")
        .putProperty(AwsV4HttpSigner.REGION_NAME, "eu-west-1")
        .putProperty(AwsV4HttpSigner.SIGNING_CLOCK, Clock.fixed(at, ZoneOffset.UTC)));
    assertEquals(resigned.request().firstMatchingHeader("Authorization").orElseThrow(), authorization);
  }

  @Test
  @DisplayName("Titan Text Embeddings v2 on InvokeModel: one input, dimensions 256, base64; several inputs, token ids "
      + "and other dimensions are refused before any call")
  void titanEmbeddings() {
    String titan = "amazon.titan-embed-text-v2:0";
    dev.llmworker.provider.ProviderReply reply = dev.llmworker.support.SqsFixture.await(provider(KEY_ENV).complete(
        new dev.llmworker.task.Task("titan-1", "POST", "/v1/embeddings", new JsonObject().put("model", titan)
            .put("input", "alpha").put("dimensions", 256).put("encoding_format", "base64"), null)));
    JsonObject request = new JsonObject(sim.requests().get(0).body());
    assertEquals("/model/amazon.titan-embed-text-v2%3A0/invoke", sim.requests().get(0).path());
    assertEquals(new JsonObject().put("inputText", "alpha").put("normalize", true).put("dimensions", 256), request);
    float[] got = dev.llmworker.sim.Embeddings.fromBase64(reply.body().getJsonArray("data").getJsonObject(0)
        .getString("embedding"));
    org.junit.jupiter.api.Assertions.assertArrayEquals(dev.llmworker.sim.Embeddings.vector(titan, "alpha", 256), got);
    assertTrue(reply.usage().promptTokens() > 0);

    for (JsonObject body : java.util.List.of(
        new JsonObject().put("model", titan).put("input", new JsonArray().add("a").add("b")),
        new JsonObject().put("model", titan).put("input", new JsonArray().add(1).add(2)),
        new JsonObject().put("model", titan).put("input", "a").put("dimensions", 300))) {
      Throwable error = dev.llmworker.support.SqsFixture.awaitFailure(provider(KEY_ENV).complete(
          new dev.llmworker.task.Task("titan-bad", "POST", "/v1/embeddings", body, null)));
      assertEquals(ProviderFailure.Kind.PERMANENT, ((ProviderFailure) error).kind(), body.encode());
    }
    assertEquals(1, sim.requests().size(), "a refused task made a call");
  }
}
