package io.secureworkload.operator.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.secureworkload.operator.awscall.AwsCallException;
import io.secureworkload.operator.iam.ActualRole;
import io.secureworkload.operator.iam.ListedRole;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AttachedPermissionsBoundary;
import software.amazon.awssdk.services.iam.model.AttachedPolicy;
import software.amazon.awssdk.services.iam.model.DeleteRolePolicyRequest;
import software.amazon.awssdk.services.iam.model.DeleteRolePolicyResponse;
import software.amazon.awssdk.services.iam.model.DeleteRoleRequest;
import software.amazon.awssdk.services.iam.model.DeleteRoleResponse;
import software.amazon.awssdk.services.iam.model.DetachRolePolicyRequest;
import software.amazon.awssdk.services.iam.model.DetachRolePolicyResponse;
import software.amazon.awssdk.services.iam.model.GetAccountAuthorizationDetailsRequest;
import software.amazon.awssdk.services.iam.model.GetAccountAuthorizationDetailsResponse;
import software.amazon.awssdk.services.iam.model.IamException;
import software.amazon.awssdk.services.iam.model.InstanceProfile;
import software.amazon.awssdk.services.iam.model.ListAttachedRolePoliciesRequest;
import software.amazon.awssdk.services.iam.model.ListAttachedRolePoliciesResponse;
import software.amazon.awssdk.services.iam.model.ListInstanceProfilesForRoleRequest;
import software.amazon.awssdk.services.iam.model.ListInstanceProfilesForRoleResponse;
import software.amazon.awssdk.services.iam.model.ListRolePoliciesRequest;
import software.amazon.awssdk.services.iam.model.ListRolePoliciesResponse;
import software.amazon.awssdk.services.iam.model.ListRolesRequest;
import software.amazon.awssdk.services.iam.model.ListRolesResponse;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.PolicyDetail;
import software.amazon.awssdk.services.iam.model.RemoveRoleFromInstanceProfileRequest;
import software.amazon.awssdk.services.iam.model.RemoveRoleFromInstanceProfileResponse;
import software.amazon.awssdk.services.iam.model.Role;
import software.amazon.awssdk.services.iam.model.RoleDetail;
import software.amazon.awssdk.services.iam.model.Tag;

/**
 * The AWS implementation's paging and deletion steps against an IAM client of the test's own: moto
 * never pages, and cannot make a step fail half way.
 */
class AwsIamRolesTest {

  private final List<String> calls = new ArrayList<>();

  @Test
  void listingPagesAThousandRolesPerCallUnderThePath() {
    var iam =
        new StubIam() {
          @Override
          public ListRolesResponse listRoles(ListRolesRequest request) {
            calls.add("ListRoles " + request.pathPrefix() + " " + request.maxItems());
            int from = request.marker() == null ? 0 : Integer.parseInt(request.marker());
            int to = Math.min(from + request.maxItems(), 2500);
            var page =
                IntStream.range(from, to)
                    .mapToObj(
                        i ->
                            Role.builder()
                                .roleName("r" + i)
                                .path("/secureworkload/")
                                .arn("arn:aws:iam::123456789012:role/secureworkload/r" + i)
                                .roleId("AROA" + i)
                                .description("d" + i)
                                .assumeRolePolicyDocument("%7B%22Version%22%3A%222012-10-17%22%7D")
                                .maxSessionDuration(7200)
                                .build())
                    .toList();
            return ListRolesResponse.builder()
                .roles(page)
                .isTruncated(to < 2500)
                .marker(to < 2500 ? String.valueOf(to) : null)
                .build();
          }
        };

    var roles = roles(iam).list("/secureworkload/");

    assertThat(roles)
        .hasSize(2500)
        .first()
        .isEqualTo(
            new ListedRole(
                "r0",
                "arn:aws:iam::123456789012:role/secureworkload/r0",
                "/secureworkload/",
                "AROA0",
                "d0",
                "{\"Version\":\"2012-10-17\"}",
                7200));
    assertThat(calls)
        .containsExactly(
            "ListRoles /secureworkload/ 1000",
            "ListRoles /secureworkload/ 1000",
            "ListRoles /secureworkload/ 1000");
  }

  @Test
  void deletionClearsWhatIamReportsNowThenDeletesAndTakesGoneAsDone() {
    var iam =
        new StubIam() {
          @Override
          public ListInstanceProfilesForRoleResponse listInstanceProfilesForRole(
              ListInstanceProfilesForRoleRequest request) {
            calls.add("ListInstanceProfilesForRole");
            return ListInstanceProfilesForRoleResponse.builder()
                .instanceProfiles(InstanceProfile.builder().instanceProfileName("ec2").build())
                .isTruncated(false)
                .build();
          }

          @Override
          public RemoveRoleFromInstanceProfileResponse removeRoleFromInstanceProfile(
              RemoveRoleFromInstanceProfileRequest request) {
            calls.add("RemoveRoleFromInstanceProfile " + request.instanceProfileName());
            return RemoveRoleFromInstanceProfileResponse.builder().build();
          }

          @Override
          public ListAttachedRolePoliciesResponse listAttachedRolePolicies(
              ListAttachedRolePoliciesRequest request) {
            calls.add("ListAttachedRolePolicies");
            return ListAttachedRolePoliciesResponse.builder()
                .attachedPolicies(AttachedPolicy.builder().policyArn("arn:p").build())
                .isTruncated(false)
                .build();
          }

          @Override
          public DetachRolePolicyResponse detachRolePolicy(DetachRolePolicyRequest request) {
            calls.add("DetachRolePolicy " + request.policyArn());
            // Detached by someone else in the meantime: already done.
            throw noSuchEntity();
          }

          @Override
          public ListRolePoliciesResponse listRolePolicies(ListRolePoliciesRequest request) {
            calls.add("ListRolePolicies");
            return ListRolePoliciesResponse.builder()
                .policyNames("secureworkload", "by-hand")
                .isTruncated(false)
                .build();
          }

          @Override
          public DeleteRolePolicyResponse deleteRolePolicy(DeleteRolePolicyRequest request) {
            calls.add("DeleteRolePolicy " + request.policyName());
            return DeleteRolePolicyResponse.builder().build();
          }

          @Override
          public DeleteRoleResponse deleteRole(DeleteRoleRequest request) {
            calls.add("DeleteRole " + request.roleName());
            return DeleteRoleResponse.builder().build();
          }
        };

    roles(iam).delete("sw-role");

    assertThat(calls)
        .containsExactly(
            "ListInstanceProfilesForRole",
            "RemoveRoleFromInstanceProfile ec2",
            "ListAttachedRolePolicies",
            "DetachRolePolicy arn:p",
            "ListRolePolicies",
            "DeleteRolePolicy secureworkload",
            "DeleteRolePolicy by-hand",
            "DeleteRole sw-role");
  }

  @Test
  void aSnapshotPagesBothListingsAThousandRolesPerCallAndKeepsTheRolesUnderThePath() {
    // 2,500 roles under the operator's path and 600 elsewhere in the account.
    var iam =
        new PagingIam(2500, 600) {
          @Override
          public ListRolesResponse listRoles(ListRolesRequest request) {
            calls.add("ListRoles " + request.pathPrefix() + " " + request.maxItems());
            return super.listRoles(request);
          }

          @Override
          public GetAccountAuthorizationDetailsResponse getAccountAuthorizationDetails(
              GetAccountAuthorizationDetailsRequest request) {
            calls.add(
                "GetAccountAuthorizationDetails " + request.filter() + " " + request.maxItems());
            return super.getAccountAuthorizationDetails(request);
          }
        };

    var roles = roles(iam).snapshot("/secureworkload/");

    assertThat(roles).hasSize(2500);
    assertThat(roles.get(7))
        .isEqualTo(
            ActualRole.named("r7")
                .withIdentity(
                    "arn:aws:iam::123456789012:role/secureworkload/r7",
                    "/secureworkload/",
                    "AROAr7")
                .withDescription("d7")
                .withTrustPolicy("{\"Version\":\"2012-10-17\"}")
                .withInlinePolicies(Map.of("secureworkload", "{\"Statement\":[]}"))
                .withManagedPolicyArns(Set.of("arn:aws:iam::aws:policy/ReadOnlyAccess"))
                .withMaxSessionDurationSeconds(7200)
                .withPermissionsBoundaryArn("arn:aws:iam::123456789012:policy/boundary")
                .withTags(Map.of("secureworkload.io/name", "r7")));
    assertThat(calls)
        .containsExactly(
            "ListRoles /secureworkload/ 1000",
            "ListRoles /secureworkload/ 1000",
            "ListRoles /secureworkload/ 1000",
            "GetAccountAuthorizationDetails [Role] 1000",
            "GetAccountAuthorizationDetails [Role] 1000",
            "GetAccountAuthorizationDetails [Role] 1000",
            "GetAccountAuthorizationDetails [Role] 1000");
  }

  @Test
  void aKnownRoleIsDeletedWithoutReadingIt() {
    var iam = new DeletingIam(false);

    roles(iam).delete(known());

    assertThat(calls)
        .containsExactly(
            "DetachRolePolicy arn:p", "DeleteRolePolicy secureworkload", "DeleteRole sw-role");
  }

  @Test
  void aKnownRoleHoldingMoreThanKnownIsReadAndCleared() {
    var iam = new DeletingIam(true);

    roles(iam).delete(known());

    assertThat(calls)
        .containsExactly(
            "DetachRolePolicy arn:p",
            "DeleteRolePolicy secureworkload",
            "DeleteRole sw-role",
            "ListInstanceProfilesForRole",
            "ListAttachedRolePolicies",
            "ListRolePolicies",
            "DeleteRolePolicy by-hand",
            "DeleteRole sw-role");
  }

  private static ActualRole known() {
    return ActualRole.named("sw-role")
        .withIdentity(
            "arn:aws:iam::123456789012:role/secureworkload/sw-role", "/secureworkload/", null)
        .withTrustPolicy("{}")
        .withInlinePolicies(Map.of("secureworkload", "{}"))
        .withManagedPolicyArns(Set.of("arn:p"))
        .withMaxSessionDurationSeconds(3600);
  }

  /** A role holding an inline policy added by hand, which the first DeleteRole trips over. */
  private class DeletingIam extends StubIam {
    private final boolean addedByHand;
    private boolean first = true;

    DeletingIam(boolean addedByHand) {
      this.addedByHand = addedByHand;
    }

    @Override
    public DetachRolePolicyResponse detachRolePolicy(DetachRolePolicyRequest request) {
      calls.add("DetachRolePolicy " + request.policyArn());
      return DetachRolePolicyResponse.builder().build();
    }

    @Override
    public DeleteRolePolicyResponse deleteRolePolicy(DeleteRolePolicyRequest request) {
      calls.add("DeleteRolePolicy " + request.policyName());
      return DeleteRolePolicyResponse.builder().build();
    }

    @Override
    public DeleteRoleResponse deleteRole(DeleteRoleRequest request) {
      calls.add("DeleteRole " + request.roleName());
      if (addedByHand && first) {
        first = false;
        throw refusal(409, "DeleteConflict", "must delete policies first");
      }
      return DeleteRoleResponse.builder().build();
    }

    @Override
    public ListInstanceProfilesForRoleResponse listInstanceProfilesForRole(
        ListInstanceProfilesForRoleRequest request) {
      calls.add("ListInstanceProfilesForRole");
      return ListInstanceProfilesForRoleResponse.builder().isTruncated(false).build();
    }

    @Override
    public ListAttachedRolePoliciesResponse listAttachedRolePolicies(
        ListAttachedRolePoliciesRequest request) {
      calls.add("ListAttachedRolePolicies");
      return ListAttachedRolePoliciesResponse.builder().isTruncated(false).build();
    }

    @Override
    public ListRolePoliciesResponse listRolePolicies(ListRolePoliciesRequest request) {
      calls.add("ListRolePolicies");
      return ListRolePoliciesResponse.builder().policyNames("by-hand").isTruncated(false).build();
    }
  }

  /**
   * An account with {@code underPath} roles under /secureworkload/ and {@code elsewhere} others,
   * paging both listings by the request's MaxItems as IAM does (moto never pages).
   */
  private abstract static class PagingIam extends StubIam {
    private final int underPath;
    private final int elsewhere;

    PagingIam(int underPath, int elsewhere) {
      this.underPath = underPath;
      this.elsewhere = elsewhere;
    }

    @Override
    public ListRolesResponse listRoles(ListRolesRequest request) {
      int from = request.marker() == null ? 0 : Integer.parseInt(request.marker());
      int to = Math.min(from + request.maxItems(), underPath);
      var page =
          IntStream.range(from, to)
              .mapToObj(
                  i ->
                      Role.builder()
                          .roleName("r" + i)
                          .path("/secureworkload/")
                          .arn("arn:aws:iam::123456789012:role/secureworkload/r" + i)
                          .description("d" + i)
                          .assumeRolePolicyDocument("{\"Version\":\"2012-10-17\"}")
                          .maxSessionDuration(7200)
                          .build())
              .toList();
      return ListRolesResponse.builder()
          .roles(page)
          .isTruncated(to < underPath)
          .marker(to < underPath ? String.valueOf(to) : null)
          .build();
    }

    @Override
    public GetAccountAuthorizationDetailsResponse getAccountAuthorizationDetails(
        GetAccountAuthorizationDetailsRequest request) {
      int total = underPath + elsewhere;
      int from = request.marker() == null ? 0 : Integer.parseInt(request.marker());
      int to = Math.min(from + request.maxItems(), total);
      var page =
          IntStream.range(from, to)
              .mapToObj(i -> i < underPath ? detail("r" + i, "/secureworkload/") : other(i))
              .toList();
      return GetAccountAuthorizationDetailsResponse.builder()
          .roleDetailList(page)
          .isTruncated(to < total)
          .marker(to < total ? String.valueOf(to) : null)
          .build();
    }

    private static RoleDetail other(int i) {
      return detail("other" + i, "/");
    }

    private static RoleDetail detail(String name, String path) {
      return RoleDetail.builder()
          .roleName(name)
          .roleId("AROA" + name)
          .path(path)
          .arn("arn:aws:iam::123456789012:role" + path + name)
          .assumeRolePolicyDocument("%7B%22Version%22%3A%222012-10-17%22%7D")
          .rolePolicyList(
              PolicyDetail.builder()
                  .policyName("secureworkload")
                  .policyDocument("%7B%22Statement%22%3A%5B%5D%7D")
                  .build())
          .attachedManagedPolicies(
              AttachedPolicy.builder().policyArn("arn:aws:iam::aws:policy/ReadOnlyAccess").build())
          .permissionsBoundary(
              AttachedPermissionsBoundary.builder()
                  .permissionsBoundaryArn("arn:aws:iam::123456789012:policy/boundary")
                  .build())
          .tags(Tag.builder().key("secureworkload.io/name").value(name).build())
          .build();
    }
  }

  @Test
  void aRoleAlreadyGoneIsOneCall() {
    var iam =
        new StubIam() {
          @Override
          public ListInstanceProfilesForRoleResponse listInstanceProfilesForRole(
              ListInstanceProfilesForRoleRequest request) {
            calls.add("ListInstanceProfilesForRole");
            throw noSuchEntity();
          }
        };

    roles(iam).delete("sw-role");

    assertThat(calls).containsExactly("ListInstanceProfilesForRole");
  }

  @Test
  void aRefusedStepStopsTheDeletionWithItsCode() {
    var iam =
        new StubIam() {
          @Override
          public ListInstanceProfilesForRoleResponse listInstanceProfilesForRole(
              ListInstanceProfilesForRoleRequest request) {
            throw refusal(403, "AccessDenied", "not allowed");
          }
        };

    assertThatThrownBy(() -> roles(iam).delete("sw-role"))
        .isInstanceOfSatisfying(
            AwsCallException.class,
            e -> {
              assertThat(e.operation()).isEqualTo("ListInstanceProfilesForRole");
              assertThat(e.errorCode()).isEqualTo("AccessDenied");
            });
  }

  @Test
  void anAnswerWithoutAnErrorCodeIsReportedByItsHttpStatusAndRetried() {
    var iam =
        new StubIam() {
          @Override
          public ListRolesResponse listRoles(ListRolesRequest request) {
            throw (IamException)
                IamException.builder()
                    .statusCode(500)
                    .message("Service returned HTTP status code 500")
                    .awsErrorDetails(AwsErrorDetails.builder().build())
                    .build();
          }
        };

    assertThatThrownBy(() -> roles(iam).list("/secureworkload/"))
        .isInstanceOfSatisfying(
            AwsCallException.class,
            e -> {
              assertThat(e.errorCode()).isEqualTo("HTTP500");
              assertThat(e.kind().retryable()).isTrue();
              assertThat(e.getMessage())
                  .startsWith("ListRoles failed: HTTP500: Service returned HTTP status code 500")
                  .doesNotContain("null: null");
            });
  }

  private static AwsIamRoles roles(IamClient iam) {
    return new AwsIamRoles(iam, AwsCalls.unlimited(new SimpleMeterRegistry()));
  }

  /** An answer of IAM with an error code, as the SDK raises it. */
  private static IamException refusal(int status, String code, String message) {
    return (IamException)
        IamException.builder()
            .statusCode(status)
            .awsErrorDetails(
                AwsErrorDetails.builder().errorCode(code).errorMessage(message).build())
            .build();
  }

  private static NoSuchEntityException noSuchEntity() {
    return (NoSuchEntityException)
        NoSuchEntityException.builder()
            .statusCode(404)
            .awsErrorDetails(
                AwsErrorDetails.builder().errorCode("NoSuchEntity").errorMessage("gone").build())
            .build();
  }

  /** Every operation the test does not answer fails, as an unexpected call should. */
  private abstract static class StubIam implements IamClient {
    @Override
    public String serviceName() {
      return "iam";
    }

    @Override
    public void close() {}
  }
}
