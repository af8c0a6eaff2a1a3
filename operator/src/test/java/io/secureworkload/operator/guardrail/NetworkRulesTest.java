package io.secureworkload.operator.guardrail;

import static io.secureworkload.operator.guardrail.Guardrails.evaluate;
import static io.secureworkload.operator.guardrail.Guardrails.policy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.secureworkload.operator.api.SecureWorkloadPolicy;
import io.secureworkload.operator.api.SecureWorkloadPolicySpec.Mode;
import io.secureworkload.operator.testsupport.TestWorkloads;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every address a network rule reaches, in whatever notation, and a rule without peers. */
class NetworkRulesTest {

  private static final SecureWorkloadPolicy ONLY_10_8 =
      policy("team", "network: {allowedCidrs: [10.0.0.0/8]}");
  private static final SecureWorkloadPolicy NO_10_8 =
      policy("team", "network: {deniedCidrs: [10.0.0.0/8]}");

  static Stream<Arguments> peerlessRules() {
    return Stream.of(
        arguments("egress: [{ports: [{port: 443}]}]", "spec.network.egress[0].to"),
        arguments("egress: [{to: []}]", "spec.network.egress[0].to"),
        arguments(
            "ingress: [{from: [{podSelector: {}}]}, {ports: [{port: 80}]}]",
            "spec.network.ingress[1].from"),
        arguments("ingress: [{from: []}]", "spec.network.ingress[0].from"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("peerlessRules")
  void aRuleWithoutPeersIsEveryAddressWhichTheDefaultAdmits(String rules, String field) {
    assertThat(evaluate("network: {" + rules + "}").violations()).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("peerlessRules")
  void aRuleWithoutPeersIsOutsideEveryAllowList(String rules, String field) {
    assertThat(evaluate("network: {" + rules + "}", ONLY_10_8).violations())
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.rule()).isEqualTo(Rule.CIDR_NOT_ALLOWED);
              assertThat(v.field()).hasToString(field);
              assertThat(v.badValue()).isEqualTo(NetworkRules.PEERLESS);
              assertThat(v.policy()).isEqualTo("team");
              assertThat(v.enforced()).isTrue();
            });
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("peerlessRules")
  void aRuleWithoutPeersReachesEveryDeniedBlock(String rules, String field) {
    assertThat(evaluate("network: {" + rules + "}", NO_10_8).violations())
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.rule()).isEqualTo(Rule.CIDR_DENIED);
              assertThat(v.field()).hasToString(field);
              assertThat(v.detail()).contains("reaches 10.0.0.0/8");
            });
  }

  @Test
  void anIpv4AllowListStillLeavesEveryIpv6AddressOutside() {
    var everyIpv4 = policy("team", "network: {allowedCidrs: [0.0.0.0/0]}");

    assertThat(evaluate("network: {egress: [{}]}", everyIpv4).violations())
        .extracting(Violation::rule)
        .containsExactly(Rule.CIDR_NOT_ALLOWED);
    assertThat(
            evaluate(
                    "network: {egress: [{}]}",
                    policy("team", "network: {allowedCidrs: [0.0.0.0/0, '::/0']}"))
                .violations())
        .isEmpty();
  }

  @Test
  void aRuleOfSelectorsOnlyIsNoAddressAtAll() {
    var spec =
        "network: {egress: [{to: [{podSelector: {matchLabels: {app: db}}},"
            + " {namespaceSelector: {}}]}]}";

    assertThat(evaluate(spec, ONLY_10_8).violations()).isEmpty();
    assertThat(evaluate(spec, NO_10_8).violations()).isEmpty();
  }

  /** Spellings the schema may let through (or an earlier schema did) that reach metadata. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "::ffff:169.254.169.254/128",
        "::ffff:a9fe:a9fe/128",
        "0:0:0:0:0:FFFF:A9FE:A9FE/128",
        "::ffff:169.254.0.0/112",
        "::ffff:0:0/96",
        "169.254.169.254/0",
        "169.254.170.23/31",
        "FD00:EC2::254/128",
        "fd00:0ec2:0:0:0:0:0:0254/128",
        "fd00:ec2::23/64",
      })
  void theMetadataAddressesAreReachedInEveryNotationAndInEveryMode(String cidr) {
    var verdict =
        evaluateUnderAuditOnly("network: {egress: [{to: [{ipBlock: {cidr: '" + cidr + "'}}]}]}");

    assertThat(verdict.violations())
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.rule()).isEqualTo(Rule.CIDR_DENIED);
              assertThat(v.field()).hasToString("spec.network.egress[0].to[0].ipBlock.cidr");
              assertThat(v.badValue()).isEqualTo(cidr);
              assertThat(v.enforced()).isTrue();
              assertThat(v.policy()).isEqualTo(DefaultGuardrails.DEFAULT_POLICY_NAME);
            });
  }

  @Test
  void aViolationSaysWhichBlockAnotherNotationStandsFor() {
    var violation =
        evaluate("network: {egress: [{to: [{ipBlock: {cidr: '::ffff:a9fe:a9fe/128'}}]}]}")
            .violations()
            .get(0);

    assertThat(violation.detail())
        .startsWith("is 169.254.169.254/32, reaches 169.254.169.254/32 (instance metadata");
  }

  /** Unreadable: refused in every mode, since a CNI may read it as another block. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "0251.0376.0251.0376/32",
        "010.0.0.1/32",
        "169.254.43518/32",
        "2852039166/32",
        "10.0.0.0/08",
        "10.0.0.0/٨",
        "fe80::1%eth0/64",
        "10.0.0.0",
        "",
      })
  void anUnreadableCidrIsRefusedEvenUnderAudit(String cidr) {
    var verdict =
        evaluateUnderAuditOnly("network: {egress: [{to: [{ipBlock: {cidr: '" + cidr + "'}}]}]}");

    assertThat(verdict.violations())
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.rule()).isEqualTo(Rule.INVALID_VALUE);
              assertThat(v.field()).hasToString("spec.network.egress[0].to[0].ipBlock.cidr");
              assertThat(v.badValue()).isEqualTo(cidr);
              assertThat(v.enforced()).isTrue();
            });
    assertThat(verdict.blocks()).isTrue();
  }

  @Test
  void anUnreadableExceptIsNamedByItsOwnPath() {
    var verdict =
        evaluateUnderAuditOnly(
            "network: {ingress: [{from: [{ipBlock: {cidr: 10.0.0.0/8,"
                + " except: [10.1.0.0/16, '010.2.0.0/16']}}]}]}");

    assertThat(verdict.violations())
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.rule()).isEqualTo(Rule.INVALID_VALUE);
              assertThat(v.field())
                  .hasToString("spec.network.ingress[0].from[0].ipBlock.except[1]");
              assertThat(v.enforced()).isTrue();
            });
  }

  @Test
  void aPolicysBlocksAreReadCanonicallyToo() {
    var mapped = policy("team", "network: {allowedCidrs: ['::ffff:10.0.0.0/104']}");
    var spec = "network: {egress: [{to: [{ipBlock: {cidr: 10.1.0.0/16}}]}]}";

    assertThat(evaluate(spec, mapped).violations()).isEmpty();
    assertThat(
            evaluate(spec, policy("team", "network: {deniedCidrs: ['::ffff:10.0.0.0/104']}"))
                .violations())
        .extracting(Violation::rule)
        .containsExactly(Rule.CIDR_DENIED);
  }

  @Test
  void aDenyListThatCannotBeReadDeniesEveryAddress() {
    var unreadable = policy("team", "network: {deniedCidrs: ['10.0.0.0/8', '010.0.0.0/8']}");

    assertThat(
            evaluate(
                    "network: {egress: [{to: [{ipBlock: {cidr: 192.168.0.0/16}}]}, {}]}",
                    unreadable)
                .violations())
        .extracting(v -> v.field() + " " + v.rule())
        .containsExactly(
            "spec.network.egress[0].to[0].ipBlock.cidr CIDR_DENIED",
            "spec.network.egress[1].to CIDR_DENIED");
  }

  @Test
  void aPolicysUnreadableBlocksAreNamedOnItsStatus() {
    var earlier =
        policy(
            "team",
            "network: {allowedCidrs: [10.0.0.0/8, 10.0.0.0/x], deniedCidrs: ['010.0.0.0/8']}");

    assertThat(PolicyPatterns.problems(earlier))
        .extracting(PolicyPatterns.Problem::field, PolicyPatterns.Problem::pattern)
        .containsExactly(
            tuple("spec.network.allowedCidrs[1]", "10.0.0.0/x"),
            tuple("spec.network.deniedCidrs[0]", "010.0.0.0/8"));
  }

  @Test
  void aRefusedRuleWithoutPeersIsNarrowedAwayWhole() {
    var verdict =
        evaluate(
            "network:\n  egress:\n  - {to: [{ipBlock: {cidr: 10.1.0.0/16}}]}\n"
                + "  - {ports: [{port: 443}]}\n",
            ONLY_10_8);

    var narrowed = verdict.narrowed();

    assertThat(narrowed.unresolved()).isEmpty();
    assertThat(narrowed.spec().getNetwork().getEgress())
        .singleElement()
        .satisfies(r -> assertThat(r.getTo()).hasSize(1));
  }

  /** Without rules and without default deny, a direction would not be isolated at all. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "network:\n  defaultDeny: {egress: false}\n  egress: [{}]\n",
        "network:\n  defaultDeny: {egress: false}\n"
            + "  egress: [{to: [{ipBlock: {cidr: 192.168.0.0/16}}]}]\n",
      })
  void aDirectionWhoseLastRuleIsNarrowedAwayStaysDenied(String spec) {
    var narrowed = evaluate(spec, ONLY_10_8).narrowed().spec().getNetwork();

    assertThat(narrowed.getEgress()).isEmpty();
    assertThat(narrowed.getDefaultDeny().getEgress()).isTrue();
  }

  private static Verdict evaluateUnderAuditOnly(String workloadSpec) {
    var audit = DefaultGuardrails.policy();
    audit.getSpec().setMode(Mode.Audit);
    return GuardrailEvaluator.evaluate(
        TestWorkloads.withSpec(workloadSpec),
        EffectivePolicy.of(List.of(audit)),
        Guardrails.context());
  }
}
