package dev.llmworker.batchcli;

import picocli.CommandLine.Command;

/** {@code batch create|list|get|cancel|download}: OpenAI's Batch API of a running node, from a terminal. */
@Command(name = "batch", mixinStandardHelpOptions = true,
    description = {"Run batch files through a node's OpenAI-compatible Batch API (/v1/files, /v1/batches): upload "
        + "and start a batch, follow it, list, inspect and cancel batches, download their output and error files.",
        "The node must run with api.tokens (LLMW_API_TOKENS) set; these commands send LLMW_API_TOKEN, else the "
            + "first of api.tokens. Exit codes: 0 success, 1 failure (an error answer, no node, a batch that did "
            + "not complete), 2 bad usage, 130 stopped waiting (Ctrl-C / SIGTERM)."},
    subcommands = {BatchCreateCommand.class, BatchListCommand.class, BatchGetCommand.class, BatchCancelCommand.class,
        BatchDownloadCommand.class})
public final class BatchCommand {}
