package io.secureworkload.operator.guardrail;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ActionPatternTest {

  @ParameterizedTest(name = "{0} overlaps {1}: {2}")
  @CsvSource({
    // The deny-list spellings of issue 7: all reach iam:CreateUser.
    "iam:Create*, iam:CreateUser, true",
    "iam:?reate*, iam:CreateUser, true",
    "IAM:createuser, iam:CreateUser, true",
    "iam:CREATEUSER, iam:CreateUser, true",
    "*, iam:CreateUser, true",
    "iam:*, iam:CreateUser, true",
    "*:*, iam:CreateUser, true",
    "*:Create*, iam:CreateUser, true",
    "i*:C*User, iam:CreateUser, true",
    "iam:C*User, iam:CreateUser, true",
    "iam:C*User, iam:Create*, true",
    "iam:*User, iam:Create*, true",
    "iam:???????????, iam:CreateUser, false",
    "iam:??????????, iam:CreateUser, true",
    "iam:?????????, iam:CreateUser, false",
    "ia?:CreateUser, iam:CreateUser, true",
    "iam:CreateUser?, iam:CreateUser, false",
    "iam:CreateUser*, iam:CreateUser, true",
    "iam:Get*, iam:CreateUser, false",
    "s3:Get*, s3:Put*, false",
    "s3:Get*, s3:*Object, true",
    "s3:*Acl, s3:Get*, true",
    "s3:*, iam:*, false",
    "s3:*, s3-outposts:*, false",
    "s3*:*, s3-outposts:GetObject, true",
    "*:List*, s3:GetObject, false",
    "*:List*, s3:*, true",
    "*, *, true",
    "*, *:*, true",
    "?, *, false",
    "??:?, *, true",
    "?:, *, false",
    ":*, *, false",
    "???:?, *, true",
    "s3:?, s3:*, true",
    "ec2:Run*, ec2:RunInstances, true",
    "ec2:Describe*, ec2:RunInstances, false",
    "iam:Pass*, iam:PassRole, true",
    "lambda:*Function*, lambda:CreateFunction, true",
    "lambda:Invoke*, lambda:CreateFunction, false",
    "rds-db:*, rds-db:connect, true",
    "rds:*, rds-db:connect, false",
    "sts:Assume*, sts:AssumeRoleWithWebIdentity, true",
  })
  void overlapIsDecidedExactlyAndSymmetrically(String a, String b, boolean expected) {
    assertThat(ActionPattern.of(a).overlaps(ActionPattern.of(b))).isEqualTo(expected);
    assertThat(ActionPattern.of(b).overlaps(ActionPattern.of(a))).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} contains {1}: {2}")
  @CsvSource({
    "s3:Get*, s3:GetObject, true",
    "s3:Get*, s3:get*, true",
    "S3:GET*, s3:GetObject, true",
    "s3:Get*, s3:*, false",
    "s3:Get*, s3:Get?, true",
    "s3:Get?, s3:Get*, false",
    "s3:*, s3:Get*, true",
    "s3:*, s3:*, true",
    "s3:*, s3*:*, false",
    "s3:*, *, false",
    "*, s3:*, true",
    // Every action has one colon: so * means the same as *:*.
    "*:*, *, true",
    "*, *:*, true",
    "*:List*, s3:ListBucket, true",
    "*:List*, s3:List*, true",
    "*:List*, s3:Li*, false",
    "*:List*, *:ListBuckets, true",
    "*:Describe*, ec2:DescribeInstances, true",
    "*:Describe*, ec2:Describe?nstances, true",
    "*:Describe*, ec2:*Describe*, false",
    "s3:*Object, s3:GetObject, true",
    "s3:*Object, s3:Get*Object, true",
    "s3:*Object, s3:Get*, false",
    "s3:Get*Object, s3:GetObject, true",
    "s3:Get*Object*, s3:GetObjectAcl, true",
    "s3:G*t*, s3:Get*, true",
    "s3:G?t*, s3:G*t*, false",
    "s3:*?, s3:*, true",
    "s3:??*, s3:?*, false",
    "s3:?*, s3:??*, true",
    "dynamodb:GetItem, dynamodb:getitem, true",
    "dynamodb:GetItem, dynamodb:GetItems, false",
  })
  void containmentIsDecidedExactly(String outer, String inner, boolean expected) {
    assertThat(ActionPattern.of(outer).contains(ActionPattern.of(inner))).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} matches {1}: {2}")
  @CsvSource({
    "s3:Get*, s3:GetObject, true",
    "s3:Get*, S3:GETOBJECT, true",
    "s3:Get?bject, s3:GetObject, true",
    "s3:Get?, s3:GetObject, false",
    "*, s3:GetObject, true",
    "s3:Put*, s3:GetObject, false",
  })
  void matchesCaseInsensitively(String pattern, String action, boolean expected) {
    assertThat(ActionPattern.of(pattern).matches(action)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} literal: {1}")
  @CsvSource({"s3:GetObject, true", "s3:Get*, false", "s3:Get?bject, false"})
  void literalIsAnActionNamedInFull(String pattern, boolean expected) {
    assertThat(ActionPattern.of(pattern).isLiteral()).isEqualTo(expected);
  }
}
