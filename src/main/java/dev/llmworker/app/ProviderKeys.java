package dev.llmworker.app;

import dev.llmworker.net.Hosts;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Decides which environment variable's API key a provider sends, so that a key only goes where it belongs.
 * <ul>
 *   <li>{@code apiKeyEnv} left empty: the type's own variable ({@code OPENAI_API_KEY}, {@code ANTHROPIC_API_KEY},
 *       {@code AZURE_OPENAI_API_KEY}), and only to that vendor's own hosts. Pointed anywhere else while that
 *       variable is set, the start stops: the user says which key that host gets.</li>
 *   <li>{@code apiKeyEnv} named: that variable, to {@code baseUrl} whatever it is (the start-up summary says
 *       where it goes).</li>
 *   <li>{@code apiKeyEnv = "none"}: no key.</li>
 * </ul>
 * A key is never sent over plain {@code http://} to a host other than loopback unless {@code allowInsecure}.
 */
final class ProviderKeys {
  static final String NONE = "none";

  /** A vendor's standard key variable and the hosts that key belongs to. */
  private record Home(String variable, String hosts, Predicate<String> owns) {}

  private static final Map<String, Home> HOMES = Map.of(
      "openai", new Home("OPENAI_API_KEY", "api.openai.com", h -> h.equals("api.openai.com")),
      "anthropic", new Home("ANTHROPIC_API_KEY", "api.anthropic.com", h -> h.equals("api.anthropic.com")),
      "azure", new Home("AZURE_OPENAI_API_KEY", "*.openai.azure.com or *.cognitiveservices.azure.com",
          h -> h.endsWith(".openai.azure.com") || h.endsWith(".cognitiveservices.azure.com")));

  private ProviderKeys() {}

  /** The variable whose key this provider sends ("" = none); a ConfigException when the key would go astray. */
  static String variable(ConfigReader r, String type, String baseUrl) {
    String named = r.string("apiKeyEnv");
    boolean allowInsecure = r.bool("allowInsecure");
    String variable = chosen(r, type, baseUrl, named);
    if (!variable.isEmpty() && baseUrl.startsWith("http://") && !Hosts.isLoopback(Hosts.hostOf(baseUrl))
        && !allowInsecure) {
      throw r.bad("baseUrl", "an https:// URL: the API key in " + variable + " would cross the network in clear "
          + "text (set " + r.prefix() + "allowInsecure to true to send it anyway, or " + r.prefix()
          + "apiKeyEnv to \"" + NONE + "\" to send no key)", baseUrl);
    }
    return variable;
  }

  private static String chosen(ConfigReader r, String type, String baseUrl, String named) {
    if ("bedrock".equals(type) || NONE.equalsIgnoreCase(named)) {
      return ""; // Bedrock signs with AWS credentials
    }
    if (!named.isEmpty()) {
      return named;
    }
    Home home = HOMES.get(type);
    String host = Hosts.hostOf(baseUrl);
    if (home.owns().test(host)) {
      return home.variable();
    }
    if (isSet(home.variable())) {
      throw r.bad("apiKeyEnv", "the name of the variable holding the key for " + host + " (" + home.variable()
          + " is set, but its key belongs to " + home.hosts() + " and is not sent elsewhere unless named: set "
          + r.prefix() + "apiKeyEnv" + (r.prefix().equals("provider.") ? " (" + ConfigLoader.envName("provider.apiKeyEnv")
          + ")" : "") + " to " + home.variable() + " to send it to " + host + " anyway, to the variable holding "
          + host + "'s key, or to \"" + NONE + "\" for no key)", "");
    }
    return "";
  }

  private static boolean isSet(String variable) {
    String value = System.getenv(variable);
    return value != null && !value.isBlank();
  }

  /** For the start-up summary: which key goes where, never the key itself. */
  static String describe(LlmwConfig.Provider p) {
    if ("bedrock".equals(p.type())) {
      return "signed with AWS credentials (default chain)";
    }
    if (p.apiKeyEnv().isEmpty()) {
      return "no API key sent";
    }
    return "API key from " + p.apiKeyEnv() + (isSet(p.apiKeyEnv()) ? "" : " (not set: no key sent)") + " sent to "
        + Hosts.hostOf(p.baseUrl());
  }
}
