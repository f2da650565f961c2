package dev.llmworker.app;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** What a node does; {@code --roles poller,worker,monitor} (default: all three). */
public enum Role {
  POLLER, WORKER, MONITOR;

  public static Set<Role> parse(String csv) {
    Set<Role> roles = EnumSet.noneOf(Role.class);
    for (String part : csv.split(",")) {
      String name = part.trim().toUpperCase(Locale.ROOT);
      if (name.isEmpty()) {
        continue;
      }
      try {
        roles.add(Role.valueOf(name));
      } catch (IllegalArgumentException e) {
        throw new ConfigException("--roles", "a comma-separated subset of poller,worker,monitor", csv);
      }
    }
    if (roles.isEmpty()) {
      throw new ConfigException("--roles", "a comma-separated subset of poller,worker,monitor", csv);
    }
    return roles;
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
