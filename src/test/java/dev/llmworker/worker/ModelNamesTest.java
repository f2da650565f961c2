package dev.llmworker.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.llmworker.support.TestConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ModelNamesTest {
  private final ModelNames names = new ModelNames(TestConfig.with(new JsonObject().put("provider",
      new JsonObject().put("models", new JsonArray().add("gpt-4o")))));

  @Test
  @DisplayName("configured names are always tracked; unproven ones up to the cap; the rest count as 'other'")
  void cap() {
    for (int i = 0; i < ModelNames.UNPROVEN_CAP; i++) {
      assertEquals("x-" + i, names.track("default", "x-" + i));
    }
    assertEquals(ModelNames.OTHER, names.track("default", "one-too-many"));
    assertEquals("x-7", names.track("default", "x-7"), "a tracked name stays tracked");
    assertEquals("gpt-4o", names.track("default", "gpt-4o"), "configured");
    assertEquals(ModelNames.OTHER, names.track("default", null));
  }

  @Test
  @DisplayName("a name the provider answered is tracked from then on, even past the unproven cap")
  void provenByAnAnswer() {
    for (int i = 0; i < ModelNames.UNPROVEN_CAP; i++) {
      names.track("default", "x-" + i);
    }
    assertEquals(ModelNames.OTHER, names.track("default", "gpt-5"));
    assertEquals("gpt-5", names.succeeded("default", "gpt-5"));
    assertEquals("gpt-5", names.track("default", "gpt-5"));
  }
}
