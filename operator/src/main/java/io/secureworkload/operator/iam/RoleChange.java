package io.secureworkload.operator.iam;

import java.util.Map;
import java.util.Set;

/** One write that brings an existing role closer to the desired one. */
public sealed interface RoleChange {

  /** The IAM operation the change is made with, for events and logs. */
  String operation();

  record UpdateTrustPolicy(String document) implements RoleChange {
    public String operation() {
      return "UpdateAssumeRolePolicy";
    }
  }

  record UpdateRoleSettings(String description, int maxSessionDurationSeconds)
      implements RoleChange {
    public String operation() {
      return "UpdateRole";
    }
  }

  record PutInlinePolicy(String policyName, String document) implements RoleChange {
    public String operation() {
      return "PutRolePolicy";
    }
  }

  record DeleteInlinePolicy(String policyName) implements RoleChange {
    public String operation() {
      return "DeleteRolePolicy";
    }
  }

  record AttachManagedPolicy(String policyArn) implements RoleChange {
    public String operation() {
      return "AttachRolePolicy";
    }
  }

  record DetachManagedPolicy(String policyArn) implements RoleChange {
    public String operation() {
      return "DetachRolePolicy";
    }
  }

  record PutPermissionsBoundary(String policyArn) implements RoleChange {
    public String operation() {
      return "PutRolePermissionsBoundary";
    }
  }

  record TagRole(Map<String, String> tags) implements RoleChange {
    public String operation() {
      return "TagRole";
    }
  }

  record UntagRole(Set<String> keys) implements RoleChange {
    public String operation() {
      return "UntagRole";
    }
  }
}
