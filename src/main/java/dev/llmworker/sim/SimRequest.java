package dev.llmworker.sim;

/**
 * What {@link SimulatedCallHandler} needs of any parsed request, whatever its endpoint: what it costs against
 * the limits, what the stats count, and the directives found in its text.
 */
interface SimRequest {
  /** The model as the answer names it: the body's, or the route's (an Azure deployment, a Bedrock model id). */
  String model();

  /** Input tokens, as the answer's usage reports them (≈ 4 characters a token). */
  int promptTokens();

  /** Output tokens the answer reports; 0 for embeddings and moderations. */
  int completionTokens();

  /** What the request counts against tpm: its input plus the output it may produce. */
  long budgetTokens();

  Directives directives();

  /** A request that only reads (embeddings, moderations): no output, and its input is all it costs. */
  interface InputOnly extends SimRequest {
    @Override
    default int completionTokens() {
      return 0;
    }

    @Override
    default long budgetTokens() {
      return promptTokens();
    }
  }
}
