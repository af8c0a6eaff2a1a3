package io.secureworkload.operator.guardrail;

import java.util.List;

/**
 * Own-account resources a namespace may name under the default policy: per resource type, the
 * pattern that puts ${namespace} at the start of the name followed by a separator no namespace name
 * can contain, so that namespace {@code team} never reaches the resources of {@code team-payments}.
 *
 * <p>Namespace names are DNS-1123 labels ({@code [a-z0-9]([-a-z0-9]*[a-z0-9])?}, at most 63
 * characters), so {@code -} is never a separator. Each scope uses a character that the resource
 * type's naming rule allows and no namespace name has: {@code .} for S3 buckets (the only one they
 * allow), {@code _} where allowed, otherwise {@code /}.
 *
 * <p>Every resource type that an action of {@link DataPlaneActions} takes has a scope here or an
 * entry in {@link #UNSCOPED}, except KMS keys and aliases, which the engine holds to kms:ViaService
 * and an alias condition. Child types (DynamoDB indexes, log streams, S3 objects) are listed
 * although their parent's trailing {@code *} already contains them, so that each type shows its own
 * ARN shape.
 */
public final class NamespaceScopedResources {

  /**
   * @param service the service prefix (s3, sqs, ...) as in the catalogue
   * @param resourceType the resource type name as in the catalogue (bucket, object, queue, table,
   *     ...)
   * @param pattern an ARN pattern with placeholders ${partition}, ${region}, ${account},
   *     ${namespace}; region "*" where the resource's region does not matter for isolation; e.g.
   *     "arn:${partition}:sqs:*:${account}:${namespace}_*"
   * @param separator the character after ${namespace}
   * @param source where the resource type's naming rule comes from (AWS doc title/URL path)
   */
  public record Scope(
      String service, String resourceType, String pattern, char separator, String source) {}

  public static final List<Scope> SCOPES =
      List.of(
          // S3 ARNs carry no account; the engine adds aws:ResourceAccount to keep them in it.
          new Scope(
              "s3",
              "bucket",
              "arn:${partition}:s3:::${namespace}.*",
              '.',
              "Amazon S3 User Guide, General purpose bucket naming rules"
                  + " (userguide/bucketnamingrules.html): a-z 0-9 . -, 3-63 chars. AWS advises"
                  + " against '.' (virtual-hosted-style HTTPS fails certificate checks, no"
                  + " Transfer Acceleration), but it is the only character a bucket name allows"
                  + " that no namespace name has"),
          new Scope(
              "s3",
              "object",
              "arn:${partition}:s3:::${namespace}.*/*",
              '.',
              "as bucket; object ARNs are bucket/key"),
          new Scope(
              "sqs",
              "queue",
              "arn:${partition}:sqs:*:${account}:${namespace}_*",
              '_',
              "Amazon SQS API Reference, CreateQueue (APIReference/API_CreateQueue.html):"
                  + " alphanumerics, - and _, up to 80 chars (FIFO names end in .fifo)"),
          new Scope(
              "sns",
              "topic",
              "arn:${partition}:sns:*:${account}:${namespace}_*",
              '_',
              "Amazon SNS API Reference, CreateTopic (api/API_CreateTopic.html): ASCII letters,"
                  + " numbers, _ and -, 1-256 chars (FIFO names end in .fifo)"),
          new Scope(
              "dynamodb",
              "table",
              "arn:${partition}:dynamodb:*:${account}:table/${namespace}_*",
              '_',
              "Amazon DynamoDB Developer Guide, Naming rules"
                  + " (developerguide/HowItWorks.NamingRulesDataTypes.html): a-z A-Z 0-9 _ - .,"
                  + " 3-255 chars; the trailing * also reaches table/NAME/index/ and /stream/"),
          new Scope(
              "dynamodb",
              "index",
              "arn:${partition}:dynamodb:*:${account}:table/${namespace}_*/index/*",
              '_',
              "as table; contained in the table pattern"),
          new Scope(
              "kinesis",
              "stream",
              "arn:${partition}:kinesis:*:${account}:stream/${namespace}_*",
              '_',
              "Amazon Kinesis Data Streams API Reference, CreateStream"
                  + " (APIReference/API_CreateStream.html): [a-zA-Z0-9_.-]+, 1-128 chars"),
          new Scope(
              "firehose",
              "deliverystream",
              "arn:${partition}:firehose:*:${account}:deliverystream/${namespace}_*",
              '_',
              "Amazon Data Firehose API Reference, CreateDeliveryStream"
                  + " (APIReference/API_CreateDeliveryStream.html): [a-zA-Z0-9_.-]+, 1-64 chars"),
          new Scope(
              "events",
              "event-bus",
              "arn:${partition}:events:*:${account}:event-bus/${namespace}_*",
              '_',
              "Amazon EventBridge API Reference, CreateEventBus"
                  + " (APIReference/API_CreateEventBus.html): [/.\\-_A-Za-z0-9]+, 1-256 chars, no"
                  + " / in custom bus names; the default bus is not the namespace's"),
          new Scope(
              "lambda",
              "function",
              "arn:${partition}:lambda:*:${account}:function:${namespace}_*",
              '_',
              "AWS Lambda API Reference, CreateFunction (api/API_CreateFunction.html): letters,"
                  + " numbers, - and _, up to 64 chars; the trailing * also reaches :version and"
                  + " :alias qualifiers"),
          // No leading '/': AWS services log under /aws/... (EKS control plane, Lambda), which the
          // form /${namespace}/ would hand to a namespace called aws.
          new Scope(
              "logs",
              "log-group",
              "arn:${partition}:logs:*:${account}:log-group:${namespace}/*",
              '/',
              "Amazon CloudWatch Logs API Reference, CreateLogGroup"
                  + " (APIReference/API_CreateLogGroup.html): a-z A-Z 0-9 _ - / . #, 1-512 chars,"
                  + " no name may start with aws/. No listed action takes a log group, but"
                  + " policies for log streams commonly name log-group:NAME:*, which only this"
                  + " pattern contains"),
          new Scope(
              "logs",
              "log-stream",
              "arn:${partition}:logs:*:${account}:log-group:${namespace}/*:log-stream:*",
              '/',
              "as log-group; stream ARNs extend the group's, contained in its pattern"),
          new Scope(
              "states",
              "statemachine",
              "arn:${partition}:states:*:${account}:stateMachine:${namespace}_*",
              '_',
              "AWS Step Functions API Reference, CreateStateMachine"
                  + " (apireference/API_CreateStateMachine.html): 1-80 chars, no whitespace,"
                  + " brackets, wildcards or \" # % \\ ^ | ~ ` $ & , ; : /; 0-9 A-Z a-z - _ for"
                  + " CloudWatch logging; the trailing * also reaches :version and :alias"),
          new Scope(
              "states",
              "execution",
              "arn:${partition}:states:*:${account}:execution:${namespace}_*",
              '_',
              "as statemachine; execution ARNs are execution:MACHINE:ID"),
          new Scope(
              "states",
              "express",
              "arn:${partition}:states:*:${account}:express:${namespace}_*",
              '_',
              "as statemachine; express execution ARNs are express:MACHINE:ID:ID"),
          // The engine holds secrets and parameters to secrets.allowedNames (${namespace}/*).
          new Scope(
              "secretsmanager",
              "Secret",
              "arn:${partition}:secretsmanager:*:${account}:secret:${namespace}/*",
              '/',
              "AWS Secrets Manager API Reference, CreateSecret"
                  + " (apireference/API_CreateSecret.html): ASCII letters, numbers and /_+=.@-, up"
                  + " to 512 chars; ARNs add -XXXXXX, inside the trailing *"),
          new Scope(
              "ssm",
              "parameter",
              "arn:${partition}:ssm:*:${account}:parameter/${namespace}/*",
              '/',
              "AWS Systems Manager API Reference, PutParameter"
                  + " (APIReference/API_PutParameter.html): a-zA-Z0-9_.- and / for hierarchies, no"
                  + " aws or ssm prefix; the ARN of the name /NS/x is parameter/NS/x"));

  private static final List<String> PATTERNS = SCOPES.stream().map(Scope::pattern).toList();

  /**
   * The patterns of SCOPES, in order: the default policy's allowedResources. Always the same list:
   * the policies' filled-in patterns are kept by it, for every decision.
   */
  public static List<String> patterns() {
    return PATTERNS;
  }

  /**
   * Resource types of the data-plane actions that admit no safe separator: refused by the default,
   * need a platform policy.
   */
  public record Unscoped(String service, String resourceType, String why) {}

  public static final List<Unscoped> UNSCOPED =
      List.of(
          new Unscoped(
              "s3",
              "accesspoint",
              "S3 User Guide, Access points naming rules, restrictions, and limitations"
                  + " (userguide/access-points-restrictions-limitations.html): a-z 0-9 and - only,"
                  + " 3-50 chars, so any prefix may be a longer namespace's; and an"
                  + " access point can front any bucket of the account, so its name does not say"
                  + " whose data it reaches"),
          new Unscoped(
              "s3",
              "accesspointobject",
              "objects reached through an access point (accesspoint/NAME/object/KEY): as"
                  + " accesspoint"));

  private NamespaceScopedResources() {}
}
