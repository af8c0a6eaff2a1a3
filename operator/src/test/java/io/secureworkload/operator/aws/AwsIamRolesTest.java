package io.secureworkload.operator.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secureworkload.operator.iam.AwsCallException;
import io.secureworkload.operator.iam.ListedRole;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AttachedPolicy;
import software.amazon.awssdk.services.iam.model.DeleteRolePolicyRequest;
import software.amazon.awssdk.services.iam.model.DeleteRolePolicyResponse;
import software.amazon.awssdk.services.iam.model.DeleteRoleRequest;
import software.amazon.awssdk.services.iam.model.DeleteRoleResponse;
import software.amazon.awssdk.services.iam.model.DetachRolePolicyRequest;
import software.amazon.awssdk.services.iam.model.DetachRolePolicyResponse;
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
import software.amazon.awssdk.services.iam.model.RemoveRoleFromInstanceProfileRequest;
import software.amazon.awssdk.services.iam.model.RemoveRoleFromInstanceProfileResponse;
import software.amazon.awssdk.services.iam.model.Role;

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
                "AROA0"));
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
            throw (IamException)
                IamException.builder()
                    .statusCode(403)
                    .awsErrorDetails(
                        AwsErrorDetails.builder()
                            .errorCode("AccessDenied")
                            .errorMessage("not allowed")
                            .build())
                    .build();
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

  private static AwsIamRoles roles(IamClient iam) {
    return new AwsIamRoles(iam, new RateLimiter(1_000_000));
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
