package io.secureworkload.operator.guardrail;

/**
 * The values a policy's patterns may name as {@code ${namespace}}, {@code ${account}}, {@code
 * ${region}} and {@code ${partition}}. An unknown placeholder stays as written and so matches no
 * real name: a typo refuses, it never admits.
 */
public record Placeholders(String namespace, String account, String region, String partition) {

  public String substitute(String pattern) {
    return pattern
        .replace("${namespace}", namespace)
        .replace("${account}", account)
        .replace("${region}", region)
        .replace("${partition}", partition);
  }
}
