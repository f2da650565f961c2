package dev.llmworker.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmworker.sim.SimulatorOptions;
import dev.llmworker.support.Chromium;
import dev.llmworker.support.OpenAiApi;
import dev.llmworker.support.Stack;
import dev.llmworker.support.TestTasks;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

/**
 * The dashboard's Batches view in a real headless Chromium (the system's, driven by chromedriver) against a node
 * serving the Batch API: a running batch's progress moves, its output file downloads through the page, a batch is
 * cancelled with the Cancel button, an error file downloads, metadata and error messages with HTML in them show as
 * text. Leaves target/batches.png.
 */
class BatchesBrowserIT {
  private static final String TOKEN = "batches-browser-test-token";
  private static final String API_TOKEN = "batches-browser-api-token";
  private static final String EVIL = "<img src=x onerror=alert(1)>";
  private static final String EVIL2 = "<img src=x onerror=alert(2)>";
  private static final int LINES = 300;

  @TempDir
  Path dir;
  private Stack stack;
  private OpenAiApi batches;
  private ChromeDriver driver;
  private String base;
  private Path downloads;

  @BeforeEach
  void setUp() throws Exception {
    Chromium.requireInstalled();
    stack = new Stack(30, 5, SimulatorOptions.defaults().withLatencyMs(200));
    base = stack.startNode(json -> json
        .put("monitor", json.getJsonObject("monitor").put("token", TOKEN))
        .put("api", new JsonObject().put("tokens", new JsonArray().add(API_TOKEN)))
        .put("store", new JsonObject().put("embedded", new JsonObject().put("dir", dir.resolve("store").toString())))
        .put("worker", new JsonObject().put("instances", 1).put("concurrency", 4))).monitorUrl();
    batches = new OpenAiApi(base + "v1/", API_TOKEN);

    downloads = Files.createDirectories(dir.resolve("downloads"));
    driver = Chromium.start(downloads);
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
  @DisplayName("Batches view: empty state, a running batch's progress moves, the finished batch's output downloads "
      + "with every custom_id once, Cancel cancels a slow batch, an error file downloads, metadata and errors with "
      + "HTML show as text, polling every 2 s only while shown, a refused cancel shows its reason, no console errors")
  void batchesView() throws Exception {
    driver.get(base + "#batches");
    driver.findElement(By.id("token")).sendKeys(TOKEN + Keys.ENTER);
    await("the empty state names the command that creates a batch", () -> text(By.cssSelector(
        "[data-testid=batches-empty]")).contains("llm-worker batch create FILE --endpoint /v1/chat/completions"));

    String evil = create(TestTasks.chat("x-0", "hello") + "\n" + TestTasks.chat("x-1", "no [[sim:status=400]]")
        + "\n", new JsonObject().put("note", EVIL)).getString("id");
    String invalid = create(TestTasks.chat("y-0", "hello").replace("/v1/chat/completions", "/v1/" + EVIL2) + "\n",
        new JsonObject()).getString("id");
    String main = create(chatLines("r-", LINES, ""), new JsonObject().put("purpose", "progress"))
        .getString("id");
    await("the view lists the batch", () -> row(main) != null);

    long[] first = new long[1];
    await("the batch shows part done", () -> {
      first[0] = done(main);
      return first[0] < LINES && "in progress".equals(text(row(main), "batch-status"));
    });
    await("its progress moves up: the done figure and the bar", () -> done(main) > first[0]
        && text(row(main), "batch-done").startsWith(String.format("%,d / %,d", done(main), LINES)));
    assertTrue(barWidth(main) > 0, "the bar shows progress");

    await("the batch completes in the view", () -> "completed".equals(text(row(main), "batch-status"))
        && done(main) == LINES);
    assertEquals(LINES + " / 0 / " + LINES, text(row(main), "batch-counts"));
    row(main).findElement(By.cssSelector("[data-testid=batch-output]")).click();
    Path saved = downloads.resolve(main + ".output.jsonl");
    await("the output file is saved under its batch's name", () -> Files.exists(saved)
        && lines(saved).size() == LINES);
    Map<String, Long> ids = lines(saved).stream().map(l -> new JsonObject(l).getString("custom_id"))
        .collect(Collectors.groupingBy(id -> id, Collectors.counting()));
    assertEquals(IntStream.range(0, LINES).mapToObj(i -> "r-" + i).collect(Collectors.toSet()), ids.keySet());
    assertTrue(ids.values().stream().allMatch(c -> c == 1), "custom_ids more than once: " + ids);
    assertEquals(String.valueOf(Files.size(saved)),
        row(main).findElement(By.cssSelector("[data-testid=batch-output]")).getDomAttribute("data-bytes"));

    String slow = create(chatLines("s-", 40, "[[sim:latency_ms=20000]] "), new JsonObject()).getString("id");
    await("the slow batch offers Cancel", () -> button(slow) != null && button(slow).isDisplayed());
    button(slow).click();
    driver.switchTo().alert().dismiss();
    assertTrue(Set.of("validating", "in_progress").contains(batches.batch(slow).getString("status")),
        "a dismissed Cancel sent nothing");
    button(slow).click();
    driver.switchTo().alert().accept();
    await("the cancelled batch shows cancelling or cancelled", () -> Set.of("cancelling", "cancelled")
        .contains(text(row(slow), "batch-status")));
    assertTrue(Set.of("cancelling", "cancelled").contains(batches.batch(slow).getString("status")));
    await("its Cancel button is gone", () -> !button(slow).isDisplayed());

    await("the metadata with HTML in it shows as text", () -> text(row(evil), "batch-metadata")
        .equals("note: " + EVIL));
    await("a batch refused for a line's url shows the error, HTML in it as text", () -> "failed".equals(
        text(row(invalid), "batch-status")) && text(row(invalid), "batch-errors-text").startsWith("line 1: ")
        && text(row(invalid), "batch-errors-text").contains(EVIL2));
    assertEquals(0, driver.findElements(By.cssSelector("main img, main script")).size(), "batch text parsed as HTML");
    await("the small batch completes with one answer and one refusal", () -> "completed".equals(
        text(row(evil), "batch-status")) && row(evil).findElement(By.cssSelector("[data-testid=batch-errors]"))
        .isDisplayed());
    row(evil).findElement(By.cssSelector("[data-testid=batch-errors]")).click();
    Path errors = downloads.resolve(evil + ".errors.jsonl");
    await("its error file is saved under its batch's name", () -> Files.exists(errors) && lines(errors).size() == 1);
    assertEquals("x-1", new JsonObject(lines(errors).get(0)).getString("custom_id"));

    // every 2 s while shown, one request at a time; nothing while the Overview is shown
    int before = batchUpdates();
    long start = System.nanoTime();
    await("three more refreshes", () -> batchUpdates() >= before + 3);
    long ms = Duration.ofNanos(System.nanoTime() - start).toMillis();
    assertTrue(ms >= 3500, "3 refreshes in " + ms + " ms: not every 2 s");
    driver.findElement(By.cssSelector("[data-testid=tab-overview]")).click();
    int hidden = batchUpdates();
    int ticks = updates();
    await("the overview ticks 3 times", () -> updates() >= ticks + 3);
    assertTrue(batchUpdates() <= hidden + 1, "the list was read while hidden: " + (batchUpdates() - hidden));
    driver.findElement(By.cssSelector("[data-testid=tab-batches]")).click();

    List<LogEntry> severe = driver.manage().logs().get(LogType.BROWSER).getAll().stream()
        .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).toList();
    assertEquals(List.of(), severe.stream().map(LogEntry::getMessage).toList(), "browser console errors");

    Object refusal = ((JavascriptExecutor) driver).executeAsyncScript(
        "const done = arguments[arguments.length - 1]; cancelBatch('batch_nope').then(done);");
    assertTrue(String.valueOf(refusal).startsWith("cancel refused: 404"), String.valueOf(refusal));
    assertTrue(text(By.id("status")).contains("batch_nope: cancel refused: 404"), text(By.id("status")));

    Path shot = driver.getScreenshotAs(OutputType.FILE).toPath();
    Files.copy(shot, Path.of("target", "batches.png"), StandardCopyOption.REPLACE_EXISTING);
  }

  private JsonObject create(String lines, JsonObject metadata) {
    return batches.createBatch(lines, "/v1/chat/completions", metadata);
  }

  private static String chatLines(String prefix, int count, String promptPrefix) {
    return IntStream.range(0, count).mapToObj(i -> TestTasks.chat(prefix + i, promptPrefix + "hello " + i) + "\n")
        .collect(Collectors.joining());
  }

  private WebElement row(String id) {
    List<WebElement> rows = driver.findElements(By.cssSelector("[data-testid=batch-row][data-batch-id='" + id + "']"));
    return rows.isEmpty() ? null : rows.get(0);
  }

  private WebElement button(String id) {
    WebElement row = row(id);
    return row == null ? null : row.findElement(By.cssSelector("[data-testid=batch-cancel]"));
  }

  private long done(String id) {
    return Long.parseLong(row(id).getDomAttribute("data-done"));
  }

  private double barWidth(String id) {
    String width = row(id).findElement(By.cssSelector("[data-testid=batch-progress] > span")).getCssValue("width");
    return Double.parseDouble(width.replace("px", ""));
  }

  private int batchUpdates() {
    return Integer.parseInt((String) ((JavascriptExecutor) driver)
        .executeScript("return document.body.dataset.batchUpdates || '0';"));
  }

  private int updates() {
    return Integer.parseInt((String) ((JavascriptExecutor) driver)
        .executeScript("return document.body.dataset.updates || '0';"));
  }

  private static List<String> lines(Path file) {
    try {
      return Files.readAllLines(file).stream().filter(l -> !l.isBlank()).toList();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private String text(By by) {
    return Chromium.text(driver, by);
  }

  private static String text(WebElement row, String testId) {
    return row.findElement(By.cssSelector("[data-testid=" + testId + "]")).getText().trim();
  }

  private static void await(String what, BooleanSupplier condition) {
    Chromium.await(Duration.ofSeconds(60), what, condition);
  }
}
