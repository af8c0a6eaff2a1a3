package io.secureworkload.operator.guardrail;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.secureworkload.operator.api.IamGuardrails;
import io.secureworkload.operator.api.IamSpec;
import io.secureworkload.operator.api.NetworkGuardrails;
import io.secureworkload.operator.api.SecretGuardrails;
import io.secureworkload.operator.api.SecureWorkloadPolicy;
import io.secureworkload.operator.api.SecureWorkloadPolicySpec;
import io.secureworkload.operator.api.SecurityGroupGuardrails;
import io.secureworkload.operator.api.WorkloadLimits;
import java.util.List;

/**
 * The built-in guardrails, as data. The escalation floor and the metadata CIDRs apply under every
 * policy; the other values are what a policy field left unset means, and together they make the
 * default policy of namespaces that no policy selects. They are closed: an allow-list left unset
 * means the default's allow-list ({@link DataPlaneActions}, {@link NamespaceScopedResources}),
 * never "anything". docs/guardrails.md lists the same.
 */
public final class DefaultGuardrails {

  /** The name violations of built-in rules carry as their source. */
  public static final String DEFAULT_POLICY_NAME = "default";

  /** A group of floor actions and the public research that names them. */
  public record ActionGroup(String name, String source, List<String> actions) {}

  public static final List<ActionGroup> ESCALATION_FLOOR =
      List.of(
          new ActionGroup(
              "whole services that administer identities, accounts and sessions",
              "issue 7; the IRSA token exchange needs no sts permission of the role itself",
              List.of("iam:*", "sts:*", "organizations:*", "account:*")),
          new ActionGroup(
              "IAM escalation paths",
              "Bishop Fox, after Rhino Security Labs' IAM privilege-escalation methods",
              List.of(
                  "iam:CreateAccessKey",
                  "iam:CreateLoginProfile",
                  "iam:UpdateLoginProfile",
                  "iam:CreatePolicyVersion",
                  "iam:SetDefaultPolicyVersion",
                  "iam:AttachUserPolicy",
                  "iam:AttachGroupPolicy",
                  "iam:AttachRolePolicy",
                  "iam:PutUserPolicy",
                  "iam:PutGroupPolicy",
                  "iam:PutRolePolicy",
                  "iam:AddUserToGroup",
                  "iam:UpdateAssumeRolePolicy",
                  "iam:PassRole",
                  "iam:CreateRole",
                  "iam:DeleteRolePermissionsBoundary",
                  "iam:PutRolePermissionsBoundary",
                  "iam:CreateServiceLinkedRole")),
          // The partner of iam:PassRole that starts compute under the passed role; the later steps
          // of a path (lambda:InvokeFunction, dynamodb:PutItem) are ordinary workload actions and
          // complete nothing without the first two.
          new ActionGroup(
              "compute that runs as a passed role, or takes over one",
              "Bishop Fox / Rhino Security Labs; parliament; commonly listed additions",
              List.of(
                  "ec2:RunInstances",
                  "ec2:AssociateIamInstanceProfile",
                  "ec2:ReplaceIamInstanceProfileAssociation",
                  "lambda:CreateFunction",
                  "lambda:CreateEventSourceMapping",
                  "lambda:UpdateFunctionCode",
                  "glue:CreateDevEndpoint",
                  "glue:UpdateDevEndpoint",
                  "cloudformation:CreateStack",
                  "datapipeline:CreatePipeline",
                  "ecs:RunTask",
                  "ecs:RegisterTaskDefinition",
                  "codebuild:CreateProject",
                  "codebuild:StartBuild",
                  "sagemaker:CreateNotebookInstance",
                  "ssm:SendCommand",
                  "ssm:StartSession")),
          new ActionGroup(
              "actions that hand out credentials or tokens",
              "Kinnaird McQuade's credentials-exposure list (parliament, policy_sentry)",
              List.of(
                  "codepipeline:PollForJobs",
                  "cognito-idp:AssociateSoftwareToken",
                  "cognito-idp:DescribeUserPoolClient",
                  "cognito-identity:GetOpenIdToken",
                  "cognito-identity:GetOpenIdTokenForDeveloperIdentity",
                  "cognito-identity:GetCredentialsForIdentity",
                  "connect:GetFederationToken",
                  "connect:GetFederationTokens",
                  "ecr:GetAuthorizationToken",
                  "gamelift:RequestUploadCredentials",
                  "iam:CreateServiceSpecificCredential",
                  "iam:ResetServiceSpecificCredential",
                  "iam:UpdateAccessKey",
                  "iot:AssumeRoleWithCertificate",
                  "lightsail:GetInstanceAccessDetails",
                  "lightsail:GetRelationalDatabaseMasterUserPassword",
                  "rds-db:connect",
                  "redshift:GetClusterCredentials",
                  "sso:GetRoleCredentials",
                  "mediapackage:RotateIngestEndpointCredentials",
                  "sts:AssumeRole",
                  "sts:AssumeRoleWithSAML",
                  "sts:AssumeRoleWithWebIdentity",
                  "sts:GetFederationToken",
                  "sts:GetSessionToken")),
          // Resource policies: whoever may write one grants access to anyone, other accounts too.
          new ActionGroup(
              "resource-policy and grant writers",
              "AWS Service Authorization Reference, access level \"Permissions management\""
                  + " (every action of that level is in the floor besides these)",
              List.of(
                  "s3:PutBucketPolicy",
                  "s3:DeleteBucketPolicy",
                  "s3:PutBucketAcl",
                  "s3:PutObjectAcl",
                  "s3:PutBucketPublicAccessBlock",
                  "kms:CreateGrant",
                  "kms:PutKeyPolicy",
                  "secretsmanager:PutResourcePolicy",
                  "secretsmanager:DeleteResourcePolicy",
                  "lambda:AddPermission",
                  "sns:AddPermission",
                  "sqs:AddPermission",
                  "ecr:SetRepositoryPolicy")),
          // Writes that AWS files under "Write" although they can set a resource policy or share
          // data with another account: the access level alone would let them through.
          new ActionGroup(
              "sharing outside the account through a Write action",
              "resource-exposure research (policy_sentry's resource exposure, Hacking the Cloud);"
                  + " the Policy attribute of SNS topics and SQS queues is a resource policy",
              List.of(
                  "sns:SetTopicAttributes",
                  "sqs:SetQueueAttributes",
                  "ec2:ModifySnapshotAttribute",
                  "ec2:ModifyImageAttribute",
                  "ec2:ModifyFpgaImageAttribute",
                  "rds:ModifyDBSnapshotAttribute",
                  "rds:ModifyDBClusterSnapshotAttribute",
                  "redshift:AuthorizeSnapshotAccess",
                  "ram:CreateResourceShare",
                  "ram:AssociateResourceShare",
                  "lambda:AddLayerVersionPermission",
                  "logs:PutResourcePolicy",
                  "events:PutPermission",
                  "glacier:SetVaultAccessPolicy",
                  "backup:PutBackupVaultAccessPolicy")),
          // Whoever holds these administers the cluster the tenant runs in, or binds any role of
          // the account to a ServiceAccount of its choice.
          new ActionGroup(
              "administration of EKS clusters and their identities",
              "Amazon EKS access entries and Pod Identity (AWS EKS user guide)",
              List.of(
                  "eks:CreateAccessEntry",
                  "eks:UpdateAccessEntry",
                  "eks:AssociateAccessPolicy",
                  "eks:CreatePodIdentityAssociation",
                  "eks:UpdatePodIdentityAssociation",
                  "eks:UpdateClusterConfig")),
          // The first step of methods published after the Bishop Fox set: each runs code, or
          // starts compute, as a principal other than the caller.
          new ActionGroup(
              "code that runs as another principal",
              "privilege-escalation methods published after the Bishop Fox set (Rhino Security"
                  + " Labs' later research, Hacking the Cloud, Datadog Security Labs)",
              List.of(
                  "ecs:ExecuteCommand",
                  "ecs:CreateService",
                  "ecs:UpdateService",
                  "ecs:StartTask",
                  "ec2-instance-connect:SendSSHPublicKey",
                  "ec2-instance-connect:SendSerialConsoleSSHPublicKey",
                  "ec2:ModifyInstanceAttribute",
                  "ec2:CreateLaunchTemplateVersion",
                  "ec2:ModifyLaunchTemplate",
                  "ec2:RequestSpotInstances",
                  "autoscaling:CreateLaunchConfiguration",
                  "autoscaling:CreateAutoScalingGroup",
                  "autoscaling:UpdateAutoScalingGroup",
                  "lambda:UpdateFunctionConfiguration",
                  "cloudformation:UpdateStack",
                  "cloudformation:CreateChangeSet",
                  "cloudformation:ExecuteChangeSet",
                  "cloudformation:SetStackPolicy",
                  "cloudformation:CreateStackSet",
                  "cloudformation:UpdateStackSet",
                  "glue:CreateJob",
                  "glue:UpdateJob",
                  "sagemaker:CreateTrainingJob",
                  "sagemaker:CreateProcessingJob",
                  "sagemaker:CreatePresignedNotebookInstanceUrl",
                  "codestar:CreateProject",
                  "apprunner:CreateService",
                  "batch:SubmitJob",
                  "batch:RegisterJobDefinition",
                  "ssm:CreateAssociation",
                  "ssm:StartAutomationExecution",
                  "datapipeline:PutPipelineDefinition",
                  "codebuild:UpdateProject",
                  "codebuild:StartBuildBatch")));

  /** Instance metadata (IMDS) and the EKS Pod Identity agent, IPv4 and IPv6: never reachable. */
  public static final List<String> METADATA_CIDRS =
      List.of("169.254.169.254/32", "fd00:ec2::254/128", "169.254.170.23/32", "fd00:ec2::23/128");

  public static final List<String> ALLOWED_ACCOUNTS = List.of("${account}");
  public static final List<String> ALLOWED_SECRET_NAMES = List.of("${namespace}/*");

  /** No key is listed: keys are reached through an alias under {@code alias/<namespace>/}. */
  public static final List<String> ALLOWED_KMS_KEYS = List.of();

  /** Where a namespace's KMS keys have their aliases; an operator-added condition requires it. */
  public static final String KMS_ALIAS_PATTERN = "alias/${namespace}/*";

  public static final int MAX_SESSION_DURATION_SECONDS =
      IamSpec.DEFAULT_MAX_SESSION_DURATION_SECONDS;
  public static final boolean ALLOW_RETAIN = false;
  public static final boolean ALLOW_SYNC_TO_SECRETS = true;
  public static final int MAX_WORKLOADS_PER_NAMESPACE =
      WorkloadLimits.DEFAULT_MAX_WORKLOADS_PER_NAMESPACE;

  private DefaultGuardrails() {}

  /** Every action of the floor, in the order of the groups. */
  public static List<String> escalationFloor() {
    return ESCALATION_FLOOR.stream().flatMap(group -> group.actions().stream()).toList();
  }

  /**
   * The default policy, spelled out field by field, for namespaces no policy selects. Later the
   * operator's configuration (Helm values) may supply another.
   */
  public static SecureWorkloadPolicy policy() {
    var iam = new IamGuardrails();
    iam.setDeniedActions(List.of());
    iam.setAllowedActions(DataPlaneActions.actions());
    iam.setWildcardResourceActions(List.of());
    iam.setAllowedResources(NamespaceScopedResources.patterns());
    iam.setAllowedAccounts(ALLOWED_ACCOUNTS);
    iam.setAllowedManagedPolicyArns(List.of());
    iam.setMaxSessionDurationSeconds(MAX_SESSION_DURATION_SECONDS);
    iam.setAllowRetain(ALLOW_RETAIN);
    iam.setAllowEscalationActions(List.of());
    var secrets = new SecretGuardrails();
    secrets.setAllowedNames(ALLOWED_SECRET_NAMES);
    secrets.setAllowedKmsKeys(ALLOWED_KMS_KEYS);
    secrets.setAllowSyncToSecrets(ALLOW_SYNC_TO_SECRETS);
    var securityGroups = new SecurityGroupGuardrails();
    securityGroups.setAllowedGroupIds(List.of());
    var network = new NetworkGuardrails();
    network.setDeniedCidrs(List.of());
    var limits = new WorkloadLimits();
    limits.setMaxWorkloadsPerNamespace(MAX_WORKLOADS_PER_NAMESPACE);

    var spec = new SecureWorkloadPolicySpec();
    spec.setNamespaceSelector(new LabelSelector());
    spec.setMode(SecureWorkloadPolicySpec.Mode.Enforce);
    spec.setIam(iam);
    spec.setSecrets(secrets);
    spec.setSecurityGroups(securityGroups);
    spec.setNetwork(network);
    spec.setLimits(limits);
    var policy = new SecureWorkloadPolicy();
    policy.setMetadata(new ObjectMetaBuilder().withName(DEFAULT_POLICY_NAME).build());
    policy.setSpec(spec);
    return policy;
  }
}
