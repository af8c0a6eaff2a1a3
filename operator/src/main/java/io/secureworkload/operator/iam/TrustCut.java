package io.secureworkload.operator.iam;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A role that outlives its SecureWorkload (kept by {@code deletionPolicy: Retain}, or found by the
 * orphan sweep) keeps its name, ARN and policies, but not its trust: that is replaced by one whose
 * subject no token of the cluster's OIDC issuer carries, so no ServiceAccount, in whatever
 * namespace takes the name next, can assume the role. Only a SecureWorkload that proves by every
 * ownership tag, the namespace's uid included, that the role is its own adopts it again and gets
 * the trust back ({@link WorkloadRole#owns}).
 */
public final class TrustCut {

  /** On a role whose trust the operator cut; the value says why ({@link Reason}). */
  public static final String TAG = "secureworkload.io/trust-cut";

  /**
   * The one subject a cut role trusts. The issuer signs tokens for ServiceAccounts alone, each with
   * the subject {@code system:serviceaccount:<namespace>:<name>}: a subject outside that form is no
   * ServiceAccount's, whatever the names of namespaces and ServiceAccounts.
   */
  public static final String SUBJECT = "secureworkload.io:trust-cut";

  /** The tags that say a role outlived its workload: they go when a workload adopts it again. */
  static final Set<String> OUTLIVED_TAGS = Set.of(TAG, WorkloadRole.TAG_RETAINED);

  /** Why a role's trust was cut, as its {@link #TAG} says. */
  public enum Reason {
    /** Its SecureWorkload went with {@code deletionPolicy: Retain}. */
    RETAINED,
    /** The orphan sweep found it without its SecureWorkload. */
    ORPHANED;

    public String tagValue() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final IamRoles iamRoles;
  private final Supplier<String> cutTrustPolicy;

  /**
   * @param cutTrustPolicy the trust no ServiceAccount matches ({@link WorkloadRole#cutTrustPolicy})
   */
  public TrustCut(IamRoles iamRoles, Supplier<String> cutTrustPolicy) {
    this.iamRoles = iamRoles;
    this.cutTrustPolicy = cutTrustPolicy;
  }

  /** Whether the role's tags say its trust was cut. */
  public static boolean marked(Map<String, String> tags) {
    return tags.containsKey(TAG);
  }

  /** Whether this trust policy is the cut one, however IAM spells it. */
  public boolean holds(String trustPolicy) {
    return PolicyDocuments.equivalent(cutTrustPolicy.get(), trustPolicy);
  }

  /**
   * Cuts the role's trust, then marks it, unless its tags already carry the mark: a role marked as
   * cut is cut, and one whose marking failed is cut again, and marked, by the next attempt.
   *
   * @param tags the role's tags as just read
   * @param moreTags put on the role with the mark
   */
  public void cut(
      String roleName, Map<String, String> tags, Reason reason, Map<String, String> moreTags) {
    iamRoles.apply(roleName, new RoleChange.UpdateTrustPolicy(cutTrustPolicy.get()));
    var marks = new HashMap<>(moreTags);
    marks.put(TAG, reason.tagValue());
    if (!tags.entrySet().containsAll(marks.entrySet())) {
      iamRoles.apply(roleName, new RoleChange.TagRole(marks));
    }
  }
}
