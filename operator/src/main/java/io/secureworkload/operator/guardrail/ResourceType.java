package io.secureworkload.operator.guardrail;

import java.util.List;

/**
 * A resource type of an AWS service, as the Service Authorization Reference defines it.
 *
 * @param service the service prefix, such as {@code s3}
 * @param name the resource type's name within the service, such as {@code object}
 * @param arnFormat the ARN with AWS's {@code ${Variable}} placeholders, such as {@code
 *     arn:${Partition}:s3:::${BucketName}/${ObjectName}}
 * @param conditionKeys the condition keys that apply to every action on this resource type
 */
public record ResourceType(
    String service, String name, String arnFormat, List<String> conditionKeys) {

  public ResourceType {
    conditionKeys = List.copyOf(conditionKeys);
  }

  /**
   * The ARN format as an IAM resource pattern: every {@code ${Variable}} replaced by {@code *}
   * ({@code arn:${Partition}:s3:::${BucketName}/${ObjectName}} becomes <code>
   * arn:*:s3:::*&#47;*</code>).
   */
  public String arnPattern() {
    var pattern = new StringBuilder(arnFormat.length());
    int i = 0;
    while (i < arnFormat.length()) {
      int start = arnFormat.indexOf("${", i);
      int end = start < 0 ? -1 : arnFormat.indexOf('}', start);
      if (end < 0) {
        pattern.append(arnFormat, i, arnFormat.length());
        break;
      }
      pattern.append(arnFormat, i, start).append('*');
      i = end + 1;
    }
    return pattern.toString();
  }
}
