package io.secureworkload.operator.guardrail;

import java.util.List;

/**
 * The built-in default allow-list: data-plane actions, the calls a workload makes on data that
 * already exists in its own account, never on the resources that hold it.
 *
 * <p>An action qualifies when it reads or writes objects, messages, items, records, parameters or
 * secret values, invokes a function or starts a state machine that someone else defined, publishes
 * events, metrics, logs or traces, or uses (never manages) a KMS key. Each entry is one action in
 * full, spelled as in AWS's Service Authorization Reference, and its access level there is Read,
 * Write or List.
 *
 * <p>Never in the list: any action of access level "Permissions management" or "Tagging"; actions
 * that create, delete or configure resources ({@code s3:CreateBucket}, {@code sqs:CreateQueue},
 * {@code sqs:SetQueueAttributes}, {@code s3:PutBucket*}); actions that hand out credentials or run
 * code under another principal; actions that share data outside the account ({@code
 * s3:PutObjectAcl}, {@code s3:ReplicateObject}, {@code sqs:AddPermission}, {@code sns:Subscribe});
 * anything of {@code iam}, {@code sts}, {@code organizations} or {@code account}.
 *
 * <p>{@code cloudwatch:PutMetricData} and the {@code xray} actions take no resource: IAM accepts
 * them only with {@code Resource: "*"}. docs/guardrails.md lists the actions left out and why.
 */
public final class DataPlaneActions {

  /**
   * One allowed action (full name, exact AWS casing, no wildcards) and why a workload may need it.
   */
  public record Entry(String action, String reason) {}

  public static final List<Entry> ENTRIES =
      List.of(
          new Entry("s3:GetObject", "read an object (also HeadObject); changes nothing"),
          new Entry(
              "s3:GetObjectVersion", "read an older version of an object in a versioned bucket"),
          new Entry(
              "s3:PutObject", "write an object, multipart uploads included; no ACL, no policy"),
          new Entry(
              "s3:DeleteObject", "delete an object; in a versioned bucket older versions stay"),
          new Entry("s3:AbortMultipartUpload", "give up an upload the workload started"),
          new Entry("s3:ListMultipartUploadParts", "list the parts of an upload, to resume it"),
          new Entry(
              "s3:ListBucket", "list keys (also HeadBucket); the engine may confine s3:prefix"),
          new Entry("sqs:SendMessage", "send messages, batches included; queue settings untouched"),
          new Entry("sqs:ReceiveMessage", "receive messages from a queue"),
          new Entry("sqs:DeleteMessage", "acknowledge processed messages, batches included"),
          new Entry("sqs:ChangeMessageVisibility", "extend or end the visibility of a message"),
          new Entry("sqs:GetQueueUrl", "resolve a queue name to the URL every SQS call needs"),
          new Entry("sqs:GetQueueAttributes", "read queue depth and settings, e.g. to scale on"),
          new Entry("sns:Publish", "publish to a topic, batches included; no subscriptions"),
          new Entry("dynamodb:GetItem", "read one item by key"),
          new Entry("dynamodb:BatchGetItem", "read several items by key in one call"),
          new Entry("dynamodb:Query", "read items by key condition, from a table or an index"),
          new Entry("dynamodb:Scan", "read all items of a table or an index"),
          new Entry(
              "dynamodb:ConditionCheckItem", "check a condition in a transaction, writes nothing"),
          new Entry("dynamodb:DescribeTable", "read a table's key schema and status; no items"),
          new Entry("dynamodb:PutItem", "create or replace an item"),
          new Entry("dynamodb:UpdateItem", "change attributes of an item"),
          new Entry("dynamodb:DeleteItem", "delete an item; the table stays"),
          new Entry("dynamodb:BatchWriteItem", "put or delete several items in one call"),
          new Entry("kinesis:PutRecord", "write a record to a stream"),
          new Entry("kinesis:PutRecords", "write a batch of records to a stream"),
          new Entry("kinesis:GetRecords", "read records from a shard"),
          new Entry("kinesis:GetShardIterator", "get the position GetRecords reads from"),
          new Entry("kinesis:DescribeStreamSummary", "read a stream's status, as consumers do"),
          new Entry("kinesis:ListShards", "list a stream's shards, to read each"),
          new Entry("firehose:PutRecord", "send a record to a delivery stream"),
          new Entry("firehose:PutRecordBatch", "send a batch of records to a delivery stream"),
          new Entry("events:PutEvents", "send events to a bus; its rules and targets untouched"),
          new Entry("lambda:InvokeFunction", "call a function; its code and role stay as they are"),
          new Entry("cloudwatch:PutMetricData", "publish custom metrics; takes no resource"),
          new Entry("logs:CreateLogStream", "open a stream in an existing log group, not a group"),
          new Entry("logs:PutLogEvents", "write log events to a stream"),
          new Entry("xray:PutTraceSegments", "upload trace segments; takes no resource"),
          new Entry("xray:PutTelemetryRecords", "report the trace agent's own telemetry"),
          new Entry("xray:GetSamplingRules", "read sampling rules for centralised sampling"),
          new Entry("xray:GetSamplingTargets", "get the sampling quota of the rules in use"),
          new Entry(
              "states:StartExecution", "run a state machine; its definition and role untouched"),
          new Entry("states:DescribeExecution", "read the status and output of a run"),
          new Entry(
              "secretsmanager:GetSecretValue", "read a secret's value; names held to allowedNames"),
          new Entry("secretsmanager:DescribeSecret", "read a secret's metadata, not its value"),
          new Entry("ssm:GetParameter", "read a parameter, SecureString decrypted via KMS"),
          new Entry("ssm:GetParameters", "read several parameters by name"),
          new Entry("ssm:GetParametersByPath", "read the parameters under a path"),
          new Entry("kms:Decrypt", "read encrypted data through a listed service"),
          new Entry("kms:Encrypt", "encrypt through a listed service"),
          new Entry("kms:GenerateDataKey", "write encrypted data through a listed service"),
          new Entry("kms:GenerateDataKeyWithoutPlaintext", "get a data key to store for later use"),
          new Entry("kms:DescribeKey", "resolve a key's ARN and usage; reads key metadata only"));

  private static final List<String> ACTIONS = ENTRIES.stream().map(Entry::action).toList();

  /**
   * The actions of ENTRIES, in order. Always the same list: the policies' action sets are kept by
   * it, for every decision.
   */
  public static List<String> actions() {
    return ACTIONS;
  }

  /**
   * Services whose KMS use a workload's key grants may go through: kms:ViaService values are
   * "&lt;service&gt;.${region}.amazonaws.com" ("amazonaws.com.cn" in aws-cn is handled by the
   * engine).
   *
   * <p>These services call KMS with the caller's own permissions when it reads or writes encrypted
   * data (Step Functions for runs of state machines under a customer managed key). Firehose,
   * EventBridge and CloudWatch Logs use a grant or their service principal instead, so callers need
   * no key access there and they are not listed.
   */
  public static final List<String> KMS_VIA_SERVICES =
      List.of("s3", "sqs", "sns", "dynamodb", "kinesis", "secretsmanager", "ssm", "states");

  private DataPlaneActions() {}
}
