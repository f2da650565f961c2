package dev.llmworker.task;

/** A task body that can never succeed, with a machine code and a reason a person can read. */
public final class TaskRejected extends RuntimeException {
  private final String code;
  private final String customId;

  public TaskRejected(String code, String reason, String customId) {
    super(reason, null, false, false);
    this.code = code;
    this.customId = customId;
  }

  public String code() {
    return code;
  }

  /** The custom_id when the body had one, else null. */
  public String customId() {
    return customId;
  }
}
