package dev.llmworker.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmworker.sim.SimulatorOptions;
import dev.llmworker.support.Chromium;
import dev.llmworker.support.Stack;
import dev.llmworker.support.TestTasks;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

/**
 * The dashboard in a real headless Chromium (the system's, driven by chromedriver) while a demo-like run goes on:
 * live charts, numbers that match /api/stats, a malicious task shown as text, the scale control, no console errors.
 * Leaves a screenshot in target/dashboard.png.
 */
class DashboardBrowserIT {
  private static final String TOKEN = "browser-test-token";
  private static final String EVIL = "evil-<script>window.__pwned=1</script><img src=x onerror=\"window.__pwned=1\">";
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private Stack stack;
  private ChromeDriver driver;
  private String base;

  @BeforeEach
  void setUp() throws Exception {
    Chromium.requireInstalled();
    stack = new Stack(30, 5, SimulatorOptions.defaults().withLatencyMs(150));
    base = stack.startNode(json -> json
        .put("monitor", json.getJsonObject("monitor").put("token", TOKEN))
        .put("worker", new JsonObject().put("instances", 2).put("concurrency", 10))).monitorUrl();
    stack.sqs.enqueue(1, n -> TestTasks.chat(EVIL, "[[sim:status=400]] <b>bold?</b>"));
    stack.sqs.enqueue(20, n -> dev.llmworker.task.SampleTasks.body("emb-", n, dev.llmworker.task.Endpoint.EMBEDDINGS));
    stack.sqs.enqueue(3000, n -> TestTasks.chat("task-" + n, "hello " + n));

    driver = Chromium.start(null);
  }

  @AfterEach
  void tearDown() {
    if (driver != null) {
      driver.quit();
    }
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  @DisplayName("live dashboard: charts update, numbers match /api/stats, a malicious task renders as text, the "
      + "scale control changes the worker instances, no console errors")
  void dashboard() throws Exception {
    driver.get(base);
    await("the page asks for the token before it shows anything", () -> text(By.id("conn")).equals("token needed"));
    assertEquals("–", text(By.cssSelector("[data-key=received]")), "figures shown without the token");
    assertEquals("0", js("return document.body.dataset.updates || '0';"), "stats rendered without the token");
    driver.findElement(By.id("token")).sendKeys(TOKEN + Keys.ENTER);
    await("the page goes live", () -> text(By.id("conn")).equals("live"));
    driver.navigate().refresh();
    await("the tab keeps the token: live again after a reload, without asking", () -> text(By.id("conn"))
        .equals("live"));

    int before = points();
    await("the charts gain points", () -> points() >= before + 3);
    long plotted = (Long) js("return Chart.getChart(document.getElementById('chart-throughput'))"
        + ".data.datasets[0].data.length;");
    assertTrue(plotted >= 3, "the throughput chart plots the points: " + plotted);
    await("throughput shows on the chart", () -> (Boolean) js("return Chart.getChart("
        + "document.getElementById('chart-throughput')).data.datasets[0].data.some(v => v > 0);"));

    await("the LLM table has a row per endpoint: the embeddings model is named with its endpoint", () ->
        text(By.cssSelector("[data-testid=llm]")).contains("default / text-embedding-3-small · embeddings")
            && text(By.cssSelector("[data-testid=llm]")).contains("default / sim-1"));
    await("the malicious task shows in the failures list", () -> text(By.cssSelector("[data-testid=failures]"))
        .contains(EVIL));
    driver.findElement(By.cssSelector("[data-testid=dlq-peek]")).click();
    await("the malicious task shows in the DLQ browser", () -> text(By.cssSelector("[data-testid=dlq]"))
        .contains(EVIL));
    assertEquals(0, driver.findElements(By.cssSelector("main script, main img, main b")).size(),
        "server text was parsed as HTML");
    assertEquals(Boolean.TRUE, js("return typeof window.__pwned === 'undefined';"), "injected script ran");

    // the row is rebuilt on every update; its input and button are kept across updates, so look them up directly
    driver.findElement(By.cssSelector("[data-testid=node-row] [data-testid=instances-input]")).sendKeys("4");
    driver.findElement(By.cssSelector("[data-testid=node-row] [data-testid=instances-apply]")).click();
    await("the API shows 4 worker instances", () -> stats().getJsonObject("totals").getInteger("worker_instances")
        == 4);
    await("the page shows 4 worker instances", () -> text(By.cssSelector("[data-testid=instances]")).equals("4")
        && text(By.cssSelector("[data-key=worker_instances]")).equals("4"));
    await("the capacity chart shows the new instances", () -> (Boolean) js("const d = Chart.getChart("
        + "document.getElementById('chart-capacity')).data.datasets[2].data; return d[d.length - 1] === 4;"));

    driver.findElement(By.id("pause")).click();
    await("polling paused and everything settled", () -> {
      JsonObject s = stats();
      return s.getBoolean("paused") && s.getJsonObject("totals").getLong("in_flight") == 0;
    });
    await("the page's totals match /api/stats", () -> {
      JsonObject totals = stats().getJsonObject("totals");
      return List.of("received", "succeeded", "dead_lettered", "returned", "requeued").stream()
          .allMatch(key -> number(text(By.cssSelector("[data-key=" + key + "]"))) == totals.getLong(key));
    });
    assertTrue(driver.findElement(By.id("paused-banner")).isDisplayed(), "the paused banner shows");
    assertTrue(number(text(By.cssSelector("[data-key=succeeded]"))) > 0, "tasks were done while watching");

    // paused: what the redrive moves back waits in the tasks queue; the control answers at once, the outcome follows
    driver.findElement(By.cssSelector("[data-testid=dlq-redrive-all]")).click();
    await("the redrive's progress and outcome show below the DLQ buttons", () -> {
      String note = text(By.cssSelector("[data-testid=dlq-redrive-status]"));
      return note.contains("(all): done") && !note.contains(" 0 moved");
    });

    List<LogEntry> severe = driver.manage().logs().get(LogType.BROWSER).getAll().stream()
        .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).toList();
    assertEquals(List.of(), severe.stream().map(LogEntry::getMessage).toList(), "browser console errors");

    js("window.scrollTo(0, 0);");
    Path shot = driver.getScreenshotAs(OutputType.FILE).toPath();
    Files.copy(shot, Path.of("target", "dashboard.png"), StandardCopyOption.REPLACE_EXISTING);
  }

  private Object js(String script) {
    return ((JavascriptExecutor) driver).executeScript(script);
  }

  private int points() {
    String p = (String) js("return document.body.dataset.points || '0';");
    return Integer.parseInt(p);
  }

  private String text(By by) {
    return Chromium.text(driver, by);
  }

  private static long number(String formatted) {
    String digits = formatted.replaceAll("[^0-9]", "");
    return digits.isEmpty() ? -1 : Long.parseLong(digits);
  }

  private JsonObject stats() {
    try {
      return new JsonObject(HTTP.send(HttpRequest.newBuilder(URI.create(base + "api/stats"))
          .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString()).body());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static void await(String what, BooleanSupplier condition) {
    Chromium.await(Duration.ofSeconds(45), what, condition);
  }
}
