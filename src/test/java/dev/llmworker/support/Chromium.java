package dev.llmworker.support;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;

/** The system's headless Chromium driven through chromedriver, for the dashboard's browser tests. */
public final class Chromium {
  private static final String BINARY = "/usr/bin/chromium";
  private static final String DRIVER = "/usr/bin/chromedriver";

  private Chromium() {}

  /** Fails the test, saying what to install, when Chromium or chromedriver is missing. */
  public static void requireInstalled() {
    assertTrue(new File(BINARY).canExecute() && new File(DRIVER).canExecute(),
        "this test needs the system Chromium and chromedriver: apt-get install -y chromium chromium-driver "
            + "(.ci/run installs them)");
  }

  /** A headless browser keeping its console log; downloads go to {@code downloads} when it is not null. */
  public static ChromeDriver start(Path downloads) {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(BINARY);
    options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
        "--window-size=1366,900");
    if (downloads != null) {
      options.setExperimentalOption("prefs", Map.of("download.default_directory", downloads.toString(),
          "download.prompt_for_download", false));
    }
    options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(new File(DRIVER)).usingAnyFreePort().build();
    return new ChromeDriver(service, options);
  }

  /** The trimmed text of the first element found, or "" when there is none. */
  public static String text(ChromeDriver driver, By by) {
    List<WebElement> found = driver.findElements(by);
    return found.isEmpty() ? "" : found.get(0).getText().trim();
  }

  /** Waits for a condition on the page; an element replaced between two renders counts as "look again". */
  public static void await(Duration timeout, String what, BooleanSupplier condition) {
    Eventually.await(timeout, () -> {
      try {
        return condition.getAsBoolean();
      } catch (RuntimeException e) {
        return false; // the page is between two renders: look again
      }
    }, () -> what);
  }
}
