package io.secureworkload.operator.testsupport;

import io.secureworkload.operator.iam.PolicyDocuments;
import java.util.ArrayList;
import java.util.List;

/** Whom a role's trust policy lets in through an OIDC provider, read as IAM would read it. */
public final class RoleTrust {

  private RoleTrust() {}

  /**
   * The {@code sub} values of the Allow statements, as written (StringLike patterns included); an
   * Allow statement without a {@code sub} condition lets in every subject, and counts as {@code *}.
   */
  public static List<String> subjects(String trustPolicy) {
    var subjects = new ArrayList<String>();
    for (var statement : PolicyDocuments.normalise(trustPolicy).get("Statement")) {
      if (!"Allow".equals(statement.path("Effect").asText())) {
        continue;
      }
      int before = subjects.size();
      statement
          .path("Condition")
          .forEach(
              operator ->
                  operator
                      .fields()
                      .forEachRemaining(
                          condition -> {
                            if (condition.getKey().endsWith(":sub")) {
                              condition.getValue().forEach(value -> subjects.add(value.asText()));
                            }
                          }));
      if (subjects.size() == before) {
        subjects.add("*");
      }
    }
    return subjects;
  }
}
