package dev.llmworker.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmworker.client.ResultRouter.Target;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultRouterTest {
  @TempDir
  Path dir;

  private final ResultRouter router = new ResultRouter();

  static String ok(String id) {
    return "{\"id\":\"batch_req_1\",\"custom_id\":\"" + id + "\",\"response\":{\"status_code\":200,\"request_id\":"
        + "\"r\",\"body\":{\"choices\":[]}},\"error\":null,\"llmw\":{\"attempts\":1}}";
  }

  static String failed(String id) {
    return "{\"id\":\"batch_req_2\",\"custom_id\":\"" + id + "\",\"response\":null,\"error\":{\"code\":\"x\","
        + "\"message\":\"y\"},\"llmw\":{\"attempts\":5}}";
  }

  @Test
  @DisplayName("a success is written once; its redelivery and a later failure for the same id are skipped")
  void successOnce() {
    assertEquals(new ResultRouter.Routed(Target.RESULTS, ok("a")), router.route("m1", ok("a")));
    assertEquals(Target.DUPLICATE, router.route("m2", ok("a")).target());
    assertEquals(Target.DUPLICATE, router.route("m3", failed("a")).target());
    assertEquals(1, router.tally().results);
    assertEquals(2, router.tally().duplicates);
  }

  @Test
  @DisplayName("a failure goes to the errors file once; a later success for it goes to the results file")
  void failureThenSuccess() {
    assertEquals(Target.ERRORS, router.route("m1", failed("a")).target());
    assertEquals(Target.DUPLICATE, router.route("m2", failed("a")).target());
    assertEquals(Target.RESULTS, router.route("m3", ok("a")).target());
    assertEquals(1, router.tally().recovered);
    assertEquals(Target.DUPLICATE, router.route("m4", ok("a")).target());
  }

  @Test
  @DisplayName("an HTTP status of 400 or more with no error object counts as a failure, like the Batch API")
  void statusFailure() {
    String status500 = "{\"custom_id\":\"a\",\"response\":{\"status_code\":500,\"body\":{}},\"error\":null}";
    assertEquals(Target.ERRORS, router.route("m1", status500).target());
    String status399 = "{\"custom_id\":\"b\",\"response\":{\"status_code\":399,\"body\":{}},\"error\":null}";
    assertEquals(Target.RESULTS, router.route("m2", status399).target());
  }

  @Test
  @DisplayName("a body spread over several lines is written as one compact line with the same content")
  void multiLineBody() {
    String pretty = new JsonObject(ok("a")).encodePrettily();
    assertTrue(pretty.contains("\n"));
    String line = router.route("m1", pretty).line();
    assertTrue(!line.contains("\n") && !line.contains("\r"), line);
    assertEquals(new JsonObject(ok("a")), new JsonObject(line));
  }

  @Test
  @DisplayName("a one-line body is written byte for byte as it came")
  void keepsBody() {
    String body = "{\"custom_id\":\"a\",\"x\":1.50,\"y\":\"\\u00e9\"}";
    assertEquals(body, router.route("m1", body).line());
  }

  @Test
  @DisplayName("a body that is not a result becomes an unreadable_result error line keeping the body, once per message")
  void unreadable() {
    for (String body : new String[] {"not json", "[1,2]", "{\"custom_id\":7}", "{\"custom_id\":\"a\"} trailing",
        "{\"id\":\"x\"}", ""}) {
      ResultRouter.Routed routed = router.route("msg-" + body.hashCode(), body);
      assertEquals(Target.ERRORS, routed.target(), body);
      JsonObject line = new JsonObject(routed.line());
      assertNull(line.getValue("custom_id"));
      assertNull(line.getValue("id"));
      assertTrue(line.containsKey("response") && line.getValue("response") == null);
      assertEquals("unreadable_result", line.getJsonObject("error").getString("code"));
      assertTrue(!line.getJsonObject("error").getString("message").isEmpty());
      assertEquals(body, line.getJsonObject("llmw").getString("raw_body"));
      assertEquals("msg-" + body.hashCode(), line.getJsonObject("llmw").getString("message_id"));
      assertEquals(Target.DUPLICATE, router.route("msg-" + body.hashCode(), body).target(), body);
    }
    assertEquals(6, router.tally().unreadable);
  }

  @Test
  @DisplayName("ids in files of earlier runs are known: successes and failures there are not written again")
  void loadsEarlierFiles() throws Exception {
    Path results = dir.resolve("r.jsonl");
    Path errors = dir.resolve("r.errors.jsonl");
    ResultRouter first = new ResultRouter();
    String unreadable = first.route("msg-9", "garbage").line();
    Files.writeString(results, ok("a") + "\n\n" + "not a result\n");
    Files.writeString(errors, failed("b") + "\n" + unreadable + "\n");
    try (ResultsFile r = ResultsFile.open(results); ResultsFile e = ResultsFile.open(errors)) {
      assertEquals(1, router.loadResults(r));
      assertEquals(0, router.loadErrors(e));
    }
    assertEquals(Target.DUPLICATE, router.route("m1", ok("a")).target());
    assertEquals(Target.DUPLICATE, router.route("m2", failed("a")).target());
    assertEquals(Target.DUPLICATE, router.route("m3", failed("b")).target());
    assertEquals(Target.DUPLICATE, router.route("msg-9", "garbage").target());
    assertEquals(Target.RESULTS, router.route("m4", ok("b")).target());
    assertEquals(Target.RESULTS, router.route("m5", ok("c")).target());
  }
}
