package dev.llmworker.client;

import picocli.CommandLine.Command;

/** {@code dlq peek|redrive|purge}: the dashboard's dead-letter actions, from a terminal. */
@Command(name = "dlq", mixinStandardHelpOptions = true,
    description = "Look into the dead-letter queue, move its tasks back to the tasks queue, or empty it.",
    subcommands = {DlqPeekCommand.class, DlqRedriveCommand.class, DlqPurgeCommand.class})
public final class DlqCommand {}
